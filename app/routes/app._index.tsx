import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  Link as RemixLink,
  useFetcher,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
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
  Text,
} from "@shopify/polaris";
import { homePlan } from "../billing/plan-notices.server";
import { ActionsChart } from "../components/ActionsChart";
import { HistoryImportCard } from "../components/HistoryImportCard";
import { UpsellAnalytics } from "../components/UpsellAnalytics";
import type { KeepVersionControl } from "../components/UpsellTests";
import { useAppPath } from "../components/useAppPath";
import { env } from "../env.server";
import { startHistoryImport } from "../integrations/shopify-admin/history-import.server";
import { historyImportCardFor } from "../models/history-imports.server";
import { connectedIntegrations } from "../models/integrations.server";
import { getGuardConfig } from "../models/recipe-settings.server";
import { findShop } from "../models/shops.server";
import { protectedDataNotice, protectedDataStatus } from "../models/protected-data.server";
import { ProtectedDataBanner } from "../components/ProtectedDataBanner";
import { homeStats, recipeSignals } from "../models/recipe-activity.server";
import { keepTestVersion } from "../models/upsell-experiments.server";
import { upsellAnalytics } from "../models/upsell-analytics.server";
import { upsellRange } from "../utils/upsell-range";
import { RECIPES } from "../recipes/registry";
import { gapBanner, heldWork, integrationGaps } from "../recipes/held-work.server";
import { homeHeadline } from "../recipes/home-summary";
import { connectToolsSentence } from "../recipes/integration-copy";
import { recipeText } from "../recipes/recipe-text";
import { missingIntegrations } from "../recipes/settings.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";
import { vendorName } from "../utils/vendor-names";
import { shopTime } from "../utils/shop-time";
import { ShopTimeContext, shopTimeSettings } from "../components/shop-time";
import { intlLocale } from "../i18n/locale";
import { useLocale, useMessages } from "../i18n/react";
import { requestLocale } from "../i18n/request.server";
import { messages } from "./app._index.messages";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { database, clock } = await getRuntime();
  const now = clock.now();
  const shop = session.shop;
  const locale = requestLocale(request);
  const shopRow = await findShop(database.db, shop);
  const time = shopTime({ timeZone: shopRow?.ianaTimezone });
  const [stats, signals, connected, historyImport, protectedData, plan, guards, held] =
    await Promise.all([
      homeStats(database.db, shop, now, time),
      recipeSignals(database.db, shop, now, RECIPES, locale),
      connectedIntegrations(database.db, shop),
      historyImportCardFor(database.db, shop, now, locale),
      protectedDataStatus(database.db, shop),
      homePlan(database.db, shop, now, locale),
      getGuardConfig(database.db, shop),
      heldWork(database, shop, now),
    ]);
  const paused = new Set(plan.paused);
  const enabled = new Set(stats.enabled);
  const timeZone = shopRow?.ianaTimezone ?? "UTC";
  const gaps = integrationGaps(RECIPES, enabled, connected, held, locale);
  // Recipes that cannot act at all until an integration they need is connected again.
  const stopped = new Set(gaps.flatMap((g) => g.stopped));
  const enabledRecipes = RECIPES.filter((r) => enabled.has(r.id));
  const next = RECIPES.filter((r) => !enabled.has(r.id))
    .map((r) => ({
      id: r.id,
      ...recipeText(r, locale),
      signal: signals[r.id] ?? null,
      missing: missingIntegrations(r, connected),
    }))
    // Ready to switch on first, then what the shop's own data says matters most.
    .sort(
      (a, b) =>
        a.missing.length - b.missing.length || (b.signal?.count ?? 0) - (a.signal?.count ?? 0),
    )
    .slice(0, 3);
  return {
    shopName: shopRow?.name ?? shop,
    enabled: enabledRecipes.map((r) => ({
      id: r.id,
      title: recipeText(r, locale).title,
      paused: paused.has(r.id),
      waiting: !paused.has(r.id) && stopped.has(r.id),
    })),
    headline: homeHeadline(
      {
        enabled: enabledRecipes.length,
        pausedByPlan: enabledRecipes.filter((r) => paused.has(r.id)).length,
        waitingForIntegration: enabledRecipes.filter((r) => !paused.has(r.id) && stopped.has(r.id))
          .length,
        guards,
      },
      locale,
    ),
    integrationGaps: gaps.map((gap) => ({
      vendor: gap.vendor,
      recipes: gap.recipes,
      waiting: gap.waiting,
      ...gapBanner(gap, timeZone, locale),
    })),
    planNotices: plan.notices,
    last24h: stats.last24h,
    perDay: stats.perDay,
    next,
    connected: { klaviyo: connected.has("klaviyo"), gorgias: connected.has("gorgias") },
    connectTools: connectToolsSentence(RECIPES, connected, undefined, locale),
    upsell: await upsellAnalytics(database.db, shop, {
      now,
      time,
      days: upsellRange(new URL(request.url).searchParams.get("upsellDays")),
    }),
    shopTime: shopTimeSettings(shopRow?.ianaTimezone, now, intlLocale(locale)),
    historyImport,
    protectedData: protectedDataNotice(protectedData, enabledRecipes, locale),
  };
};

/** Re-import (or retry) the store's history; refused quietly while one runs. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "keep-test-version") {
    const key = String(form.get("key") ?? "");
    const arm = form.get("arm");
    if (!key || (arm !== "A" && arm !== "B")) throw new Response("Bad request", { status: 400 });
    const { database } = await getRuntime();
    return { key, kept: await keepTestVersion(database.db, session.shop, key, arm) };
  }
  if (intent !== "reimport-history") throw new Response("Unknown action", { status: 400 });
  const { database, queue, clock } = await getRuntime();
  const { started } = await startHistoryImport(database.db, queue, session.shop, clock.now(), {
    days: env().HISTORY_IMPORT_DAYS,
  });
  return { started };
};

function Stat({
  label,
  value,
  tone,
}: {
  label: string;
  value: number;
  tone?: "critical" | "success";
}) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl" tone={value > 0 ? tone : undefined}>
          {value.toLocaleString(intlLocale(useLocale()))}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const { shopTime } = useLoaderData<typeof loader>();
  return (
    <ShopTimeContext.Provider value={shopTime}>
      <HomeScreen />
    </ShopTimeContext.Provider>
  );
}

/** Ending an upsell A/B test from its card: posts to this route's action, which saves the rule. */
function useKeepVersion(): KeepVersionControl {
  const fetcher = useFetcher<typeof action>();
  const posted = fetcher.formData;
  const answer = fetcher.data && "kept" in fetcher.data ? fetcher.data : null;
  return {
    keep: (key, arm) =>
      fetcher.submit({ intent: "keep-test-version", key, arm }, { method: "post" }),
    busy:
      fetcher.state !== "idle" && posted
        ? { key: String(posted.get("key")), arm: posted.get("arm") === "B" ? "B" : "A" }
        : null,
    failed:
      answer?.key !== undefined && !answer.kept.ok
        ? { key: answer.key, reason: answer.kept.reason }
        : null,
  };
}

function HomeScreen() {
  const keepVersion = useKeepVersion();
  const {
    shopName,
    headline,
    integrationGaps,
    enabled,
    last24h,
    perDay,
    next,
    connected,
    connectTools,
    upsell,
    historyImport,
    protectedData,
    planNotices,
  } = useLoaderData<typeof loader>();
  const totalActions = perDay.reduce((sum, d) => sum + d.actions, 0);
  const [, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const upsellRangeControl = {
    loading: navigation.state === "loading" && navigation.location.search.includes("upsellDays"),
    onChange: (days: number) =>
      setSearchParams(
        (params) => {
          params.set("upsellDays", String(days));
          return params;
        },
        { preventScrollReset: true },
      ),
  };
  const appPath = useAppPath();
  const t = useMessages(messages);
  const number = intlLocale(useLocale());
  return (
    <Page title="Switchboard">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {planNotices.map((notice) => (
              <Banner
                key={notice.id}
                tone={notice.tone}
                title={notice.title}
                action={{ content: notice.action.content, url: appPath(notice.action.url) }}
              >
                {notice.text}
              </Banner>
            ))}
            {integrationGaps.map((gap) => (
              <Banner
                key={gap.vendor}
                tone="critical"
                title={gap.title}
                action={{
                  content: t("reconnect", { vendor: vendorName(gap.vendor) }),
                  url: appPath("/app/integrations"),
                }}
                secondaryAction={
                  gap.waiting > 0
                    ? {
                        content: t("seeWaiting"),
                        url: appPath("/app/activity?view=deliveries&delivery=waiting"),
                      }
                    : undefined
                }
              >
                {gap.text}
              </Banner>
            ))}
            {protectedData && <ProtectedDataBanner notice={protectedData} />}
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingLg">
                  {t("automationsFor", { shop: shopName })}
                </Text>
                <Text as="p" tone="subdued">
                  {headline}
                </Text>
              </BlockStack>
            </Card>
            {historyImport ? <HistoryImportCard card={historyImport} /> : null}
            <Text as="h2" variant="headingMd">
              {t("last24h")}
            </Text>
            <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
              <Stat label={t("runs")} value={last24h.runs} />
              <Stat label={t("actions")} value={last24h.actions} tone="success" />
              <Stat label={t("failures")} value={last24h.failures} tone="critical" />
            </InlineGrid>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {t("perDay")}
                  </Text>
                  <Text as="span" tone="subdued">
                    {t("inLastDays", {
                      total: totalActions.toLocaleString(number),
                      days: perDay.length,
                    })}
                  </Text>
                </InlineStack>
                <ActionsChart data={perDay} title={t("chartTitle", { days: perDay.length })} />
                <InlineStack gap="400">
                  <InlineStack gap="100" blockAlign="center">
                    <span
                      aria-hidden
                      style={{
                        width: 10,
                        height: 10,
                        borderRadius: 2,
                        background: "var(--p-color-bg-fill-brand, #303030)",
                      }}
                    />
                    <Text as="span" variant="bodySm">
                      {t("legendActions")}
                    </Text>
                  </InlineStack>
                  <InlineStack gap="100" blockAlign="center">
                    <span
                      aria-hidden
                      style={{
                        width: 10,
                        height: 10,
                        borderRadius: 2,
                        background: "var(--p-color-bg-fill-critical, #e51c00)",
                      }}
                    />
                    <Text as="span" variant="bodySm">
                      {t("legendFailed")}
                    </Text>
                  </InlineStack>
                  <RemixLink to={appPath("/app/activity")}>{t("seeActivity")}</RemixLink>
                </InlineStack>
              </BlockStack>
            </Card>
            <UpsellAnalytics data={upsell} keepVersion={keepVersion} range={upsellRangeControl} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("switchedOn")}
                </Text>
                {enabled.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {t("nothingYet")}
                  </Text>
                ) : (
                  <BlockStack gap="200">
                    {enabled.map((r) => (
                      <InlineStack key={r.id} align="space-between" blockAlign="center">
                        <RemixLink to={appPath(`/app/recipes/${r.id}`)}>{r.title}</RemixLink>
                        {r.paused ? (
                          <Badge tone="attention">{t("paused")}</Badge>
                        ) : r.waiting ? (
                          <Badge tone="critical">{t("waiting")}</Badge>
                        ) : (
                          <Badge tone="success">{t("on")}</Badge>
                        )}
                      </InlineStack>
                    ))}
                  </BlockStack>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("next")}
                </Text>
                {next.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {t("everyOn")}
                  </Text>
                ) : (
                  next.map((r) => (
                    <Box
                      key={r.id}
                      paddingBlockEnd="200"
                      borderBlockEndWidth="025"
                      borderColor="border-secondary"
                    >
                      <BlockStack gap="100">
                        <Text as="h3" variant="headingSm">
                          {r.title}
                        </Text>
                        <Text as="p" variant="bodySm">
                          {r.signal?.text ?? r.summary}
                        </Text>
                        {r.missing.length ? (
                          <Text as="p" variant="bodySm" tone="caution">
                            {t("needs", { vendors: r.missing.join(t("and")) })}
                          </Text>
                        ) : null}
                        <InlineStack>
                          <Button url={appPath(`/app/recipes/${r.id}`)} variant="plain">
                            {r.missing.length ? t("seeWhat") : t("preview")}
                          </Button>
                        </InlineStack>
                      </BlockStack>
                    </Box>
                  ))
                )}
                <RemixLink to={appPath("/app/gap-report")}>{t("gaps")}</RemixLink>
              </BlockStack>
            </Card>
            {!connected.klaviyo || !connected.gorgias ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("connectTools")}
                  </Text>
                  <Text as="p">{connectTools}</Text>
                  <InlineStack>
                    <Button url={appPath("/app/integrations")}>{t("openIntegrations")}</Button>
                  </InlineStack>
                </BlockStack>
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
