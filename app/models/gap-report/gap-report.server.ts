import { eq, sql, type SQL } from "drizzle-orm";
import { recipeSettings, shops } from "../../../db/schema/index";
import type { Db } from "../../db.server";
import { abandonedCheckoutRecovery } from "../../recipes/abandoned-checkout-recovery/recipe";
import { DELAY_STATUSES } from "../../recipes/shipping-delay-outreach/config";
import { findRecipe } from "../../recipes/registry";
import { recipeText } from "../../recipes/recipe-text";
import { winBackSegments } from "../../recipes/win-back-segments/recipe";
import { DEFAULT_LOCALE, intlLocale, type Locale } from "../../i18n/locale";
import { addDays, shopTime, type ShopTime } from "../../utils/shop-time";
import { connectedIntegrations } from "../integrations.server";
import {
  bestSellerStock,
  dailyFigures,
  OUTSTANDING_STATUSES,
  refreshSpans,
  WISMO_PARCEL_DAYS,
  percentileOf,
  type DailyFigures,
  type Span,
} from "./daily-facts.server";
import { protectedDataStatus, type ProtectedDataStatus } from "../protected-data.server";
import { bandOf, typicalScore } from "./bands";
import { presentFor, type Present } from "./copy";
import { measured, missingMeasure, zoneScore, type MeasureSpec } from "./measures";
import {
  ZONE_IDS,
  type GapReport,
  type Measure,
  type MissingData,
  type PunchItem,
  type TrendPoint,
  type WindowDays,
  type ZoneId,
  type ZoneScore,
} from "./types";

/**
 * The automation-gap engine: the store's own numbers over a window, graded per zone from the
 * thresholds below, the punch list priced with the stated rates below, and a weekly trend.
 * Every figure is one SQL aggregate over the shop's rows (nothing is loaded row by row); the
 * additive ones are summed from the shop's daily facts (daily-facts.server.ts), so a year of a
 * large store stays within seconds. docs/gap-report.md documents every measure, threshold, rate
 * and the daily facts.
 */

const DAY_MS = 86_400_000;
const TREND_WEEKS = 12;
/** Best-sellers: the window's top variants by units sold. */
const BEST_SELLERS = 20;
/** Lapsed customers are counted up to this long after their first win-back stage (older ones are gone). */
const LAPSED_HORIZON_DAYS = 365;

/** Stated rates of the punch-list arithmetic (Switchboard's assumptions, docs/gap-report.md). */
export const RATES = {
  /** Abandoned checkouts a level-3 store recovers (the issue's 15–25 %, its low end). */
  checkoutRecovery: 0.15,
  /** Lapsed customers a win-back sequence brings back to order once. */
  winBack: 0.05,
  /** Delayed parcels that become a "where is my order" ticket when nobody writes first. */
  wismoTicketsPerDelay: 0.3,
  /** What one support ticket costs to answer, in the shop's currency. */
  costPerTicket: 5,
  /** Post-purchase offers a level-3 store sees taken. */
  upsellTakeRate: 0.05,
  /** An accepted offer's value as a share of the average order, when no offer was accepted yet. */
  upsellValueShare: 0.15,
  /** Delivered parcels whose review ask brings a further order. */
  reviewRepeat: 0.02,
  /** Outstanding payments never collected when nobody follows them up. */
  uncollected: 0.2,
} as const;

const spec = (s: MeasureSpec) => s;

export const MEASURES = {
  paymentsOutstanding: spec({
    id: "payments-outstanding",
    zone: "order-to-cash",
    unit: "percent",
    thresholds: { better: "lower", levels: [1, 3, 8] },
  }),
  paymentAge: spec({
    id: "payment-age",
    zone: "order-to-cash",
    unit: "days",
    thresholds: { better: "lower", levels: [1, 3, 7] },
  }),
  refundTurnaround: spec({
    id: "refund-turnaround",
    zone: "order-to-cash",
    unit: "days",
    thresholds: { better: "lower", levels: [2, 5, 10] },
  }),
  oversold: spec({
    id: "oversold-orders",
    zone: "inventory-fulfillment",
    unit: "percent",
    thresholds: { better: "lower", levels: [0.5, 1, 3] },
  }),
  shipTimeP50: spec({
    id: "ship-time-p50",
    zone: "inventory-fulfillment",
    unit: "hours",
    thresholds: { better: "lower", levels: [24, 48, 96] },
  }),
  shipTimeP90: spec({
    id: "ship-time-p90",
    zone: "inventory-fulfillment",
    unit: "hours",
    thresholds: { better: "lower", levels: [48, 96, 168] },
  }),
  parcelsDelayed: spec({
    id: "parcels-delayed",
    zone: "inventory-fulfillment",
    unit: "percent",
    thresholds: { better: "lower", levels: [2, 5, 10] },
  }),
  bestSellerStockouts: spec({
    id: "bestseller-stockouts",
    params: { top: BEST_SELLERS },
    zone: "inventory-fulfillment",
    unit: "percent",
    thresholds: { better: "lower", levels: [0, 5, 15] },
  }),
  ticketsPer100: spec({
    id: "tickets-per-100-orders",
    zone: "customer-service",
    unit: "per-100-orders",
    thresholds: { better: "lower", levels: [2, 5, 10] },
  }),
  wismoShare: spec({
    id: "wismo-share",
    params: { days: WISMO_PARCEL_DAYS },
    zone: "customer-service",
    unit: "percent",
    thresholds: { better: "lower", levels: [10, 20, 35] },
  }),
  firstResponse: spec({
    id: "first-response-time",
    zone: "customer-service",
    unit: "hours",
    thresholds: { better: "lower", levels: [1, 4, 24] },
  }),
  resolution: spec({
    id: "resolution-time",
    zone: "customer-service",
    unit: "hours",
    thresholds: { better: "lower", levels: [12, 24, 72] },
  }),
  delaysReachedFirst: spec({
    id: "delays-reached-first",
    zone: "customer-service",
    unit: "percent",
    thresholds: { better: "higher", levels: [80, 50, 20] },
  }),
  repeatRate: spec({
    id: "repeat-purchase-rate",
    zone: "post-purchase-marketing",
    unit: "percent",
    thresholds: { better: "higher", levels: [30, 20, 10] },
  }),
  lapsedReached: spec({
    id: "lapsed-reached",
    zone: "post-purchase-marketing",
    unit: "percent",
    thresholds: { better: "higher", levels: [80, 50, 20] },
  }),
  reviewAsks: spec({
    id: "review-asks",
    zone: "post-purchase-marketing",
    unit: "percent",
    thresholds: { better: "higher", levels: [80, 50, 20] },
  }),
  upsellTakeRate: spec({
    id: "upsell-take-rate",
    zone: "post-purchase-marketing",
    unit: "percent",
    thresholds: { better: "higher", levels: [10, 5, 2] },
  }),
  checkoutRecovery: spec({
    id: "checkout-recovery",
    zone: "post-purchase-marketing",
    unit: "percent",
    thresholds: { better: "higher", levels: [15, 8, 3] },
  }),
} as const;

const INTEGRATIONS_URL = "/app/integrations";

interface Setup {
  shop: string;
  time: ShopTime;
  currency: string;
  /** The language and formats the report is written in. */
  present: Present;
  connected: Set<string>;
  protectedData: ProtectedDataStatus;
  enabled: Set<string>;
  winBack: { firstStage: number; listPattern: string };
  abandonAfterHours: number;
}

/** What the punch list prices, from the same aggregates as the measures. */
interface Figures {
  orders: number;
  revenue: number;
  averageOrder: number;
  outstandingAmount: number;
  outstandingOrders: number;
  abandonedUnrecovered: number;
  averageCheckout: number;
  recoveryRate: number | null;
  lapsedUnreached: number | null;
  delayedNotReached: number;
  deliveredUnasked: number | null;
  upsellRate: number | null;
  averageUpsell: number | null;
}

const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

async function one<T>(db: Db, query: SQL): Promise<T> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows[0]!;
}

/** The span being measured, inside a perSpan query: its bounds as SQL. */
const FROM = sql`gap_span.from_at`;
const TO = sql`gap_span.to_at`;
const window = (column: SQL) => sql`${column} >= ${FROM} and ${column} < ${TO}`;

/**
 * One aggregate row per span from a single statement: the query (written for one span, reading
 * its bounds as FROM and TO) runs laterally for each span, so the trend's weeks cost one round
 * trip and each week reads only its own rows through the (shop, time) indexes.
 */
async function perSpan<T>(db: Db, spans: Span[], query: SQL): Promise<T[]> {
  return bySpan<T>(
    db,
    spans,
    sql`select measured.* from gap_span cross join lateral (${query}) as measured
      order by gap_span.i`,
  );
}

/**
 * A query over the spans as the table `gap_span(i, from_at, to_at)`, returning one row per span
 * in order: for figures whose rows serve every span, read once and then counted per span.
 */
async function bySpan<T>(db: Db, spans: Span[], query: SQL): Promise<T[]> {
  const values = sql.join(
    spans.map((span, i) => sql`(${i}::int, ${at(span.from)}, ${at(span.to)})`),
    sql`, `,
  );
  const result = (await db.execute(
    sql`with gap_span(i, from_at, to_at) as (values ${values}) ${query}`,
  )) as unknown as { rows: T[] };
  return result.rows;
}

/** The earliest start and latest end of the spans. */
function bounds(spans: Span[]) {
  return {
    earliestFrom: new Date(Math.min(...spans.map((span) => span.from.getTime()))),
    latestTo: new Date(Math.max(...spans.map((span) => span.to.getTime()))),
  };
}

/** Every span's start and end, distinct and ascending, as a timestamptz[] (width_bucket's bounds). */
function sortedBounds(spans: Span[]) {
  const instants = [...new Set(spans.flatMap((span) => [span.from.getTime(), span.to.getTime()]))];
  const sorted = instants.sort((a, b) => a - b).map((ms) => new Date(ms).toISOString());
  return sql`${`{${sorted.join(",")}}`}::timestamptz[]`;
}

const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const pct = (part: number, whole: number) => (part / whole) * 100;

const outstandingList = sql.join(
  OUTSTANDING_STATUSES.map((s) => sql`${s}`),
  sql`, `,
);
const delayList = sql.join(
  DELAY_STATUSES.map((s) => sql`${s}`),
  sql`, `,
);

async function orderToCash(db: Db, setup: Setup, spans: Span[], daily: DailyFigures[]) {
  const { shop, present: p } = setup;
  // The counts come from the daily facts; the waiting payments' age moves with the span's end,
  // so it is read from those orders alone (a partial index holds just them).
  const ages = await perSpan<Record<string, unknown>>(
    db,
    spans,
    sql`select (percentile_cont(0.5) within group (order by extract(epoch from (${TO} - created_at)) / 86400))::float8 as outstanding_age
    from orders
    where shop = ${shop} and created_at >= ${FROM} and created_at < ${TO}
      and cancelled_at is null and financial_status in (${outstandingList})`,
  );
  // Refunds issued in the span that send money back: days from being issued to the money going
  // back, or to the span's end for those still waiting then ((shop, created_at) index).
  const refunds = await perSpan<Record<string, unknown>>(
    db,
    spans,
    sql`select count(*)::int as refunds,
      (count(*) filter (where processed_at is null or processed_at >= ${TO}))::int as refunds_waiting,
      (percentile_cont(0.5) within group (order by greatest(0,
        extract(epoch from (least(coalesce(processed_at, ${TO}), ${TO}) - created_at))) / 86400))::float8 as refund_days
    from order_refunds
    where shop = ${shop} and ${window(sql`created_at`)} and money_status in ('sent', 'pending')`,
  );
  return daily.map((figures, i) =>
    cashOf(
      {
        orders: figures.orders,
        revenue: figures.revenue,
        outstanding: figures.outstanding,
        outstanding_amount: figures.outstandingAmount,
        outstanding_age: ages[i]!.outstanding_age,
        ...refunds[i]!,
      },
      p,
    ),
  );
}

function cashOf(row: Record<string, unknown>, p: Present) {
  const orders = Number(row.orders);
  const outstanding = Number(row.outstanding);
  const measures: Measure[] = [];
  const noOrders: MissingData = { reason: p.t("missing.noOrders"), fix: null };
  if (orders === 0) {
    measures.push(missingMeasure(MEASURES.paymentsOutstanding, p, noOrders));
    measures.push(missingMeasure(MEASURES.paymentAge, p, noOrders));
  } else {
    measures.push(
      measured(
        MEASURES.paymentsOutstanding,
        p,
        pct(outstanding, orders),
        p.t("context.ordersAmount", {
          part: p.count("order", outstanding),
          whole: p.count("order", orders),
          amount: p.money(Number(row.outstanding_amount)),
        }),
      ),
    );
    measures.push(
      outstanding === 0
        ? measured(MEASURES.paymentAge, p, 0, null, p.t("noneWaiting"))
        : measured(
            MEASURES.paymentAge,
            p,
            Number(row.outstanding_age),
            p.t("context.medianOf", { values: p.count("waitingPayment", outstanding) }),
          ),
    );
  }
  const refunds = Number(row.refunds);
  const refundsWaiting = Number(row.refunds_waiting);
  measures.push(
    refunds === 0
      ? missingMeasure(MEASURES.refundTurnaround, p, {
          reason: p.t("missing.noRefunds"),
          fix: null,
        })
      : measured(
          MEASURES.refundTurnaround,
          p,
          Number(row.refund_days),
          refundsWaiting === 0
            ? p.t("context.medianOf", { values: p.count("refund", refunds) })
            : p.t("context.medianWaiting", {
                values: p.count("refund", refunds),
                waiting: p.number(refundsWaiting, 0),
              }),
        ),
  );
  return {
    measures,
    orders,
    revenue: Number(row.revenue),
    outstandingOrders: outstanding,
    outstandingAmount: Number(row.outstanding_amount),
  };
}

async function inventoryFulfillment(
  db: Db,
  setup: Setup,
  spans: Span[],
  orders: number[],
  daily: DailyFigures[],
) {
  const { shop, present: p } = setup;
  const { earliestFrom, latestTo } = bounds(spans);
  // Times to first shipment come from the daily facts, to a tenth of an hour.
  const ship = daily.map((figures) => {
    const shipped = figures.shipTimes.reduce((sum, v) => sum + v.orders, 0);
    return shipped === 0
      ? { shipped }
      : {
          shipped,
          p50: percentileOf(figures.shipTimes, 0.5),
          p90: percentileOf(figures.shipTimes, 0.9),
        };
  });
  // Parcels delayed whenever one looks are in the daily facts; a parcel still on its way is late
  // only once its estimate passed before the span's end, so those few are counted here.
  const inTransit = await perSpan<Record<string, unknown>>(
    db,
    spans,
    sql`select (count(*) filter (where not coalesce(shipment_status in (${delayList}), false)
        and estimated_delivery_at < ${TO}))::int as late
    from fulfillments
    where shop = ${shop} and ${window(sql`created_at`)}
      and delivered_at is null and estimated_delivery_at is not null`,
  );
  const parcels = daily.map((figures, i) => ({
    parcels: figures.parcels,
    delayed: figures.parcelsDelayed + Number(inTransit[i]!.late),
  }));
  const best = await bestSellerStock(db, shop, setup.time, spans, BEST_SELLERS);
  // Oversold orders: the orders holding a variant now below zero, found through the index of
  // their line items' variants (few variants are oversold; reading every line item is not needed).
  const negative = await db.execute(
    sql`select v.id::text as variant_id
    from variants v
    join inventory_levels il on il.shop = v.shop and il.inventory_item_id = v.inventory_item_id
    where v.shop = ${shop} and il.available is not null
    group by v.id having sum(il.available) < 0`,
  );
  const oversoldVariants = (negative as unknown as { rows: { variant_id: string }[] }).rows.map(
    (row) => row.variant_id,
  );
  const oversold =
    oversoldVariants.length === 0
      ? spans.map(() => ({ oversold: 0 }))
      : // Read once over all the spans (one index scan), then counted per span.
        await bySpan<Record<string, unknown>>(
          db,
          spans,
          sql`, oversold as materialized (
            select o.created_at from orders o
            where o.shop = ${shop} and o.created_at >= ${at(earliestFrom)} and o.created_at < ${at(latestTo)}
              and jsonb_path_query_array(o.line_items, '$[*]."variantId"') ?| array[${sql.join(
                oversoldVariants.map((v) => sql`${v}`),
                sql`, `,
              )}]::text[])
          select count(o.created_at)::int as oversold
          from gap_span left join oversold o on ${window(sql`o.created_at`)}
          group by gap_span.i order by gap_span.i`,
        );
  const stock = spans.map((_, i) => ({
    known: best[i]!.known,
    best: best[i]!.best,
    out_of_stock: best[i]!.outOfStock,
    oversold: oversold[i]!.oversold,
  }));
  return spans.map((_, i) => stockOf(p, orders[i]!, ship[i]!, parcels[i]!, stock[i]!));
}

function stockOf(
  p: Present,
  orders: number,
  ship: { shipped: number; p50?: number; p90?: number },
  parcels: { parcels: number; delayed: number },
  stock: Record<string, unknown>,
) {
  const measures: Measure[] = [];
  const known = Number(stock.known);
  const noStock: MissingData = { reason: p.t("missing.noStock"), fix: null };
  if (orders === 0 || known === 0) {
    const why = known === 0 ? noStock : { reason: p.t("missing.noOrders"), fix: null };
    measures.push(missingMeasure(MEASURES.oversold, p, why));
  } else {
    const oversold = Number(stock.oversold);
    measures.push(
      measured(
        MEASURES.oversold,
        p,
        pct(oversold, orders),
        p.t("context.partOf", {
          part: p.count("order", oversold),
          whole: p.count("order", orders),
        }),
      ),
    );
  }
  const shipped = Number(ship.shipped);
  if (shipped === 0) {
    const why: MissingData = { reason: p.t("missing.noneShipped"), fix: null };
    measures.push(missingMeasure(MEASURES.shipTimeP50, p, why));
    measures.push(missingMeasure(MEASURES.shipTimeP90, p, why));
  } else {
    const context = p.t("context.ofShipped", { shipped: p.count("shippedOrder", shipped) });
    measures.push(measured(MEASURES.shipTimeP50, p, Number(ship.p50), context));
    measures.push(measured(MEASURES.shipTimeP90, p, Number(ship.p90), context));
  }
  const parcelCount = Number(parcels.parcels);
  const delayed = Number(parcels.delayed);
  if (parcelCount === 0) {
    measures.push(
      missingMeasure(MEASURES.parcelsDelayed, p, { reason: p.t("missing.noParcels"), fix: null }),
    );
  } else {
    measures.push(
      measured(
        MEASURES.parcelsDelayed,
        p,
        pct(delayed, parcelCount),
        p.t("context.partOf", {
          part: p.count("parcel", delayed),
          whole: p.count("parcel", parcelCount),
        }),
      ),
    );
  }
  const best = Number(stock.best);
  if (best === 0) {
    measures.push(
      missingMeasure(
        MEASURES.bestSellerStockouts,
        p,
        known === 0 ? noStock : { reason: p.t("missing.bestSellersUnknown"), fix: null },
      ),
    );
  } else {
    const out = Number(stock.out_of_stock);
    measures.push(
      measured(
        MEASURES.bestSellerStockouts,
        p,
        pct(out, best),
        p.t("context.topBestSellers", {
          out: p.count("variant", out),
          best: p.count("bestSeller", best),
        }),
      ),
    );
  }
  return { measures, delayed };
}

function withheldReason(status: ProtectedDataStatus, p: Present): MissingData {
  return {
    reason: p.t("missing.withheld", {
      withheld: status.withheld,
      orders: status.ordersWithCustomer,
    }),
    fix: { label: p.t("fix.protectedData"), url: "/app" },
  };
}

async function customerService(
  db: Db,
  setup: Setup,
  spans: Span[],
  orders: number[],
  delayedParcels: number[],
  daily: DailyFigures[],
) {
  const { shop, present: p, connected, protectedData } = setup;
  const withheld = protectedData.withheld > 0;
  if (!connected.has("gorgias")) {
    const why: MissingData = {
      reason: p.t("missing.connectGorgias"),
      fix: { label: p.t("fix.connectGorgias"), url: INTEGRATIONS_URL },
    };
    return spans.map(() => {
      const measures: Measure[] = [];
      for (const s of [
        MEASURES.ticketsPer100,
        MEASURES.wismoShare,
        MEASURES.firstResponse,
        MEASURES.resolution,
        MEASURES.delaysReachedFirst,
      ])
        measures.push(missingMeasure(s, p, why));
      return { measures, delayedNotReached: null as number | null };
    });
  }
  // Tickets first answered, and tickets closed, in the span: hours from the customer writing in
  // (partial indexes on (shop, first reply) and (shop, closed)).
  const timings = await perSpan<Record<string, unknown>>(
    db,
    spans,
    sql`select fr.*, rs.* from (
      select count(*)::int as answered,
        (percentile_cont(0.5) within group (order by greatest(0,
          extract(epoch from (first_agent_response_at - source_created_at))) / 3600))::float8 as first_response_hours
      from gorgias_tickets
      where shop = ${shop} and ${window(sql`first_agent_response_at`)} and source_created_at is not null) fr,
    (
      select count(*)::int as resolved,
        (percentile_cont(0.5) within group (order by greatest(0,
          extract(epoch from (closed_at - source_created_at))) / 3600))::float8 as resolution_hours
      from gorgias_tickets
      where shop = ${shop} and ${window(sql`closed_at`)} and source_created_at is not null) rs`,
  );
  // Tickets and "where is my order" tickets come from the daily facts.
  const tickets = daily.map((figures) => ({
    tickets: figures.tickets,
    wismo: figures.wismoTickets,
  }));
  // The delayed parcels are counted with the parcels (inventoryFulfillment); the ones reached
  // out to first can only be among the parcels whose order got an outreach, so those few are
  // read from the outreach runs (a partial index holds the acted runs by recipe and order), once
  // for every span: whether the customer wrote before the outreach does not depend on the span.
  const { earliestFrom, latestTo } = bounds(spans);
  const delays = await bySpan<Record<string, unknown>>(
    db,
    spans,
    sql`, outreach as (
      select r.order_id, min(r.created_at) as outreach_at from recipe_runs r
      where r.shop = ${shop} and r.recipe_id = 'shipping-delay-outreach' and r.outcome = 'acted'
        and r.order_id is not null and r.created_at < ${at(latestTo)}
      group by r.order_id),
    -- Each order's email by its key (a scalar subquery: joining would read every order), looked
    -- up once per order (materialized: the anti-join below would evaluate it again).
    w as materialized (
      select outreach.*, (select lower(o.email) from orders o
        where o.shop = ${shop} and o.id = outreach.order_id) as email
      from outreach),
    reached as materialized (
      select f.created_at, f.status_delayed, f.estimated_delivery_at, f.delivered_at, w.outreach_at
      from w
      -- Lateral: each outreach's parcels through the (shop, order) index; the runs are few next
      -- to a year's parcels.
      cross join lateral (
        select f.created_at, coalesce(f.shipment_status in (${delayList}), false) as status_delayed,
          f.estimated_delivery_at, f.delivered_at
        from fulfillments f
        where f.shop = ${shop} and f.order_id = w.order_id
          and f.created_at >= ${at(earliestFrom)} and f.created_at < ${at(latestTo)}
          and (f.shipment_status in (${delayList}) or f.estimated_delivery_at is not null)
        offset 0) f
      where not exists (
        select 1 from gorgias_tickets t
        where t.shop = ${shop} and t.customer_email = w.email
          and t.source_updated_at >= f.created_at and t.source_updated_at < w.outreach_at))
    select (count(p.created_at) filter (where p.status_delayed
        or (p.estimated_delivery_at is not null
          and p.estimated_delivery_at < coalesce(p.delivered_at, gap_span.to_at))))::int as reached_first
    from gap_span left join reached p on p.created_at >= gap_span.from_at
      and p.created_at < gap_span.to_at and p.outreach_at < gap_span.to_at
    group by gap_span.i order by gap_span.i`,
  );
  return spans.map((_, i) => {
    const measures: Measure[] = [];
    return serviceOf(
      measures,
      orders[i]!,
      tickets[i]!,
      delayedParcels[i]!,
      delays[i]!,
      timings[i]!,
    );
  });

  function serviceOf(
    measures: Measure[],
    orders: number,
    tickets: { tickets: number; wismo: number },
    delayed: number,
    delays: Record<string, unknown>,
    timing: Record<string, unknown>,
  ) {
    const ticketCount = Number(tickets.tickets);
    if (orders === 0) {
      measures.push(
        missingMeasure(MEASURES.ticketsPer100, p, { reason: p.t("missing.noOrders"), fix: null }),
      );
    } else {
      measures.push(
        measured(
          MEASURES.ticketsPer100,
          p,
          (ticketCount / orders) * 100,
          p.t("context.ticketsFor", {
            tickets: p.count("ticket", ticketCount),
            orders: p.count("order", orders),
          }),
        ),
      );
    }
    if (withheld) {
      measures.push(missingMeasure(MEASURES.wismoShare, p, withheldReason(protectedData, p)));
    } else if (ticketCount === 0) {
      measures.push(
        missingMeasure(MEASURES.wismoShare, p, { reason: p.t("missing.noTickets"), fix: null }),
      );
    } else {
      const wismo = Number(tickets.wismo);
      measures.push(
        measured(
          MEASURES.wismoShare,
          p,
          pct(wismo, ticketCount),
          p.t("context.partOf", {
            part: p.count("ticket", wismo),
            whole: p.count("ticket", ticketCount),
          }),
        ),
      );
    }
    const answered = Number(timing.answered);
    measures.push(
      answered === 0
        ? missingMeasure(MEASURES.firstResponse, p, {
            reason: p.t("missing.noFirstResponses"),
            fix: null,
          })
        : measured(
            MEASURES.firstResponse,
            p,
            Number(timing.first_response_hours),
            p.t("context.medianOf", { values: p.count("ticket", answered) }),
          ),
    );
    const resolved = Number(timing.resolved);
    measures.push(
      resolved === 0
        ? missingMeasure(MEASURES.resolution, p, {
            reason: p.t("missing.noResolvedTickets"),
            fix: null,
          })
        : measured(
            MEASURES.resolution,
            p,
            Number(timing.resolution_hours),
            p.t("context.medianOf", { values: p.count("ticket", resolved) }),
          ),
    );
    const reachedFirst = Number(delays.reached_first);
    if (withheld) {
      measures.push(
        missingMeasure(MEASURES.delaysReachedFirst, p, withheldReason(protectedData, p)),
      );
    } else if (delayed === 0) {
      measures.push(
        missingMeasure(MEASURES.delaysReachedFirst, p, {
          reason: p.t("missing.noDelays"),
          fix: null,
        }),
      );
    } else {
      measures.push(
        measured(
          MEASURES.delaysReachedFirst,
          p,
          pct(reachedFirst, delayed),
          p.t("context.partOf", {
            part: p.count("parcel", reachedFirst),
            whole: p.count("delayedParcel", delayed),
          }),
        ),
      );
    }
    return { measures, delayedNotReached: withheld ? null : delayed - reachedFirst };
  }
}

async function postPurchaseMarketing(db: Db, setup: Setup, spans: Span[], daily: DailyFigures[]) {
  const { shop } = setup;
  // Repeat buyers come from the daily facts (each customer's last order of the span).
  const repeat = daily.map((figures) => ({
    customers: figures.customers,
    returning: figures.returning,
  }));
  const stage = sql`make_interval(hours => ${setup.winBack.firstStage * 24})`;
  const horizon = sql`make_interval(hours => ${LAPSED_HORIZON_DAYS * 24})`;
  const { earliestFrom, latestTo } = bounds(spans);
  const earliestTo = new Date(Math.min(...spans.map((span) => span.to.getTime())));
  // Whether each candidate is on a win-back list is looked up once, then counted per span.
  const lapsed = await bySpan<Record<string, unknown>>(
    db,
    spans,
    sql`, candidates as materialized (
      select c.last_order_at, exists (
        select 1 from klaviyo_list_members m
        join klaviyo_lists l on l.shop = m.shop and l.list_id = m.list_id
        where m.shop = c.shop and m.email = lower(c.email) and l.name like ${setup.winBack.listPattern}) as reached
      from customers c
      where c.shop = ${shop} and c.last_order_at < ${at(latestTo)} - ${stage}
        and c.last_order_at >= ${at(earliestTo)} - ${stage} - ${horizon}),
    -- Every span's bounds, sorted: each candidate is counted once in the slice between two
    -- bounds it falls in, and a span sums its slices (one pass, however many spans).
    bounds as (
      select array_agg(bound order by bound) as sorted from (
        select distinct bound from gap_span
        cross join lateral (values (gap_span.to_at - ${stage}),
          (gap_span.to_at - ${stage} - ${horizon})) as v(bound)) b),
    slices as (
      select width_bucket(c.last_order_at, bounds.sorted) as slice, count(*) as lapsed,
        count(*) filter (where c.reached) as reached
      from candidates c cross join bounds
      group by 1)
    select coalesce(sum(s.lapsed), 0)::int as lapsed, coalesce(sum(s.reached), 0)::int as reached
    from gap_span cross join bounds
    left join slices s
      on s.slice >= width_bucket(gap_span.to_at - ${stage} - ${horizon}, bounds.sorted)
      and s.slice < width_bucket(gap_span.to_at - ${stage}, bounds.sorted)
    group by gap_span.i order by gap_span.i`,
  );
  // Delivered parcels and those asked for a review come from the daily facts.
  const reviews = daily.map((figures) => ({
    delivered: figures.delivered,
    asked: figures.reviewAsked,
  }));
  const upsell = await perSpan<Record<string, unknown>>(
    db,
    spans,
    sql`select count(*)::int as shown,
      (count(*) filter (where status = 'accepted'))::int as accepted,
      (avg(coalesce(charged_revenue, revenue)) filter (where status = 'accepted'))::float8 as average_accepted
    from upsell_offers
    where shop = ${shop} and ${window(sql`shown_at`)}`,
  );
  const abandonAfter = sql`make_interval(hours => ${setup.abandonAfterHours})`;
  // Read once for every span (one range read of the year's checkouts, not one index scan per
  // span), grouped by where each instant that matters falls among the spans' sorted bounds: the
  // slice it was created in, when it counts as abandoned (last activity + delay: at or before a
  // span's end?) and when it was ordered. A span then sums the few groups of its slices, with
  // "abandoned" and "recovered" judged against its own end, as reading its rows would.
  const checkouts = await bySpan<Record<string, unknown>>(
    db,
    spans,
    sql`, bounds as (select ${sortedBounds(spans)} as sorted),
    grouped as (
      select width_bucket(c.created_at, bounds.sorted) as slice,
        width_bucket(c.abandoned_at, bounds.sorted) as abandoned_slice,
        coalesce(c.abandoned_at = bounds.sorted[width_bucket(c.abandoned_at, bounds.sorted)], false) as abandoned_at_bound,
        coalesce(c.ordered_at is null or c.ordered_at > c.abandoned_at, false) as unordered_then,
        width_bucket(c.ordered_at, bounds.sorted) as ordered_slice,
        count(*) as checkouts, sum(c.subtotal_price) as subtotal, count(c.subtotal_price) as priced
      from (
        select created_at, subtotal_price, coalesce(ordered_at, completed_at) as ordered_at,
          last_activity_at + ${abandonAfter} as abandoned_at
        from checkouts
        where shop = ${shop} and created_at >= ${at(earliestFrom)} and created_at < ${at(latestTo)}) c,
        -- The bounds as a constant, not read from the CTE: the scan can then run in parallel.
        (select ${sortedBounds(spans)} as sorted) bounds
      group by 1, 2, 3, 4, 5),
    judged as (
      select gap_span.i, g.checkouts, g.subtotal, g.priced, g.ordered_slice, e.to_slice,
        g.unordered_then and (g.abandoned_slice < e.to_slice
          or (g.abandoned_slice = e.to_slice and g.abandoned_at_bound)) as abandoned
      from gap_span cross join bounds
      cross join lateral (select width_bucket(gap_span.from_at, bounds.sorted) as from_slice,
        width_bucket(gap_span.to_at, bounds.sorted) as to_slice) e
      join grouped g on g.slice >= e.from_slice and g.slice < e.to_slice)
    select coalesce(sum(j.checkouts), 0)::int as checkouts,
      coalesce(sum(j.checkouts) filter (where j.abandoned), 0)::int as abandoned,
      coalesce(sum(j.checkouts) filter (where j.abandoned and j.ordered_slice < j.to_slice), 0)::int as recovered,
      coalesce(sum(j.subtotal) filter (where j.abandoned)
        / nullif(sum(j.priced) filter (where j.abandoned), 0), 0)::float8 as average_value
    from gap_span left join judged j on j.i = gap_span.i
    group by gap_span.i order by gap_span.i`,
  );
  return spans.map((_, i) =>
    marketingOf(setup, repeat[i]!, lapsed[i]!, reviews[i]!, upsell[i]!, checkouts[i]!),
  );
}

function marketingOf(
  setup: Setup,
  repeat: { customers: number; returning: number },
  lapsed: Record<string, unknown>,
  reviews: { delivered: number; asked: unknown },
  upsell: Record<string, unknown>,
  checkouts: Record<string, unknown>,
) {
  const { present: p, connected, protectedData } = setup;
  const klaviyoFix = { label: p.t("fix.connectKlaviyo"), url: INTEGRATIONS_URL };
  const measures: Measure[] = [];
  const customers = Number(repeat.customers);
  if (customers === 0) {
    measures.push(
      missingMeasure(MEASURES.repeatRate, p, {
        reason: p.t("missing.noBuyers"),
        fix: null,
      }),
    );
  } else {
    const returning = Number(repeat.returning);
    measures.push(
      measured(
        MEASURES.repeatRate,
        p,
        pct(returning, customers),
        p.t("context.partOf", {
          part: p.count("customer", returning),
          whole: p.count("customer", customers),
        }),
      ),
    );
  }

  const lapsedCount = Number(lapsed.lapsed);
  const lapsedReached = Number(lapsed.reached);
  let lapsedUnreached: number | null = null;
  if (!connected.has("klaviyo")) {
    measures.push(
      missingMeasure(MEASURES.lapsedReached, p, {
        reason: p.t("missing.connectKlaviyoLapsed"),
        fix: klaviyoFix,
      }),
    );
  } else if (protectedData.withheld > 0) {
    measures.push(missingMeasure(MEASURES.lapsedReached, p, withheldReason(protectedData, p)));
  } else if (lapsedCount === 0) {
    measures.push(
      missingMeasure(MEASURES.lapsedReached, p, {
        reason: p.t("missing.noLapsed", { days: setup.winBack.firstStage }),
        fix: null,
      }),
    );
  } else {
    lapsedUnreached = lapsedCount - lapsedReached;
    measures.push(
      measured(
        MEASURES.lapsedReached,
        p,
        pct(lapsedReached, lapsedCount),
        p.t("context.partOf", {
          part: p.count("customer", lapsedReached),
          whole: p.count("lapsedCustomer", lapsedCount),
        }),
      ),
    );
  }

  const delivered = Number(reviews.delivered);
  let deliveredUnasked: number | null = null;
  if (!connected.has("klaviyo")) {
    measures.push(
      missingMeasure(MEASURES.reviewAsks, p, {
        reason: p.t("missing.connectKlaviyoReviews"),
        fix: klaviyoFix,
      }),
    );
  } else if (delivered === 0) {
    measures.push(
      missingMeasure(MEASURES.reviewAsks, p, {
        reason: p.t("missing.noDeliveries"),
        fix: null,
      }),
    );
  } else {
    const asked = Number(reviews.asked);
    deliveredUnasked = delivered - asked;
    measures.push(
      measured(
        MEASURES.reviewAsks,
        p,
        pct(asked, delivered),
        p.t("context.partOf", {
          part: p.count("parcel", asked),
          whole: p.count("deliveredParcel", delivered),
        }),
      ),
    );
  }

  const shown = Number(upsell.shown);
  let upsellRate: number | null = null;
  if (shown === 0) {
    measures.push(
      missingMeasure(MEASURES.upsellTakeRate, p, {
        reason: p.t("missing.noOffers"),
        fix: { label: p.t("fix.setUpUpsell"), url: "/app/recipes/post-purchase-upsell" },
      }),
    );
  } else {
    const accepted = Number(upsell.accepted);
    upsellRate = accepted / shown;
    measures.push(
      measured(
        MEASURES.upsellTakeRate,
        p,
        pct(accepted, shown),
        p.t("context.partOf", {
          part: p.count("offer", accepted),
          whole: p.count("offerShown", shown),
        }),
      ),
    );
  }

  const abandoned = Number(checkouts.abandoned);
  const recovered = Number(checkouts.recovered);
  if (abandoned === 0) {
    measures.push(
      missingMeasure(MEASURES.checkoutRecovery, p, {
        reason: p.t(
          Number(checkouts.checkouts) === 0 ? "missing.noCheckouts" : "missing.noneAbandoned",
        ),
        fix: null,
      }),
    );
  } else {
    measures.push(
      measured(
        MEASURES.checkoutRecovery,
        p,
        pct(recovered, abandoned),
        p.t("context.partOf", {
          part: p.count("checkout", recovered),
          whole: p.count("abandonedCheckout", abandoned),
        }),
      ),
    );
  }
  return {
    measures,
    lapsedUnreached,
    deliveredUnasked,
    upsellRate,
    averageUpsell: num(upsell.average_accepted),
    abandonedUnrecovered: abandoned - recovered,
    averageCheckout: Number(checkouts.average_value),
    recoveryRate: abandoned === 0 ? null : recovered / abandoned,
  };
}

/** Every measure over each span, one statement per figure for all the spans at once. */
async function measureZones(
  db: Db,
  setup: Setup,
  spans: Span[],
): Promise<{ zones: Record<ZoneId, Measure[]>; figures: Figures }[]> {
  const daily = await dailyFigures(db, setup.shop, setup.time, spans, { refresh: false });
  const cashes = await orderToCash(db, setup, spans, daily);
  const orders = cashes.map((cash) => cash.orders);
  const stocks = await inventoryFulfillment(db, setup, spans, orders, daily);
  const services = await customerService(
    db,
    setup,
    spans,
    orders,
    stocks.map((stock) => stock.delayed),
    daily,
  );
  const marketings = await postPurchaseMarketing(db, setup, spans, daily);
  return spans.map((_, i) => {
    const cash = cashes[i]!;
    const stock = stocks[i]!;
    const service = services[i]!;
    const marketing = marketings[i]!;
    return {
      zones: {
        "order-to-cash": cash.measures,
        "inventory-fulfillment": stock.measures,
        "customer-service": service.measures,
        "post-purchase-marketing": marketing.measures,
      },
      figures: {
        orders: cash.orders,
        revenue: cash.revenue,
        averageOrder: cash.orders === 0 ? 0 : cash.revenue / cash.orders,
        outstandingAmount: cash.outstandingAmount,
        outstandingOrders: cash.outstandingOrders,
        abandonedUnrecovered: marketing.abandonedUnrecovered,
        averageCheckout: marketing.averageCheckout,
        recoveryRate: marketing.recoveryRate,
        lapsedUnreached: marketing.lapsedUnreached,
        // Without Gorgias nobody knows who wrote first: every delayed parcel is at stake.
        delayedNotReached: service.delayedNotReached ?? stock.delayed,
        deliveredUnasked: marketing.deliveredUnasked,
        upsellRate: marketing.upsellRate,
        averageUpsell: marketing.averageUpsell,
      },
    };
  });
}

/** The gaps, priced over the window with the stated RATES, most money first. */
export function punchList(
  figures: Figures,
  p: Present,
  recipeOf: (id: string) => PunchItem["recipe"],
): PunchItem[] {
  const { money, percent } = p;
  const items: PunchItem[] = [];
  const aov = figures.averageOrder;

  if (figures.abandonedUnrecovered > 0 && figures.recoveryRate !== null) {
    const gap = RATES.checkoutRecovery - figures.recoveryRate;
    if (gap > 0) {
      const atStake = figures.abandonedUnrecovered * figures.averageCheckout * gap;
      items.push({
        id: "abandoned-checkouts",
        zone: "post-purchase-marketing",
        measureId: MEASURES.checkoutRecovery.id,
        title: p.t("punch.abandoned.title", { count: figures.abandonedUnrecovered }),
        atStake,
        atStakeDisplay: money(atStake),
        arithmetic: [
          p.t("punch.abandoned.gap", {
            target: percent(RATES.checkoutRecovery),
            yours: percent(figures.recoveryRate),
            gap: percent(gap),
          }),
          p.t("punch.abandoned.sum", {
            checkouts: p.count("abandonedCheckout", figures.abandonedUnrecovered),
            average: money(figures.averageCheckout),
            gap: percent(gap),
            total: money(atStake),
          }),
        ],
        recipe: recipeOf("abandoned-checkout-recovery"),
      });
    }
  }
  if (figures.lapsedUnreached !== null && figures.lapsedUnreached > 0 && aov > 0) {
    const atStake = figures.lapsedUnreached * aov * RATES.winBack;
    items.push({
      id: "lapsed-customers",
      zone: "post-purchase-marketing",
      measureId: MEASURES.lapsedReached.id,
      title: p.t("punch.lapsed.title", { count: figures.lapsedUnreached }),
      atStake,
      atStakeDisplay: money(atStake),
      arithmetic: [
        p.t("punch.lapsed.sum", {
          customers: p.count("lapsedCustomer", figures.lapsedUnreached),
          aov: money(aov),
          rate: percent(RATES.winBack),
          total: money(atStake),
        }),
      ],
      recipe: recipeOf("win-back-segments"),
    });
  }
  if (figures.delayedNotReached > 0) {
    const tickets = figures.delayedNotReached * RATES.wismoTicketsPerDelay;
    const atStake = tickets * RATES.costPerTicket;
    items.push({
      id: "delayed-parcels",
      zone: "customer-service",
      measureId: MEASURES.delaysReachedFirst.id,
      title: p.t("punch.delayed.title", { count: figures.delayedNotReached }),
      atStake,
      atStakeDisplay: money(atStake),
      arithmetic: [
        p.t("punch.delayed.sum", {
          parcels: p.count("delayedParcel", figures.delayedNotReached),
          rate: percent(RATES.wismoTicketsPerDelay),
          cost: money(RATES.costPerTicket),
          total: money(atStake),
        }),
      ],
      recipe: recipeOf("shipping-delay-outreach"),
    });
  }
  if (figures.deliveredUnasked !== null && figures.deliveredUnasked > 0 && aov > 0) {
    const atStake = figures.deliveredUnasked * RATES.reviewRepeat * aov;
    items.push({
      id: "review-asks",
      zone: "post-purchase-marketing",
      measureId: MEASURES.reviewAsks.id,
      title: p.t("punch.reviews.title", { count: figures.deliveredUnasked }),
      atStake,
      atStakeDisplay: money(atStake),
      arithmetic: [
        p.t("punch.reviews.sum", {
          parcels: p.count("deliveredParcel", figures.deliveredUnasked),
          rate: percent(RATES.reviewRepeat),
          aov: money(aov),
          total: money(atStake),
        }),
      ],
      recipe: recipeOf("review-request-timing"),
    });
  }
  if (figures.orders > 0 && aov > 0) {
    const current = figures.upsellRate ?? 0;
    const gap = RATES.upsellTakeRate - current;
    if (gap > 0) {
      const value = figures.averageUpsell ?? aov * RATES.upsellValueShare;
      const atStake = figures.orders * gap * value;
      items.push({
        id: "post-purchase-upsell",
        zone: "post-purchase-marketing",
        measureId: MEASURES.upsellTakeRate.id,
        // No offer shown yet: the gap is every order, not a take rate below target.
        title:
          figures.upsellRate === null
            ? p.t("punch.upsell.titleNone", { count: figures.orders })
            : p.t("punch.upsell.title", {
                count: figures.orders,
                rate: percent(RATES.upsellTakeRate),
              }),
        atStake,
        atStakeDisplay: money(atStake),
        arithmetic: [
          figures.averageUpsell === null
            ? p.t("punch.upsell.valueEstimated", {
                aov: money(aov),
                share: percent(RATES.upsellValueShare),
                value: money(value),
              })
            : p.t("punch.upsell.valueMeasured", { value: money(value) }),
          figures.upsellRate === null
            ? p.t("punch.upsell.sumNone", {
                orders: p.count("order", figures.orders),
                target: percent(RATES.upsellTakeRate),
                value: money(value),
                total: money(atStake),
              })
            : p.t("punch.upsell.sum", {
                orders: p.count("order", figures.orders),
                target: percent(RATES.upsellTakeRate),
                current: percent(current),
                value: money(value),
                total: money(atStake),
              }),
        ],
        recipe: recipeOf("post-purchase-upsell"),
      });
    }
  }
  if (figures.outstandingAmount > 0) {
    const atStake = figures.outstandingAmount * RATES.uncollected;
    items.push({
      id: "outstanding-payments",
      zone: "order-to-cash",
      measureId: MEASURES.paymentsOutstanding.id,
      title: p.t("punch.outstanding.title", { count: figures.outstandingOrders }),
      atStake,
      atStakeDisplay: money(atStake),
      arithmetic: [
        p.t("punch.outstanding.sum", {
          amount: money(figures.outstandingAmount),
          rate: percent(RATES.uncollected),
          total: money(atStake),
        }),
      ],
      recipe: null,
    });
  }
  return items.sort((a, b) => b.atStake - a.atStake || a.id.localeCompare(b.id));
}

/** Monday of the shop-local week holding `localDate`. */
function weekStartOf(localDate: string): string {
  const day = new Date(`${localDate}T00:00:00Z`).getUTCDay();
  return addDays(localDate, -((day + 6) % 7));
}

async function loadSetup(db: Db, shop: string, locale: Locale) {
  const [shopRow] = await db
    .select({ currency: shops.currency, timeZone: shops.ianaTimezone })
    .from(shops)
    .where(eq(shops.domain, shop));
  const first = await one<{ currency: string | null; first_order_at: string | null } | undefined>(
    db,
    sql`select (select currency from orders where shop = ${shop} order by created_at desc nulls last limit 1) as currency,
      (select min(created_at) from orders where shop = ${shop})::text as first_order_at`,
  );
  const settings = await db
    .select({
      recipeId: recipeSettings.recipeId,
      enabled: recipeSettings.enabled,
      config: recipeSettings.config,
    })
    .from(recipeSettings)
    .where(eq(recipeSettings.shop, shop));
  const configOf = (id: string) => settings.find((s) => s.recipeId === id)?.config ?? {};
  const winBack =
    winBackSegments.configSchema.safeParse(configOf(winBackSegments.id)).data ??
    winBackSegments.configSchema.parse({});
  const abandoned =
    abandonedCheckoutRecovery.configSchema.safeParse(configOf(abandonedCheckoutRecovery.id)).data ??
    abandonedCheckoutRecovery.configSchema.parse({});
  const time = shopTime({ timeZone: shopRow?.timeZone, locale: intlLocale(locale) });
  // The shop's currency from Shopify, else what its orders are in (nothing assumes USD).
  const currency = shopRow?.currency ?? first?.currency ?? "USD";
  const setup: Setup = {
    shop,
    time,
    currency,
    present: presentFor(locale, currency),
    connected: await connectedIntegrations(db, shop),
    protectedData: await protectedDataStatus(db, shop),
    enabled: new Set(settings.filter((s) => s.enabled).map((s) => s.recipeId)),
    winBack: {
      firstStage: (winBack.stages as number[])[0]!,
      listPattern: `${(winBack.listPrefix as string).replace(/[\\%_]/g, "\\$&")} %`,
    },
    abandonAfterHours: abandoned.abandonAfterHours as number,
  };
  const firstOrderAt = first?.first_order_at ? new Date(first.first_order_at) : null;
  return { setup, time, firstOrderAt };
}

/** The trend's weeks: the last TREND_WEEKS shop-local weeks since the first order, this one so far. */
function trendWeeks(time: ShopTime, now: Date, firstOrderAt: Date | null) {
  if (!firstOrderAt) return [];
  const thisWeek = weekStartOf(time.localDate(now));
  const weeks: { weekStart: string; span: Span }[] = [];
  for (let back = TREND_WEEKS - 1; back >= 0; back--) {
    const weekStart = addDays(thisWeek, -7 * back);
    const from = time.startOfDay(weekStart);
    const end = time.startOfDay(addDays(weekStart, 7));
    if (end <= firstOrderAt) continue;
    weeks.push({ weekStart, span: { from, to: end < now ? end : now } });
  }
  return weeks;
}

function trendOf(
  weeks: { weekStart: string }[],
  measuredWeeks: { zones: Record<ZoneId, Measure[]> }[],
): TrendPoint[] {
  return weeks.map(({ weekStart }, i) => ({
    weekStart,
    scores: Object.fromEntries(
      ZONE_IDS.map((zone) => [zone, zoneScore(measuredWeeks[i]!.zones[zone])]),
    ) as Record<ZoneId, number | null>,
  }));
}

export async function computeGapReport(
  db: Db,
  shop: string,
  options: { windowDays: WindowDays; now: Date; locale?: Locale },
): Promise<GapReport> {
  const started = performance.now();
  const { windowDays, now, locale = DEFAULT_LOCALE } = options;
  const { setup, time, firstOrderAt } = await loadSetup(db, shop, locale);
  const present = setup.present;
  const from = new Date(now.getTime() - windowDays * DAY_MS);
  const weeks = trendWeeks(time, now, firstOrderAt);
  // The daily facts of every day read are brought up to date first (their own transaction, which
  // writes), then everything is read from one snapshot, so the window and its trend agree even
  // while webhooks keep arriving. Without JIT: these statements are planned as expensive but
  // run in well under a second each, and compiling them cost more than running them.
  await refreshSpans(db, shop, time, [{ from, to: now }, ...weeks.map((week) => week.span)]);
  const { measuredWindow, trend } = await db.transaction(
    async (tx) => {
      await tx.execute(sql`set local jit = off`);
      // The window and the trend's weeks in one call: a figure read once for every span (delays
      // reached first, oversold orders, lapsed customers) then reads the year once, not twice.
      const [measuredWindow, ...measuredWeeks] = await measureZones(tx, setup, [
        { from, to: now },
        ...weeks.map((week) => week.span),
      ]);
      return { measuredWindow: measuredWindow!, trend: trendOf(weeks, measuredWeeks) };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  const { zones, figures } = measuredWindow;
  const band = bandOf(figures.revenue, windowDays, present);
  const zoneScores: ZoneScore[] = ZONE_IDS.map((zone) => ({
    zone,
    label: present.t(`zone.${zone}`),
    score: zoneScore(zones[zone]),
    typical: typicalScore(band.id, zone),
    measures: zones[zone],
  }));
  const recipeOf = (id: string): PunchItem["recipe"] => {
    const recipe = findRecipe(id);
    return recipe
      ? { id, name: recipeText(recipe, locale).title, enabled: setup.enabled.has(id) }
      : null;
  };
  return {
    shop,
    computedAt: now.toISOString(),
    computedAtDisplay: present.t("computedAt", { when: time.dateTime(now) }),
    computeMs: Math.round(performance.now() - started),
    window: {
      days: windowDays,
      from: from.toISOString(),
      to: now.toISOString(),
      display: `${time.date(from)} – ${time.date(now)}`,
    },
    currency: setup.currency,
    ordersInWindow: figures.orders,
    band,
    zones: zoneScores,
    punchList: punchList(figures, present, recipeOf),
    trend,
  };
}
