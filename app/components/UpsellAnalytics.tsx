import {
  BlockStack,
  Box,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Select,
  Text,
} from "@shopify/polaris";
import { intlLocale, type Locale } from "../i18n/locale";
import { translator } from "../i18n/messages";
import { useLocale, useMessages } from "../i18n/react";
import { UPSELL_RANGES } from "../utils/upsell-range";
import { useShopTime } from "./shop-time";
import { messages } from "./UpsellAnalytics.messages";
import { UpsellTests, type KeepVersionControl, type UpsellTestData } from "./UpsellTests";

/** What the Home loader passes in (app/models/upsell-analytics.server.ts, serialized). */
export interface UpsellAnalyticsData {
  days: number;
  /** Switched off, on without an offer rule, or on (app/models/upsell-analytics.server.ts). */
  setup: "off" | "no-offer" | "on";
  currency: string | null;
  shown: number;
  accepted: number;
  declined: number;
  charged: number;
  awaitingCharge: number;
  notCharged: number;
  conversion: number | null;
  revenueAdded: number;
  /** The rules' A/B tests: what the offer really adds, against a holdout. */
  tests: UpsellTestData[];
  /** Per rule and funnel step (app/models/upsell-analytics.server.ts). */
  funnel: {
    ruleIndex: number | null;
    ruleName: string;
    step: "offer" | "next" | "downsell";
    shown: number;
    accepted: number;
    charged: number;
    revenue: number;
  }[];
  /** One entry per day, oldest first; `date` is the shop's local date (YYYY-MM-DD). */
  series: { date: string; shown: number; accepted: number; charged: number; revenue: number }[];
}

export function money(value: number | null, currency: string | null, locale: Locale): string {
  if (value === null) return "—";
  // The shop's currency is not known yet (its install's shop lookup has not succeeded): no symbol rather than a guessed one.
  if (currency === null) return value.toFixed(2);
  try {
    return new Intl.NumberFormat(intlLocale(locale), {
      style: "currency",
      currency,
      maximumFractionDigits: 2,
    }).format(value);
  } catch {
    return value.toFixed(2);
  }
}

export const percent = (value: number | null, locale: Locale, signed = false) =>
  value === null
    ? "—"
    : `${signed && value > 0 ? "+" : ""}${new Intl.NumberFormat(intlLocale(locale), {
        style: "percent",
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      }).format(value)}`;

function Metric({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <BlockStack gap="100">
      <Text as="p" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg">
        {value}
      </Text>
      {hint ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {hint}
        </Text>
      ) : null}
    </BlockStack>
  );
}

const SHOWN_COLOR = "#b4c6f0";
const ACCEPTED_COLOR = "#2c6ecb";

/** Offers shown and accepted per day, as bars; plain SVG so it renders on the server too. */
export function UpsellChart({
  series,
  currency,
}: {
  series: UpsellAnalyticsData["series"];
  currency: string | null;
}) {
  const dayLabel = useShopTime().day;
  const locale = useLocale();
  const t = useMessages(messages);
  const width = 640;
  const height = 160;
  const top = 8;
  const bottom = 20;
  const left = 28;
  const plotHeight = height - top - bottom;
  const max = Math.max(1, ...series.map((d) => d.shown));
  const slot = (width - left) / Math.max(1, series.length);
  const bar = Math.max(1, slot * 0.7);
  const y = (value: number) => top + plotHeight - (value / max) * plotHeight;
  const totalShown = series.reduce((n, d) => n + d.shown, 0);
  const totalAccepted = series.reduce((n, d) => n + d.accepted, 0);
  const label = t("chartLabel", {
    days: series.length,
    shown: totalShown,
    accepted: totalAccepted,
  });
  const tick = (index: number) =>
    index === 0 || index === series.length - 1 || index === Math.floor(series.length / 2);
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-label={label}
      data-testid="upsell-chart"
    >
      <title>{label}</title>
      <line x1={left} x2={width} y1={top + plotHeight} y2={top + plotHeight} stroke="#c9cccf" />
      <text x={left - 4} y={top + 8} textAnchor="end" fontSize="10" fill="#6d7175">
        {max}
      </text>
      <text x={left - 4} y={top + plotHeight} textAnchor="end" fontSize="10" fill="#6d7175">
        0
      </text>
      {series.map((day, index) => {
        const x = left + index * slot + (slot - bar) / 2;
        return (
          <g key={day.date} data-date={day.date}>
            <title>
              {t("dayTitle", {
                day: dayLabel(day.date),
                shown: day.shown,
                accepted: day.accepted,
                charged: day.charged,
                revenue: money(day.revenue, currency, locale),
              })}
            </title>
            <rect
              x={x}
              y={y(day.shown)}
              width={bar}
              height={top + plotHeight - y(day.shown)}
              fill={SHOWN_COLOR}
            />
            <rect
              x={x}
              y={y(day.accepted)}
              width={bar}
              height={top + plotHeight - y(day.accepted)}
              fill={ACCEPTED_COLOR}
            />
            {tick(index) ? (
              // The first and last labels hang inward from their bar, so the edges never clip them.
              <text
                x={index === 0 ? x : index === series.length - 1 ? x + bar : x + bar / 2}
                y={height - 6}
                textAnchor={index === 0 ? "start" : index === series.length - 1 ? "end" : "middle"}
                fontSize="10"
                fill="#6d7175"
              >
                {dayLabel(day.date)}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

function Legend() {
  const t = useMessages(messages);
  const swatch = (color: string) => (
    <span
      style={{ display: "inline-block", width: 10, height: 10, background: color, marginRight: 4 }}
    />
  );
  return (
    <InlineStack gap="400">
      <Text as="span" variant="bodySm" tone="subdued">
        {swatch(SHOWN_COLOR)}
        {t("shown")}
      </Text>
      <Text as="span" variant="bodySm" tone="subdued">
        {swatch(ACCEPTED_COLOR)}
        {t("accepted")}
      </Text>
    </InlineStack>
  );
}

/**
 * How buyers went through each rule's funnel: its offer, the step after an accept, the
 * downsell after a decline. Shown once a funnel has taken a buyer past its first step.
 */
function FunnelSteps({ data }: { data: UpsellAnalyticsData }) {
  const locale = useLocale();
  const t = useMessages(messages);
  if (!data.funnel.some((row) => row.step !== "offer")) return null;
  const rule = (row: UpsellAnalyticsData["funnel"][number]) =>
    row.ruleName ||
    (row.ruleIndex === null ? t("earlierOffers") : t("ruleNumber", { number: row.ruleIndex + 1 }));
  const stepLabel = { offer: t("stepOffer"), next: t("stepNext"), downsell: t("stepDownsell") };
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {t("funnelHeading")}
      </Text>
      <DataTable
        columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
        headings={[
          t("rule"),
          t("step"),
          t("shown"),
          t("accepted"),
          t("conversion"),
          t("charged"),
          t("revenue"),
        ]}
        rows={data.funnel.map((row) => [
          rule(row),
          stepLabel[row.step],
          String(row.shown),
          String(row.accepted),
          percent(row.shown > 0 ? row.accepted / row.shown : null, locale),
          String(row.charged),
          money(row.revenue, data.currency, locale),
        ])}
      />
    </BlockStack>
  );
}

/** How many accepted offers Shopify has not charged, in the merchant's words. */
function chargeHint(data: UpsellAnalyticsData, locale: Locale): string {
  const t = translator(messages, locale);
  const parts: string[] = [];
  if (data.awaitingCharge > 0) parts.push(t("awaiting", { count: data.awaitingCharge }));
  if (data.notCharged > 0) parts.push(t("notCharged", { count: data.notCharged }));
  return parts.length > 0 ? parts.join(locale === "fr" ? " ; " : "; ") : t("countedOnce");
}

/** Changing the span the section covers (the route reloads its data for it). */
export interface UpsellRangeControl {
  onChange: (days: number) => void;
  loading?: boolean;
}

/** The Upsell section of Home. */
export function UpsellAnalytics({
  data,
  keepVersion,
  range,
}: {
  data: UpsellAnalyticsData;
  /** Lets the merchant end a test by keeping a version (absent: results only). */
  keepVersion?: KeepVersionControl;
  /** Lets the merchant choose the span (absent: the span the data covers, fixed). */
  range?: UpsellRangeControl;
}) {
  const locale = useLocale();
  const t = useMessages(messages);
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="start" gap="200">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {t("heading")}
            </Text>
            <Text as="p" tone="subdued">
              {t("intro", { days: data.days })}
            </Text>
          </BlockStack>
          {range ? (
            <Select
              label={t("rangeLabel")}
              labelInline
              disabled={range.loading}
              options={UPSELL_RANGES.map((days) => ({
                label: t("rangeDays", { days }),
                value: String(days),
              }))}
              value={String(data.days)}
              onChange={(value) => range.onChange(Number(value))}
            />
          ) : null}
        </InlineStack>
        {data.shown === 0 ? (
          <Text as="p">
            {data.setup === "off"
              ? t("empty")
              : data.setup === "no-offer"
                ? t("emptyNoOffer")
                : t("emptyWaiting", { days: data.days })}
          </Text>
        ) : null}
        <InlineGrid columns={{ xs: 2, md: 5 }} gap="400">
          <Metric label={t("offersShown")} value={String(data.shown)} />
          <Metric
            label={t("accepted")}
            value={String(data.accepted)}
            hint={t("declined", { count: data.declined })}
          />
          <Metric
            label={t("charged")}
            value={String(data.charged)}
            hint={chargeHint(data, locale)}
          />
          <Metric label={t("conversion")} value={percent(data.conversion, locale)} />
          <Metric
            label={t("revenue")}
            value={money(data.revenueAdded, data.currency, locale)}
            hint={t("revenueHint")}
          />
        </InlineGrid>
        <Box>
          <UpsellChart series={data.series} currency={data.currency} />
          <Legend />
        </Box>
        <FunnelSteps data={data} />
        <UpsellTests
          tests={data.tests}
          currency={data.currency}
          days={data.days}
          control={keepVersion}
        />
      </BlockStack>
    </Card>
  );
}
