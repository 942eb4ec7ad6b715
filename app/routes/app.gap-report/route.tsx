import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  BlockStack,
  Button,
  ButtonGroup,
  Card,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { ShopTimeContext } from "../../components/shop-time";
import { useAppPath } from "../../components/useAppPath";
import { useResultToast } from "../../components/useFetcherResult";
import { WINDOW_DAYS, type WindowDays } from "../../models/gap-report/types";
import { getRuntime } from "../../runtime.server";
import { authenticate } from "../../shopify.server";
import { intlLocale } from "../../i18n/locale";
import { useLocale, useMessages } from "../../i18n/react";
import { requestLocale } from "../../i18n/request.server";
import { gapScreenMessages } from "./messages";
import { PunchList } from "./components/PunchList";
import { ComputingState, NoOrdersState, useRevalidateWhile } from "./components/States";
import { ZoneCard } from "./components/ZoneCard";
import { bandBasis, bandLine, capitalise, uncapitalise } from "./format";
import {
  gapReportAction,
  loadGapReportScreen,
  parseWindow,
  type GapReportActionResult,
  type ScreenReport,
} from "./gap-report-screen.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { database, queue, clock } = await getRuntime();
  return loadGapReportScreen(
    database,
    queue,
    session.shop,
    parseWindow(new URL(request.url)),
    clock.now(),
    requestLocale(request),
  );
};

export const action = async ({ request }: ActionFunctionArgs): Promise<GapReportActionResult> => {
  const { session } = await authenticate.admin(request);
  const { database, queue, clock } = await getRuntime();
  return gapReportAction(
    database,
    queue,
    session.shop,
    await request.formData(),
    clock.now(),
    requestLocale(request),
  );
};

/** On paper: the scores, measures and punch list on one page, without buttons, menus or charts of weeks. */
const PRINT_CSS = `
@media print {
  nav, .gap-report-screen-only { display: none !important; }
  .Polaris-Card, .Polaris-ShadowBevel { box-shadow: none !important; break-inside: avoid; }
  body { background: #fff !important; }
}`;

export default function GapReportScreen() {
  const { shopTime } = useLoaderData<typeof loader>();
  return (
    <ShopTimeContext.Provider value={shopTime}>
      <style>{PRINT_CSS}</style>
      <GapReportPage />
    </ShopTimeContext.Provider>
  );
}

function GapReportPage() {
  const { state, windowDays } = useLoaderData<typeof loader>();
  const t = useMessages(gapScreenMessages);
  const subtitle =
    state.status === "ready"
      ? capitalise(
          t("subtitle", {
            window: state.report.window.display,
            count: state.report.ordersInWindow,
            computed: state.report.computedAtDisplay,
          }),
        )
      : t("subtitleEmpty");
  return (
    <Page title={t("title")} subtitle={subtitle}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Toolbar windowDays={windowDays} canRefresh={state.status === "ready"} />
            {state.status === "computing" ? (
              <ComputingState
                windowDays={windowDays}
                since={state.sinceDisplay}
                lastError={state.lastError}
              />
            ) : null}
            {state.status === "no-orders" ? <NoOrdersState importUrl={state.importUrl} /> : null}
            {state.status === "ready" ? (
              <ReadyReport report={state.report} stale={state.stale} />
            ) : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Toolbar({ windowDays, canRefresh }: { windowDays: WindowDays; canRefresh: boolean }) {
  const appPath = useAppPath();
  const fetcher = useFetcher<GapReportActionResult>();
  const t = useMessages(gapScreenMessages);
  useResultToast(fetcher.state === "idle" && fetcher.data?.ok ? fetcher.data : undefined);
  return (
    <div className="gap-report-screen-only">
      <InlineStack align="space-between" blockAlign="center" gap="200">
        <ButtonGroup variant="segmented">
          {WINDOW_DAYS.map((days) => (
            <Button
              key={days}
              url={appPath(`/app/gap-report?window=${days}`)}
              pressed={days === windowDays}
            >
              {t("lastDays", { days })}
            </Button>
          ))}
        </ButtonGroup>
        <InlineStack gap="200">
          <Button onClick={() => window.print()}>{t("print")}</Button>
          {canRefresh ? (
            <fetcher.Form method="post">
              <input type="hidden" name="intent" value="refresh" />
              <input type="hidden" name="window" value={windowDays} />
              <Button submit loading={fetcher.state !== "idle"}>
                {t("refresh")}
              </Button>
            </fetcher.Form>
          ) : null}
        </InlineStack>
      </InlineStack>
    </div>
  );
}

function ReadyReport({ report, stale }: { report: ScreenReport; stale: boolean }) {
  useRevalidateWhile(stale);
  const t = useMessages(gapScreenMessages);
  const locale = intlLocale(useLocale());
  const trend = report.trend;
  return (
    <BlockStack gap="400">
      {stale ? (
        <Text as="p" tone="subdued">
          {t("staleNote", { computed: uncapitalise(report.computedAtDisplay) })}
        </Text>
      ) : null}
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingLg">
            {t("compareHeading")}
          </Text>
          <Text as="p">{bandLine(t, report, locale)}</Text>
          <Text as="p" tone="subdued">
            {bandBasis(t, report)}
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            {t("scale")}
          </Text>
        </BlockStack>
      </Card>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        {report.zones.map((zone) => (
          <ZoneCard key={zone.zone} zone={zone} trend={trend} />
        ))}
      </InlineGrid>
      <PunchList
        items={report.punchList}
        zones={report.zones}
        windowDisplay={report.window.display}
      />
    </BlockStack>
  );
}
