import { eq, sql, type SQL } from "drizzle-orm";
import { recipeSettings, shops } from "../../../db/schema/index";
import type { Db } from "../../db.server";
import { abandonedCheckoutRecovery } from "../../recipes/abandoned-checkout-recovery/recipe";
import { DELAY_STATUSES } from "../../recipes/shipping-delay-outreach/config";
import { findRecipe } from "../../recipes/registry";
import { formatMoney } from "../../recipes/shared";
import { winBackSegments } from "../../recipes/win-back-segments/recipe";
import { addDays, shopTime, type ShopTime } from "../../utils/shop-time";
import { connectedIntegrations } from "../integrations.server";
import { protectedDataStatus, type ProtectedDataStatus } from "../protected-data.server";
import { bandOf, typicalScore } from "./bands";
import { measured, missingMeasure, plural, zoneScore, type MeasureSpec } from "./measures";
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
 * Every figure is one SQL aggregate over the shop's rows (nothing is loaded row by row), so a
 * year of a large store stays within seconds. docs/gap-report.md documents every measure,
 * threshold and rate.
 */

const DAY_MS = 86_400_000;
const TREND_WEEKS = 12;
/** Best-sellers: the window's top variants by units sold. */
const BEST_SELLERS = 20;
/** A ticket is about "where is my order" when the customer had a parcel shipped this recently and not yet delivered. */
const WISMO_PARCEL_DAYS = 30;
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

const OUTSTANDING_STATUSES = ["pending", "authorized", "partially_paid", "voided", "expired"];

const ZONE_LABELS: Record<ZoneId, string> = {
  "order-to-cash": "Order-to-cash",
  "inventory-fulfillment": "Inventory & fulfillment",
  "customer-service": "Customer service",
  "post-purchase-marketing": "Post-purchase & marketing",
};

const spec = (s: MeasureSpec) => s;

export const MEASURES = {
  paymentsOutstanding: spec({
    id: "payments-outstanding",
    zone: "order-to-cash",
    label: "Payments pending or failed",
    definition:
      "Orders placed in the window, not cancelled, whose payment is still pending, only authorized or partly paid, or was voided or expired, as a share of all orders in the window.",
    unit: "percent",
    thresholds: { better: "lower", levels: [1, 3, 8] },
  }),
  paymentAge: spec({
    id: "payment-age",
    zone: "order-to-cash",
    label: "Age of pending payments",
    definition:
      "How long the window's outstanding payments have been waiting: the median time since their order was placed.",
    unit: "days",
    thresholds: { better: "lower", levels: [1, 3, 7] },
  }),
  refundTurnaround: spec({
    id: "refund-turnaround",
    zone: "order-to-cash",
    label: "Refund turnaround",
    definition: "Time from a refund being asked for to the money going back to the customer.",
    unit: "days",
    thresholds: { better: "lower", levels: [2, 5, 10] },
  }),
  oversold: spec({
    id: "oversold-orders",
    zone: "inventory-fulfillment",
    label: "Orders that oversold a variant",
    definition:
      "Orders in the window with an item whose stock, summed over your locations, is now below zero, as a share of the window's orders.",
    unit: "percent",
    thresholds: { better: "lower", levels: [0.5, 1, 3] },
  }),
  shipTimeP50: spec({
    id: "ship-time-p50",
    zone: "inventory-fulfillment",
    label: "Order to shipment (typical)",
    definition:
      "Half of the window's shipped orders left within this time: the median from the order to its first fulfillment.",
    unit: "hours",
    thresholds: { better: "lower", levels: [24, 48, 96] },
  }),
  shipTimeP90: spec({
    id: "ship-time-p90",
    zone: "inventory-fulfillment",
    label: "Order to shipment (slowest tenth)",
    definition:
      "Nine in ten of the window's shipped orders left within this time (90th percentile from the order to its first fulfillment).",
    unit: "hours",
    thresholds: { better: "lower", levels: [48, 96, 168] },
  }),
  parcelsDelayed: spec({
    id: "parcels-delayed",
    zone: "inventory-fulfillment",
    label: "Parcels delayed or failed",
    definition:
      "Parcels shipped in the window that the carrier marked delayed, failed or attempted, or that missed their estimated delivery date, as a share of the window's parcels.",
    unit: "percent",
    thresholds: { better: "lower", levels: [2, 5, 10] },
  }),
  bestSellerStockouts: spec({
    id: "bestseller-stockouts",
    zone: "inventory-fulfillment",
    label: "Best-sellers out of stock",
    definition: `Of the window's ${BEST_SELLERS} best-selling variants (by units) whose stock Switchboard knows, the share with none left now.`,
    unit: "percent",
    thresholds: { better: "lower", levels: [0, 5, 15] },
  }),
  ticketsPer100: spec({
    id: "tickets-per-100-orders",
    zone: "customer-service",
    label: "Tickets per 100 orders",
    definition:
      "Gorgias tickets last updated in the window, per 100 orders placed in it (Switchboard learns of tickets as Gorgias updates them).",
    unit: "per-100-orders",
    thresholds: { better: "lower", levels: [2, 5, 10] },
  }),
  wismoShare: spec({
    id: "wismo-share",
    zone: "customer-service",
    label: "“Where is my order” tickets",
    definition: `Tickets in the window from a customer who had a parcel on its way (shipped in the ${WISMO_PARCEL_DAYS} days before, not yet delivered) when the ticket was updated, as a share of the window's tickets.`,
    unit: "percent",
    thresholds: { better: "lower", levels: [10, 20, 35] },
  }),
  firstResponse: spec({
    id: "first-response-time",
    zone: "customer-service",
    label: "First response time",
    definition: "Time from a ticket being opened to the first answer from your team.",
    unit: "hours",
    thresholds: { better: "lower", levels: [1, 4, 24] },
  }),
  resolution: spec({
    id: "resolution-time",
    zone: "customer-service",
    label: "Resolution time",
    definition: "Time from a ticket being opened to it being closed.",
    unit: "hours",
    thresholds: { better: "lower", levels: [12, 24, 72] },
  }),
  delaysReachedFirst: spec({
    id: "delays-reached-first",
    zone: "customer-service",
    label: "Delays reached out to first",
    definition:
      "Delayed parcels of the window whose customer Shipping delay outreach wrote to before any ticket from them, as a share of the window's delayed parcels.",
    unit: "percent",
    thresholds: { better: "higher", levels: [80, 50, 20] },
  }),
  repeatRate: spec({
    id: "repeat-purchase-rate",
    zone: "post-purchase-marketing",
    label: "Repeat-purchase rate",
    definition:
      "Customers who ordered in the window and had ordered before, as a share of the window's customers.",
    unit: "percent",
    thresholds: { better: "higher", levels: [30, 20, 10] },
  }),
  lapsedReached: spec({
    id: "lapsed-reached",
    zone: "post-purchase-marketing",
    label: "Lapsed customers reached",
    definition:
      "Customers past your first win-back stage (and within a year of it) who are on one of Switchboard's win-back lists in Klaviyo, as a share of those customers.",
    unit: "percent",
    thresholds: { better: "higher", levels: [80, 50, 20] },
  }),
  reviewAsks: spec({
    id: "review-asks",
    zone: "post-purchase-marketing",
    label: "Review asks per delivered parcel",
    definition:
      "Parcels delivered in the window whose order got a review request from Review request timing, as a share of the window's delivered parcels.",
    unit: "percent",
    thresholds: { better: "higher", levels: [80, 50, 20] },
  }),
  upsellTakeRate: spec({
    id: "upsell-take-rate",
    zone: "post-purchase-marketing",
    label: "Upsell take rate",
    definition: "Post-purchase offers shown in the window that the buyer accepted.",
    unit: "percent",
    thresholds: { better: "higher", levels: [10, 5, 2] },
  }),
  checkoutRecovery: spec({
    id: "checkout-recovery",
    zone: "post-purchase-marketing",
    label: "Checkout recovery rate",
    definition:
      "Checkouts started in the window and left without an order for your abandonment delay that later became an order, as a share of those abandoned checkouts.",
    unit: "percent",
    thresholds: { better: "higher", levels: [15, 8, 3] },
  }),
} as const;

const CONNECT: Record<"gorgias" | "klaviyo", MissingData["fix"]> = {
  gorgias: { label: "Connect Gorgias", url: "/app/integrations" },
  klaviyo: { label: "Connect Klaviyo", url: "/app/integrations" },
};

interface Span {
  from: Date;
  to: Date;
}

interface Setup {
  shop: string;
  currency: string;
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

async function orderToCash(db: Db, setup: Setup, spans: Span[]) {
  const { shop, currency } = setup;
  const rows = await perSpan<Record<string, unknown>>(
    db,
    spans,
    sql`select count(*)::int as orders,
      coalesce(sum(total_price), 0)::float8 as revenue,
      (count(*) filter (where cancelled_at is null and financial_status in (${outstandingList})))::int as outstanding,
      coalesce(sum(total_price) filter (where cancelled_at is null and financial_status in (${outstandingList})), 0)::float8 as outstanding_amount,
      (percentile_cont(0.5) within group (order by extract(epoch from (${TO} - created_at)) / 86400)
        filter (where cancelled_at is null and financial_status in (${outstandingList})))::float8 as outstanding_age
    from orders
    where shop = ${shop} and created_at >= ${FROM} and created_at < ${TO}`,
  );
  return rows.map((row) => cashOf(row, currency));
}

function cashOf(row: Record<string, unknown>, currency: string) {
  const orders = Number(row.orders);
  const outstanding = Number(row.outstanding);
  const measures: Measure[] = [];
  const noOrders: MissingData = { reason: "No orders were placed in the window.", fix: null };
  if (orders === 0) {
    measures.push(missingMeasure(MEASURES.paymentsOutstanding, currency, noOrders));
    measures.push(missingMeasure(MEASURES.paymentAge, currency, noOrders));
  } else {
    measures.push(
      measured(
        MEASURES.paymentsOutstanding,
        currency,
        pct(outstanding, orders),
        `${plural(outstanding, "order", "orders")} of ${plural(orders, "order", "orders")}, ${formatMoney(Number(row.outstanding_amount), currency)}`,
      ),
    );
    measures.push(
      outstanding === 0
        ? measured(MEASURES.paymentAge, currency, 0, null, "None waiting")
        : measured(
            MEASURES.paymentAge,
            currency,
            Number(row.outstanding_age),
            `median of ${plural(outstanding, "waiting payment", "waiting payments")}`,
          ),
    );
  }
  measures.push(
    missingMeasure(MEASURES.refundTurnaround, currency, {
      reason:
        "Switchboard keeps how many refunds an order had, not when each was asked for and paid, so your store's data cannot time a refund.",
      fix: null,
    }),
  );
  return {
    measures,
    orders,
    revenue: Number(row.revenue),
    outstandingOrders: outstanding,
    outstandingAmount: Number(row.outstanding_amount),
  };
}

async function inventoryFulfillment(db: Db, setup: Setup, spans: Span[], orders: number[]) {
  const { shop, currency } = setup;
  // Every span's orders meet the shop's parcels in one hash join (per span, the parcels would be
  // read once for each week of the trend).
  const ship = await bySpan<Record<string, unknown>>(
    db,
    spans,
    sql`, first_ship as (
      select gap_span.i, o.created_at, min(f.created_at) as shipped_at
      from gap_span
      join orders o on o.shop = ${shop} and ${window(sql`o.created_at`)} and o.cancelled_at is null
      join fulfillments f on f.shop = o.shop and f.order_id = o.id
      where f.created_at is not null
      group by gap_span.i, o.id, o.created_at)
    select count(s.i)::int as shipped,
      (percentile_cont(0.5) within group (order by extract(epoch from (s.shipped_at - s.created_at)) / 3600))::float8 as p50,
      (percentile_cont(0.9) within group (order by extract(epoch from (s.shipped_at - s.created_at)) / 3600))::float8 as p90
    from gap_span left join first_ship s on s.i = gap_span.i
    group by gap_span.i order by gap_span.i`,
  );
  const parcels = await perSpan<Record<string, unknown>>(
    db,
    spans,
    sql`select count(*)::int as parcels,
      (count(*) filter (where shipment_status in (${delayList})
        or (estimated_delivery_at is not null and estimated_delivery_at < coalesce(delivered_at, ${TO}))))::int as delayed
    from fulfillments
    where shop = ${shop} and ${window(sql`created_at`)}`,
  );
  const stock = await perSpan<Record<string, unknown>>(
    db,
    spans,
    sql`with stock as (
      select v.id::text as variant_id, sum(il.available)::int as available
      from variants v
      join inventory_levels il on il.shop = v.shop and il.inventory_item_id = v.inventory_item_id
      where v.shop = ${shop} and il.available is not null
      group by v.id),
    -- The window's line items, read out of their orders once for both figures.
    items as materialized (
      select o.id as order_id, o.cancelled_at is null as live,
        li->>'variantId' as variant_id, li->>'quantity' as quantity
      from orders o cross join lateral jsonb_array_elements(o.line_items) li
      where o.shop = ${shop} and ${window(sql`o.created_at`)}),
    sold as (
      select variant_id, sum(quantity::int) as units from items
      where live and variant_id is not null
      group by 1),
    best as (
      select s.variant_id, st.available from sold s join stock st on st.variant_id = s.variant_id
      order by s.units desc, s.variant_id limit ${BEST_SELLERS})
    select (select count(*) from stock)::int as known,
      (select count(*) from best)::int as best,
      (select count(*) from best where available <= 0)::int as out_of_stock,
      (select count(distinct i.order_id) from items i
        join stock st on st.variant_id = i.variant_id and st.available < 0)::int as oversold`,
  );
  return spans.map((_, i) => stockOf(currency, orders[i]!, ship[i]!, parcels[i]!, stock[i]!));
}

function stockOf(
  currency: string,
  orders: number,
  ship: Record<string, unknown>,
  parcels: Record<string, unknown>,
  stock: Record<string, unknown>,
) {
  const measures: Measure[] = [];
  const known = Number(stock.known);
  const noStock: MissingData = {
    reason:
      "Switchboard has no stock levels for your variants yet: they arrive with inventory updates from Shopify.",
    fix: null,
  };
  if (orders === 0 || known === 0) {
    const why =
      known === 0 ? noStock : { reason: "No orders were placed in the window.", fix: null };
    measures.push(missingMeasure(MEASURES.oversold, currency, why));
  } else {
    const oversold = Number(stock.oversold);
    measures.push(
      measured(
        MEASURES.oversold,
        currency,
        pct(oversold, orders),
        `${plural(oversold, "order", "orders")} of ${plural(orders, "order", "orders")}`,
      ),
    );
  }
  const shipped = Number(ship.shipped);
  if (shipped === 0) {
    const why: MissingData = {
      reason: "No order placed in the window has shipped yet.",
      fix: null,
    };
    measures.push(missingMeasure(MEASURES.shipTimeP50, currency, why));
    measures.push(missingMeasure(MEASURES.shipTimeP90, currency, why));
  } else {
    const context = `of ${plural(shipped, "shipped order", "shipped orders")}`;
    measures.push(measured(MEASURES.shipTimeP50, currency, Number(ship.p50), context));
    measures.push(measured(MEASURES.shipTimeP90, currency, Number(ship.p90), context));
  }
  const parcelCount = Number(parcels.parcels);
  const delayed = Number(parcels.delayed);
  if (parcelCount === 0) {
    measures.push(
      missingMeasure(MEASURES.parcelsDelayed, currency, {
        reason: "No parcel was shipped in the window.",
        fix: null,
      }),
    );
  } else {
    measures.push(
      measured(
        MEASURES.parcelsDelayed,
        currency,
        pct(delayed, parcelCount),
        `${plural(delayed, "parcel", "parcels")} of ${plural(parcelCount, "parcel", "parcels")}`,
      ),
    );
  }
  const best = Number(stock.best);
  if (best === 0) {
    measures.push(
      missingMeasure(
        MEASURES.bestSellerStockouts,
        currency,
        known === 0
          ? noStock
          : {
              reason: "None of the window's best-sellers has a stock level Switchboard knows.",
              fix: null,
            },
      ),
    );
  } else {
    const out = Number(stock.out_of_stock);
    measures.push(
      measured(
        MEASURES.bestSellerStockouts,
        currency,
        pct(out, best),
        `${plural(out, "variant", "variants")} of the top ${plural(best, "best-seller", "best-sellers")}`,
      ),
    );
  }
  return { measures, delayed };
}

function withheldReason(status: ProtectedDataStatus): MissingData {
  return {
    reason: `Shopify withholds customers' emails from Switchboard (${status.withheld} of your last ${status.ordersWithCustomer} orders with a customer account came without them), so tickets and lists cannot be matched to orders.`,
    fix: { label: "See what protected customer data changes", url: "/app" },
  };
}

async function customerService(db: Db, setup: Setup, spans: Span[], orders: number[]) {
  const { shop, currency, connected, protectedData } = setup;
  const withheld = protectedData.withheld > 0;
  const timingReason: MissingData = {
    reason:
      "Switchboard keeps each Gorgias ticket's status and last update, not when it was opened, first answered or closed, so this time cannot be measured from what it holds.",
    fix: null,
  };
  if (!connected.has("gorgias")) {
    const why: MissingData = {
      reason: "Connect Gorgias to measure your tickets: Switchboard has no helpdesk data.",
      fix: CONNECT.gorgias,
    };
    return spans.map(() => {
      const measures: Measure[] = [];
      for (const s of [MEASURES.ticketsPer100, MEASURES.wismoShare, MEASURES.delaysReachedFirst])
        measures.push(missingMeasure(s, currency, why));
      measures.push(missingMeasure(MEASURES.firstResponse, currency, timingReason));
      measures.push(missingMeasure(MEASURES.resolution, currency, timingReason));
      return { measures, delayedNotReached: null as number | null };
    });
  }
  const tickets = await perSpan<Record<string, unknown>>(
    db,
    spans,
    sql`with t as (
      select ticket_id, customer_email, source_updated_at from gorgias_tickets
      where shop = ${shop} and source_updated_at >= ${FROM} and source_updated_at < ${TO}),
    wismo as (
      select distinct t.ticket_id from t
      join customers c on c.shop = ${shop} and lower(c.email) = t.customer_email
      join orders o on o.shop = c.shop and o.customer_id = c.id
      join fulfillments f on f.shop = o.shop and f.order_id = o.id
      where f.created_at <= t.source_updated_at
        and f.created_at > t.source_updated_at - make_interval(days => ${WISMO_PARCEL_DAYS})
        and (f.delivered_at is null or f.delivered_at > t.source_updated_at))
    select (select count(*) from t)::int as tickets, (select count(*) from wismo)::int as wismo`,
  );
  const delays = await perSpan<Record<string, unknown>>(
    db,
    spans,
    sql`with outreach as (
      select r.order_id, min(r.created_at) as outreach_at from recipe_runs r
      where r.shop = ${shop} and r.recipe_id = 'shipping-delay-outreach' and r.outcome = 'acted'
        and r.created_at < ${TO}
      group by r.order_id),
    delayed as (
      select f.created_at, f.order_id, lower(o.email) as email, w.outreach_at
      from fulfillments f join orders o on o.shop = f.shop and o.id = f.order_id
        left join outreach w on w.order_id = f.order_id
      where f.shop = ${shop} and f.created_at >= ${FROM} and f.created_at < ${TO}
        and (f.shipment_status in (${delayList})
          or (f.estimated_delivery_at is not null and f.estimated_delivery_at < coalesce(f.delivered_at, ${TO}))))
    select count(*)::int as delayed,
      (count(*) filter (where outreach_at is not null and not exists (
        select 1 from gorgias_tickets t
        where t.shop = ${shop} and t.customer_email = d.email
          and t.source_updated_at >= d.created_at and t.source_updated_at < d.outreach_at)))::int as reached_first
    from delayed d`,
  );
  return spans.map((_, i) => {
    const measures: Measure[] = [];
    return serviceOf(measures, orders[i]!, tickets[i]!, delays[i]!);
  });

  function serviceOf(
    measures: Measure[],
    orders: number,
    tickets: Record<string, unknown>,
    delays: Record<string, unknown>,
  ) {
    const ticketCount = Number(tickets.tickets);
    if (orders === 0) {
      measures.push(
        missingMeasure(MEASURES.ticketsPer100, currency, {
          reason: "No orders were placed in the window.",
          fix: null,
        }),
      );
    } else {
      measures.push(
        measured(
          MEASURES.ticketsPer100,
          currency,
          (ticketCount / orders) * 100,
          `${plural(ticketCount, "ticket", "tickets")} for ${plural(orders, "order", "orders")}`,
        ),
      );
    }
    if (withheld) {
      measures.push(missingMeasure(MEASURES.wismoShare, currency, withheldReason(protectedData)));
    } else if (ticketCount === 0) {
      measures.push(
        missingMeasure(MEASURES.wismoShare, currency, {
          reason: "Gorgias told Switchboard of no ticket in the window.",
          fix: null,
        }),
      );
    } else {
      const wismo = Number(tickets.wismo);
      measures.push(
        measured(
          MEASURES.wismoShare,
          currency,
          pct(wismo, ticketCount),
          `${plural(wismo, "ticket", "tickets")} of ${plural(ticketCount, "ticket", "tickets")}`,
        ),
      );
    }
    measures.push(missingMeasure(MEASURES.firstResponse, currency, timingReason));
    measures.push(missingMeasure(MEASURES.resolution, currency, timingReason));
    const delayed = Number(delays.delayed);
    const reachedFirst = Number(delays.reached_first);
    if (withheld) {
      measures.push(
        missingMeasure(MEASURES.delaysReachedFirst, currency, withheldReason(protectedData)),
      );
    } else if (delayed === 0) {
      measures.push(
        missingMeasure(MEASURES.delaysReachedFirst, currency, {
          reason: "No parcel shipped in the window was delayed.",
          fix: null,
        }),
      );
    } else {
      measures.push(
        measured(
          MEASURES.delaysReachedFirst,
          currency,
          pct(reachedFirst, delayed),
          `${plural(reachedFirst, "parcel", "parcels")} of ${plural(delayed, "delayed parcel", "delayed parcels")}`,
        ),
      );
    }
    return { measures, delayedNotReached: withheld ? null : delayed - reachedFirst };
  }
}

async function postPurchaseMarketing(db: Db, setup: Setup, spans: Span[]) {
  const { shop } = setup;
  // A customer of the span returns when an order of theirs came before their last one in the
  // span: one probe per customer of the span rather than one per order.
  const repeat = await bySpan<Record<string, unknown>>(
    db,
    spans,
    sql`, buyers as (
      select gap_span.i, o.customer_id, max(o.created_at) as last_at
      from gap_span join orders o on o.shop = ${shop} and o.customer_id is not null
        and ${window(sql`o.created_at`)}
      group by gap_span.i, o.customer_id)
    select count(b.customer_id)::int as customers,
      (count(*) filter (where exists (
        select 1 from orders p
        where p.shop = ${shop} and p.customer_id = b.customer_id and p.created_at < b.last_at)))::int as returning
    from gap_span left join buyers b on b.i = gap_span.i
    group by gap_span.i order by gap_span.i`,
  );
  const stage = sql`make_interval(hours => ${setup.winBack.firstStage * 24})`;
  const horizon = sql`make_interval(hours => ${LAPSED_HORIZON_DAYS * 24})`;
  const latestTo = new Date(Math.max(...spans.map((span) => span.to.getTime())));
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
        and c.last_order_at >= ${at(earliestTo)} - ${stage} - ${horizon})
    select count(c.last_order_at)::int as lapsed,
      (count(*) filter (where c.reached))::int as reached
    from gap_span left join candidates c on c.last_order_at < gap_span.to_at - ${stage}
      and c.last_order_at >= gap_span.to_at - ${stage} - ${horizon}
    group by gap_span.i order by gap_span.i`,
  );
  const reviews = await perSpan<Record<string, unknown>>(
    db,
    spans,
    sql`with asked as (
      select distinct r.order_id from recipe_runs r
      where r.shop = ${shop} and r.recipe_id = 'review-request-timing' and r.outcome = 'acted'
        and r.created_at < ${TO})
    select count(*)::int as delivered, (count(a.order_id))::int as asked
    from fulfillments f left join asked a on a.order_id = f.order_id
    where f.shop = ${shop} and ${window(sql`f.delivered_at`)}`,
  );
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
  const checkouts = await perSpan<Record<string, unknown>>(
    db,
    spans,
    sql`with c as (
      select subtotal_price, coalesce(ordered_at, completed_at) as ordered_at, last_activity_at
      from checkouts
      where shop = ${shop} and ${window(sql`created_at`)}),
    abandoned as (
      select * from c
      where last_activity_at + ${abandonAfter} <= ${TO}
        and (ordered_at is null or ordered_at > last_activity_at + ${abandonAfter}))
    select (select count(*) from c)::int as checkouts,
      (select count(*) from abandoned)::int as abandoned,
      (select count(*) from abandoned where ordered_at is not null and ordered_at < ${TO})::int as recovered,
      (select coalesce(avg(subtotal_price), 0) from abandoned)::float8 as average_value`,
  );
  return spans.map((_, i) =>
    marketingOf(setup, repeat[i]!, lapsed[i]!, reviews[i]!, upsell[i]!, checkouts[i]!),
  );
}

function marketingOf(
  setup: Setup,
  repeat: Record<string, unknown>,
  lapsed: Record<string, unknown>,
  reviews: Record<string, unknown>,
  upsell: Record<string, unknown>,
  checkouts: Record<string, unknown>,
) {
  const { currency, connected, protectedData } = setup;
  const measures: Measure[] = [];
  const customers = Number(repeat.customers);
  if (customers === 0) {
    measures.push(
      missingMeasure(MEASURES.repeatRate, currency, {
        reason: "No order in the window came from a customer account.",
        fix: null,
      }),
    );
  } else {
    const returning = Number(repeat.returning);
    measures.push(
      measured(
        MEASURES.repeatRate,
        currency,
        pct(returning, customers),
        `${plural(returning, "customer", "customers")} of ${plural(customers, "customer", "customers")}`,
      ),
    );
  }

  const lapsedCount = Number(lapsed.lapsed);
  const lapsedReached = Number(lapsed.reached);
  let lapsedUnreached: number | null = null;
  if (!connected.has("klaviyo")) {
    measures.push(
      missingMeasure(MEASURES.lapsedReached, currency, {
        reason:
          "Connect Klaviyo to reach lapsed customers: Switchboard's win-back lists live there.",
        fix: CONNECT.klaviyo,
      }),
    );
  } else if (protectedData.withheld > 0) {
    measures.push(missingMeasure(MEASURES.lapsedReached, currency, withheldReason(protectedData)));
  } else if (lapsedCount === 0) {
    measures.push(
      missingMeasure(MEASURES.lapsedReached, currency, {
        reason: `No customer's last order is between ${setup.winBack.firstStage} days and a year before that.`,
        fix: null,
      }),
    );
  } else {
    lapsedUnreached = lapsedCount - lapsedReached;
    measures.push(
      measured(
        MEASURES.lapsedReached,
        currency,
        pct(lapsedReached, lapsedCount),
        `${plural(lapsedReached, "customer", "customers")} of ${plural(lapsedCount, "lapsed customer", "lapsed customers")}`,
      ),
    );
  }

  const delivered = Number(reviews.delivered);
  let deliveredUnasked: number | null = null;
  if (!connected.has("klaviyo")) {
    measures.push(
      missingMeasure(MEASURES.reviewAsks, currency, {
        reason: "Connect Klaviyo to send review requests: Switchboard asks for reviews through it.",
        fix: CONNECT.klaviyo,
      }),
    );
  } else if (delivered === 0) {
    measures.push(
      missingMeasure(MEASURES.reviewAsks, currency, {
        reason: "No parcel was delivered in the window.",
        fix: null,
      }),
    );
  } else {
    const asked = Number(reviews.asked);
    deliveredUnasked = delivered - asked;
    measures.push(
      measured(
        MEASURES.reviewAsks,
        currency,
        pct(asked, delivered),
        `${plural(asked, "parcel", "parcels")} of ${plural(delivered, "delivered parcel", "delivered parcels")}`,
      ),
    );
  }

  const shown = Number(upsell.shown);
  let upsellRate: number | null = null;
  if (shown === 0) {
    measures.push(
      missingMeasure(MEASURES.upsellTakeRate, currency, {
        reason: "No post-purchase offer was shown in the window.",
        fix: { label: "Set up Post-purchase upsell", url: "/app/recipes/post-purchase-upsell" },
      }),
    );
  } else {
    const accepted = Number(upsell.accepted);
    upsellRate = accepted / shown;
    measures.push(
      measured(
        MEASURES.upsellTakeRate,
        currency,
        pct(accepted, shown),
        `${plural(accepted, "offer", "offers")} of ${plural(shown, "offer shown", "offers shown")}`,
      ),
    );
  }

  const abandoned = Number(checkouts.abandoned);
  const recovered = Number(checkouts.recovered);
  if (abandoned === 0) {
    measures.push(
      missingMeasure(MEASURES.checkoutRecovery, currency, {
        reason:
          Number(checkouts.checkouts) === 0
            ? "Switchboard received no checkouts in the window (they arrive with Shopify's checkout webhooks)."
            : "No checkout started in the window was abandoned.",
        fix: null,
      }),
    );
  } else {
    measures.push(
      measured(
        MEASURES.checkoutRecovery,
        currency,
        pct(recovered, abandoned),
        `${plural(recovered, "checkout", "checkouts")} of ${plural(abandoned, "abandoned checkout", "abandoned checkouts")}`,
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
  const cashes = await orderToCash(db, setup, spans);
  const orders = cashes.map((cash) => cash.orders);
  const stocks = await inventoryFulfillment(db, setup, spans, orders);
  const services = await customerService(db, setup, spans, orders);
  const marketings = await postPurchaseMarketing(db, setup, spans);
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

const percentText = (rate: number) =>
  `${new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 }).format(rate * 100)} %`;

/** The gaps, priced over the window with the stated RATES, most money first. */
export function punchList(
  figures: Figures,
  currency: string,
  recipeOf: (id: string) => PunchItem["recipe"],
): PunchItem[] {
  const money = (amount: number) => formatMoney(amount, currency);
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
        title: `${plural(figures.abandonedUnrecovered, "abandoned checkout was", "abandoned checkouts were")} not recovered`,
        atStake,
        atStakeDisplay: money(atStake),
        arithmetic: [
          `Recovery gap: ${percentText(RATES.checkoutRecovery)} recovered at level 3 − ${percentText(figures.recoveryRate)} yours = ${percentText(gap)}`,
          `${plural(figures.abandonedUnrecovered, "abandoned checkout", "abandoned checkouts")} × ${money(figures.averageCheckout)} average checkout × ${percentText(gap)} = ${money(atStake)}`,
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
      title: `${plural(figures.lapsedUnreached, "lapsed customer was", "lapsed customers were")} never reached`,
      atStake,
      atStakeDisplay: money(atStake),
      arithmetic: [
        `${plural(figures.lapsedUnreached, "lapsed customer", "lapsed customers")} × ${money(aov)} average order × ${percentText(RATES.winBack)} win-back rate = ${money(atStake)}`,
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
      title: `${plural(figures.delayedNotReached, "delayed parcel", "delayed parcels")} without a word from you first`,
      atStake,
      atStakeDisplay: money(atStake),
      arithmetic: [
        `${plural(figures.delayedNotReached, "delayed parcel", "delayed parcels")} × ${percentText(RATES.wismoTicketsPerDelay)} become a “where is my order” ticket × ${money(RATES.costPerTicket)} per ticket = ${money(atStake)}`,
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
      title: `${plural(figures.deliveredUnasked, "delivered parcel", "delivered parcels")} without a review request`,
      atStake,
      atStakeDisplay: money(atStake),
      arithmetic: [
        `${plural(figures.deliveredUnasked, "delivered parcel", "delivered parcels")} × ${percentText(RATES.reviewRepeat)} order again after a review ask × ${money(aov)} average order = ${money(atStake)}`,
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
        title: `${plural(figures.orders, "order", "orders")} with upsells below a ${percentText(RATES.upsellTakeRate)} take rate`,
        atStake,
        atStakeDisplay: money(atStake),
        arithmetic: [
          figures.averageUpsell === null
            ? `Offer value: ${money(aov)} average order × ${percentText(RATES.upsellValueShare)} = ${money(value)}`
            : `Offer value: ${money(value)} average accepted offer`,
          `${plural(figures.orders, "order", "orders")} × (${percentText(RATES.upsellTakeRate)} − ${percentText(current)} taken) × ${money(value)} = ${money(atStake)}`,
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
      title: `${plural(figures.outstandingOrders, "order is", "orders are")} waiting for payment`,
      atStake,
      atStakeDisplay: money(atStake),
      arithmetic: [
        `${money(figures.outstandingAmount)} pending or failed × ${percentText(RATES.uncollected)} never collected without follow-up = ${money(atStake)}`,
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

async function loadSetup(db: Db, shop: string) {
  const [shopRow] = await db
    .select({ currency: shops.currency, timeZone: shops.ianaTimezone })
    .from(shops)
    .where(eq(shops.domain, shop));
  const first = await one<{ currency: string | null; first_order_at: string | null } | undefined>(
    db,
    sql`select (select currency from orders where shop = ${shop} order by created_at desc limit 1) as currency,
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
  const setup: Setup = {
    shop,
    // The shop's currency from Shopify, else what its orders are in (nothing assumes USD).
    currency: shopRow?.currency ?? first?.currency ?? "USD",
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
  return { setup, time: shopTime({ timeZone: shopRow?.timeZone }), firstOrderAt };
}

async function trendOf(
  db: Db,
  setup: Setup,
  time: ShopTime,
  now: Date,
  firstOrderAt: Date | null,
): Promise<TrendPoint[]> {
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
  if (weeks.length === 0) return [];
  const measuredWeeks = await measureZones(
    db,
    setup,
    weeks.map((week) => week.span),
  );
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
  options: { windowDays: WindowDays; now: Date },
): Promise<GapReport> {
  const started = performance.now();
  const { windowDays, now } = options;
  const { setup, time, firstOrderAt } = await loadSetup(db, shop);
  const from = new Date(now.getTime() - windowDays * DAY_MS);
  const [measuredWindow] = await measureZones(db, setup, [{ from, to: now }]);
  const { zones, figures } = measuredWindow!;
  const band = bandOf(figures.revenue, windowDays, setup.currency);
  const zoneScores: ZoneScore[] = ZONE_IDS.map((zone) => ({
    zone,
    label: ZONE_LABELS[zone],
    score: zoneScore(zones[zone]),
    typical: typicalScore(band.id, zone),
    measures: zones[zone],
  }));
  const recipeOf = (id: string): PunchItem["recipe"] => {
    const recipe = findRecipe(id);
    return recipe ? { id, name: recipe.title, enabled: setup.enabled.has(id) } : null;
  };
  const trend = await trendOf(db, setup, time, now, firstOrderAt);
  return {
    shop,
    computedAt: now.toISOString(),
    computedAtDisplay: `Computed ${time.dateTime(now)}`,
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
    punchList: punchList(figures, setup.currency, recipeOf),
    trend,
  };
}
