import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import {
  loadPlanScreen,
  planAction,
  type PlanActionResult,
  type PlanScreenView,
} from "../billing/plan-screen.server";
import { planLabel } from "../billing/plan-screen.messages";
import { intlLocale, type Locale } from "../i18n/locale";
import { useLocale, useMessages } from "../i18n/react";
import { requestLocale } from "../i18n/request.server";
import { shopTime } from "../utils/shop-time";
import { messages } from "./app.plan.messages";
import { getRuntime } from "../runtime.server";
import { boundary } from "@shopify/shopify-app-remix/server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, billing } = await authenticate.admin(request);
  const { database, clock } = await getRuntime();
  return loadPlanScreen({
    db: database.db,
    shop: session.shop,
    now: clock.now(),
    billing,
    locale: requestLocale(request),
  });
};

export const action = async ({ request }: ActionFunctionArgs): Promise<PlanActionResult> => {
  const { session, billing } = await authenticate.admin(request);
  const { database, clock } = await getRuntime();
  return planAction({
    db: database.db,
    shop: session.shop,
    now: clock.now(),
    billing,
    form: Object.fromEntries(await request.formData()),
    locale: requestLocale(request),
  });
};

// billing.request leaves the app with a 401 whose reauthorize header App Bridge follows; the
// header must reach the browser.
export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

const money = (amount: number, currency: string, locale: Locale) =>
  new Intl.NumberFormat(intlLocale(locale), { style: "currency", currency }).format(amount);
const count = (n: number, locale: Locale) => n.toLocaleString(intlLocale(locale));

function UseRow(props: { label: string; used: number; limit: number | null }) {
  const { label, used, limit } = props;
  const locale = useLocale();
  const t = useMessages(messages);
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between">
        <Text as="span">{label}</Text>
        <Text as="span" tone={limit !== null && used >= limit ? "critical" : undefined}>
          {limit === null
            ? t("usedNoLimit", { used: count(used, locale) })
            : t("usedOf", { used: count(used, locale), limit: count(limit, locale) })}
        </Text>
      </InlineStack>
      {limit !== null ? (
        <ProgressBar
          progress={Math.min(100, (used / Math.max(1, limit)) * 100)}
          size="small"
          tone={used >= limit ? "critical" : "primary"}
        />
      ) : null}
    </BlockStack>
  );
}

function PlanCard(props: { plan: PlanScreenView["plans"][number]; busy: boolean }) {
  const { plan, busy } = props;
  const locale = useLocale();
  const t = useMessages(messages);
  const name = planLabel(plan.name, locale);
  const limitText = (limit: number | null) =>
    limit === null ? t("noLimit") : count(limit, locale);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h3" variant="headingMd">
            {name}
          </Text>
          {plan.action === "current" ? <Badge tone="success">{t("currentPlan")}</Badge> : null}
        </InlineStack>
        <Text as="p" variant="headingLg">
          {plan.monthlyPrice === 0
            ? t("free")
            : t("perPeriod", { price: money(plan.monthlyPrice, "USD", locale) })}
        </Text>
        <BlockStack gap="100">
          {plan.trialDays > 0 ? <Text as="p">{t("trial", { days: plan.trialDays })}</Text> : null}
          <Text as="p">{t("recipesOnLimit", { limit: limitText(plan.recipesOn) })}</Text>
          <Text as="p">{t("ordersLimit", { limit: limitText(plan.ordersPerPeriod) })}</Text>
          <Text as="p" tone="subdued">
            {plan.usageTerms ? t("plusTerms", { terms: plan.usageTerms }) : t("noUpsell")}
          </Text>
        </BlockStack>
        {plan.action === "current" ? null : (
          <Form method="post">
            <input type="hidden" name="intent" value="choose" />
            <input type="hidden" name="plan" value={plan.name} />
            <Button
              submit
              variant={plan.action === "downgrade" ? "secondary" : "primary"}
              disabled={busy}
            >
              {t(plan.action, { plan: name })}
            </Button>
          </Form>
        )}
      </BlockStack>
    </Card>
  );
}

export default function PlanScreen() {
  const view = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { current, use } = view;
  const locale = useLocale();
  const t = useMessages(messages);
  const date = shopTime({ timeZone: view.timeZone, locale: intlLocale(locale) }).date;
  const currentName = planLabel(current.name, locale);
  const status = !current.paid
    ? t("freePlan")
    : current.trialDaysLeft > 0
      ? t("trialLeft", {
          count: current.trialDaysLeft,
          date: date(current.renewsOn ?? current.periodEnd),
        })
      : t("renews", { date: date(current.renewsOn ?? current.periodEnd) });
  const lapsedStatus = (status: string) => {
    const key = `status.${status.toUpperCase()}`;
    return key in messages.en ? t(key as "status.ACTIVE") : status.toLowerCase();
  };
  return (
    <Page title={t("title")}>
      <Layout>
        {result ? (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "warning"}>{result.message}</Banner>
          </Layout.Section>
        ) : null}
        {current.lapsed ? (
          <Layout.Section>
            <Banner
              tone="warning"
              title={t("lapsedTitle", { plan: planLabel(current.lapsed.name, locale) })}
            >
              {t("lapsedText", { status: lapsedStatus(current.lapsed.status) })}
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <InlineStack align="space-between" blockAlign="center">
                <BlockStack gap="100">
                  <Text as="h2" variant="headingLg">
                    {t("planHeading", { plan: currentName })}
                  </Text>
                  <Text as="p" tone="subdued">
                    {status}
                  </Text>
                </BlockStack>
                <InlineStack gap="200" blockAlign="center">
                  {current.test ? <Badge>{t("testCharges")}</Badge> : null}
                  <Badge tone={current.paid ? "success" : undefined}>
                    {current.paid ? t("active") : t("free")}
                  </Badge>
                </InlineStack>
              </InlineStack>
              <Text as="h3" variant="headingSm">
                {t("thisPeriod", { date: date(current.periodEnd) })}
              </Text>
              <UseRow label={t("recipesOn")} {...use.recipesOn} />
              <UseRow label={t("ordersActedOn")} {...use.orders} />
              {use.usageCharges ? (
                <InlineStack align="space-between">
                  <Text as="span">{t("usageCharges")}</Text>
                  <Text as="span">
                    {t("usageOfCap", {
                      amount: money(use.usageCharges.amount, use.usageCharges.currency, locale),
                      cap: money(use.usageCharges.cap, use.usageCharges.currency, locale),
                      currency: use.usageCharges.currency,
                    })}
                  </Text>
                </InlineStack>
              ) : null}
              {use.usageCharges?.notCharged ? (
                <Text as="p" tone="subdued">
                  {use.usageCharges.notCharged}
                </Text>
              ) : null}
              {current.paid ? (
                <Box>
                  <Form method="post">
                    <input type="hidden" name="intent" value="cancel" />
                    <Button submit tone="critical" variant="plain" disabled={busy}>
                      {t("cancel", { plan: currentName })}
                    </Button>
                  </Form>
                </Box>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            {view.plans.map((plan) => (
              <PlanCard key={plan.name} plan={plan} busy={busy} />
            ))}
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
