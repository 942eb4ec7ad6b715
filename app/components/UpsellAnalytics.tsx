import { BlockStack, Box, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { useShopTime } from "./shop-time";

/** What the Home loader passes in (app/models/upsell-analytics.server.ts, serialized). */
export interface UpsellAnalyticsData {
  days: number;
  currency: string | null;
  shown: number;
  accepted: number;
  declined: number;
  charged: number;
  awaitingCharge: number;
  notCharged: number;
  conversion: number | null;
  revenueAdded: number;
  aovWithOffer: number | null;
  aovWithoutOffer: number | null;
  aovLift: number | null;
  /** One entry per day, oldest first; `date` is the shop's local date (YYYY-MM-DD). */
  series: { date: string; shown: number; accepted: number; charged: number; revenue: number }[];
}

function money(value: number | null, currency: string | null): string {
  if (value === null) return "—";
  // The shop's currency is not known yet (its install's shop lookup has not succeeded): no symbol rather than a guessed one.
  if (currency === null) return value.toFixed(2);
  try {
    return new Intl.NumberFormat("en", {
      style: "currency",
      currency,
      maximumFractionDigits: 2,
    }).format(value);
  } catch {
    return value.toFixed(2);
  }
}

const percent = (value: number | null, signed = false) =>
  value === null ? "—" : `${signed && value > 0 ? "+" : ""}${(value * 100).toFixed(1)}%`;

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
  const label = `Offers per day over ${series.length} days: ${totalShown} shown, ${totalAccepted} accepted.`;
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
            <title>{`${dayLabel(day.date)}: ${day.shown} shown, ${day.accepted} accepted, ${day.charged} charged, ${money(day.revenue, currency)} charged`}</title>
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
  const swatch = (color: string) => (
    <span
      style={{ display: "inline-block", width: 10, height: 10, background: color, marginRight: 4 }}
    />
  );
  return (
    <InlineStack gap="400">
      <Text as="span" variant="bodySm" tone="subdued">
        {swatch(SHOWN_COLOR)}Shown
      </Text>
      <Text as="span" variant="bodySm" tone="subdued">
        {swatch(ACCEPTED_COLOR)}Accepted
      </Text>
    </InlineStack>
  );
}

/** How many accepted offers Shopify has not charged, in the merchant's words. */
function chargeHint(data: UpsellAnalyticsData): string {
  const parts: string[] = [];
  if (data.awaitingCharge > 0)
    parts.push(
      `${data.awaitingCharge} waiting for Shopify to add ${data.awaitingCharge === 1 ? "it" : "them"} to the order`,
    );
  if (data.notCharged > 0) parts.push(`${data.notCharged} accepted, not charged by Shopify`);
  return parts.length > 0 ? parts.join("; ") : "Counted once Shopify adds them to the order";
}

/** The Upsell section of Home. */
export function UpsellAnalytics({ data }: { data: UpsellAnalyticsData }) {
  const lift =
    data.aovLift === null
      ? "Needs orders with and without an offer"
      : `${money(data.aovWithOffer, data.currency)} with an offer vs ${money(data.aovWithoutOffer, data.currency)} without`;
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Post-purchase upsell
          </Text>
          <Text as="p" tone="subdued">
            One-click offers after checkout, last {data.days} days.
          </Text>
        </BlockStack>
        {data.shown === 0 ? (
          <Text as="p">
            No offers shown yet. Switch on the Post-purchase upsell recipe and pick an offer on a
            product page to start.
          </Text>
        ) : null}
        <InlineGrid columns={{ xs: 2, md: 6 }} gap="400">
          <Metric label="Offers shown" value={String(data.shown)} />
          <Metric
            label="Accepted"
            value={String(data.accepted)}
            hint={`${data.declined} declined`}
          />
          <Metric label="Charged" value={String(data.charged)} hint={chargeHint(data)} />
          <Metric label="Conversion" value={percent(data.conversion)} />
          <Metric
            label="Revenue charged"
            value={money(data.revenueAdded, data.currency)}
            hint="Only offers Shopify added to the order"
          />
          <Metric label="AOV lift" value={percent(data.aovLift, true)} hint={lift} />
        </InlineGrid>
        <Box>
          <UpsellChart series={data.series} currency={data.currency} />
          <Legend />
        </Box>
      </BlockStack>
    </Card>
  );
}
