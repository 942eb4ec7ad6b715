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
import { shopTime } from "../utils/shop-time";
import { getRuntime } from "../runtime.server";
import { boundary } from "@shopify/shopify-app-remix/server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, billing } = await authenticate.admin(request);
  const { database, clock } = await getRuntime();
  return loadPlanScreen({ db: database.db, shop: session.shop, now: clock.now(), billing });
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
  });
};

// billing.request leaves the app with a 401 whose reauthorize header App Bridge follows; the
// header must reach the browser.
export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

const usd = (amount: number, currency: string) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount);
const count = (n: number) => n.toLocaleString("en-US");
const limitText = (limit: number | null) => (limit === null ? "No limit" : count(limit));

function UseRow(props: { label: string; used: number; limit: number | null }) {
  const { label, used, limit } = props;
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between">
        <Text as="span">{label}</Text>
        <Text as="span" tone={limit !== null && used >= limit ? "critical" : undefined}>
          {limit === null ? `${count(used)} (no limit)` : `${count(used)} of ${count(limit)}`}
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

const ACTION_LABEL = {
  choose: "Choose",
  upgrade: "Upgrade to",
  downgrade: "Downgrade to",
} as const;

function PlanCard(props: { plan: PlanScreenView["plans"][number]; busy: boolean }) {
  const { plan, busy } = props;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h3" variant="headingMd">
            {plan.name}
          </Text>
          {plan.action === "current" ? <Badge tone="success">Current plan</Badge> : null}
        </InlineStack>
        <Text as="p" variant="headingLg">
          {plan.monthlyPrice === 0 ? "Free" : `${usd(plan.monthlyPrice, "USD")} / 30 days`}
        </Text>
        <BlockStack gap="100">
          {plan.trialDays > 0 ? <Text as="p">{plan.trialDays}-day free trial</Text> : null}
          <Text as="p">Recipes switched on: {limitText(plan.recipesOn)}</Text>
          <Text as="p">Orders acted on per 30 days: {limitText(plan.ordersPerPeriod)}</Text>
          <Text as="p" tone="subdued">
            {plan.usageTerms
              ? `Plus ${plan.usageTerms}.`
              : "Post-purchase upsell offers are not included."}
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
              {`${ACTION_LABEL[plan.action]} ${plan.name}`}
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
  const date = shopTime({ timeZone: view.timeZone }).date;
  const status = !current.paid
    ? "Free plan"
    : current.trialDaysLeft > 0
      ? `Free trial: ${current.trialDaysLeft} day${current.trialDaysLeft === 1 ? "" : "s"} left, first charge ${date(current.renewsOn ?? current.periodEnd)}`
      : `Renews ${date(current.renewsOn ?? current.periodEnd)}`;
  return (
    <Page title="Plan">
      <Layout>
        {result ? (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "warning"}>{result.message}</Banner>
          </Layout.Section>
        ) : null}
        {current.lapsed ? (
          <Layout.Section>
            <Banner tone="warning" title={`Your ${current.lapsed.name} plan is not active`}>
              Shopify reports it as {current.lapsed.status.toLowerCase()}, so the Free plan&apos;s
              limits apply. Choose a plan below to lift them.
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <InlineStack align="space-between" blockAlign="center">
                <BlockStack gap="100">
                  <Text as="h2" variant="headingLg">
                    {`${current.name} plan`}
                  </Text>
                  <Text as="p" tone="subdued">
                    {status}
                  </Text>
                </BlockStack>
                <InlineStack gap="200" blockAlign="center">
                  {current.test ? <Badge>Test charges</Badge> : null}
                  <Badge tone={current.paid ? "success" : undefined}>
                    {current.paid ? "Active" : "Free"}
                  </Badge>
                </InlineStack>
              </InlineStack>
              <Text as="h3" variant="headingSm">
                {`This period (until ${date(current.periodEnd)})`}
              </Text>
              <UseRow label="Recipes switched on" {...use.recipesOn} />
              <UseRow label="Orders acted on" {...use.orders} />
              {use.usageCharges ? (
                <InlineStack align="space-between">
                  <Text as="span">Usage charges</Text>
                  <Text as="span">
                    {`${usd(use.usageCharges.amount, use.usageCharges.currency)} of ${usd(use.usageCharges.cap, use.usageCharges.currency)} cap (${use.usageCharges.currency})`}
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
                      {`Cancel ${current.name} plan`}
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
