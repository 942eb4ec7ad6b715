import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import {
  shopDailyBuyers,
  shopDailyFacts,
  shopDailyReviewAsks,
  shopDailyShipTimes,
  shopDailyVariantUnits,
} from "../../../db/schema/index";
import type { Db } from "../../db.server";
import { DELAY_STATUSES } from "../../recipes/shipping-delay-outreach/config";
import { addDays, type ShopTime } from "../../utils/shop-time";

/**
 * The gap report's additive figures per shop-local day (the shop_daily_* tables in
 * db/schema/gap-facts.ts): a span's figures are the sum of its whole days' rows plus its partial
 * edge days computed from the base tables with the same SQL, so the result equals reading the
 * span's rows directly.
 * Only figures that are a pure function of the day's rows are kept; the triggers of migration
 * 0017 mark the UTC days any write touches, and `refreshDailyFacts` recomputes those days (and
 * computes the ones never computed) before the report sums. docs/gap-report.md, "Daily facts".
 */

export interface Span {
  from: Date;
  to: Date;
}

export const OUTSTANDING_STATUSES = [
  "pending",
  "authorized",
  "partially_paid",
  "voided",
  "expired",
];

/** A ticket is about "where is my order" when the customer had a parcel shipped this recently and not yet delivered. */
export const WISMO_PARCEL_DAYS = 30;

/** A refresh computing at least this many days refreshes the facts tables' statistics too. */
const ANALYZE_AFTER_DAYS = 28;

export interface DailyFigures {
  orders: number;
  /** Sum of the orders' totals, shop currency. */
  revenue: number;
  /** Orders not cancelled whose payment is still outstanding, and their total. */
  outstanding: number;
  outstandingAmount: number;
  /** Parcels created in the span, and those delayed whenever one looks (delay status, or delivered after the estimate). */
  parcels: number;
  parcelsDelayed: number;
  /** Parcels delivered in the span, and those whose order got a review request before its end. */
  delivered: number;
  reviewAsked: number;
  /** Gorgias tickets last updated in the span, and those asking "where is my order". */
  tickets: number;
  wismoTickets: number;
  /** Orders of the span (not cancelled) that shipped, by hours to their first fulfillment (to a tenth), ascending. */
  shipTimes: { hours: number; orders: number }[];
  /** Customers with an order in the span, and those of them who had ordered before their last one there. */
  customers: number;
  returning: number;
}

interface Parts {
  orders: number;
  revenueCents: number;
  outstanding: number;
  outstandingCents: number;
  parcels: number;
  parcelsDelayed: number;
  delivered: number;
  reviewAsked: number;
  tickets: number;
  wismoTickets: number;
  ship: Map<number, number>;
  /** Orders from a customer account; those that were a first order; those whose previous order is in the span, and of them those whose previous order was a first. */
  buyerOrders: number;
  firstOrders: number;
  linked: number;
  linkedToFirst: number;
}

const emptyParts = (): Parts => ({
  orders: 0,
  revenueCents: 0,
  outstanding: 0,
  outstandingCents: 0,
  parcels: 0,
  parcelsDelayed: 0,
  delivered: 0,
  reviewAsked: 0,
  tickets: 0,
  wismoTickets: 0,
  ship: new Map(),
  buyerOrders: 0,
  firstOrders: 0,
  linked: 0,
  linkedToFirst: 0,
});

function addAsked(into: Parts, row: Record<string, unknown>) {
  into.reviewAsked += Number(row.parcels);
}

function addBuyers(into: Parts, row: Record<string, unknown>) {
  into.buyerOrders += Number(row.buyer_orders ?? 0);
  into.firstOrders += Number(row.first_orders ?? 0);
  into.linked += Number(row.linked ?? 0);
  into.linkedToFirst += Number(row.linked_to_first ?? 0);
}

function addParts(into: Parts, row: Record<string, unknown>) {
  into.orders += Number(row.orders);
  into.revenueCents += Number(row.revenue_cents);
  into.outstanding += Number(row.outstanding);
  into.outstandingCents += Number(row.outstanding_cents);
  into.parcels += Number(row.parcels);
  into.parcelsDelayed += Number(row.parcels_delayed);
  into.delivered += Number(row.delivered);
  into.tickets += Number(row.tickets);
  into.wismoTickets += Number(row.wismo_tickets);
}

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
const outstandingList = list(OUTSTANDING_STATUSES);
const delayList = list(DELAY_STATUSES);
const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * The ranges a fragment below reads, as the table r(i, from_at, to_at, end_at, day, span_from):
 * `end_at` is the span's end (review asks), `day` the shop-local day a refresh writes the row for,
 * `span_from` the span's start (buyers). Each fragment reads a range's rows in a lateral subquery
 * fenced with `offset 0`, so PostgreSQL reads each range through its (shop, time) index instead
 * of flattening it into a scan of the shop's whole table (it cannot estimate ranges given as
 * values).
 */
function rangesTable(ranges: Range[]) {
  const values = sql.join(
    ranges.map(
      (r, i) =>
        sql`(${i}::int, ${at(r.from)}, ${at(r.to)}, ${r.end ? at(r.end) : sql`'-infinity'::timestamptz`}, ${r.day ?? null}::date, ${r.spanFrom ? at(r.spanFrom) : sql`'-infinity'::timestamptz`})`,
    ),
    sql`, `,
  );
  return sql`r(i, from_at, to_at, end_at, day, span_from) as (values ${values})`;
}

interface Range extends Span {
  end?: Date;
  day?: string;
  /** The start of the span the range is part of (buyers: is a previous order in the span). */
  spanFrom?: Date;
}

/**
 * Per range: orders, revenue and outstanding payments (in cents), parcels, delayed ones,
 * deliveries, tickets and "where is my order" tickets.
 */
const countsOf = (shop: string) => sql`select r.i, o.*, p.*, dl.*, tk.* from r
    cross join lateral (
      select count(*)::int as orders,
        round(coalesce(sum(total_price), 0) * 100)::bigint as revenue_cents,
        (count(*) filter (where cancelled_at is null and financial_status in (${outstandingList})))::int as outstanding,
        round(coalesce(sum(total_price) filter (where cancelled_at is null and financial_status in (${outstandingList})), 0) * 100)::bigint as outstanding_cents
      from orders where shop = ${shop} and created_at >= r.from_at and created_at < r.to_at) o
    cross join lateral (
      select count(*)::int as parcels,
        (count(*) filter (where coalesce(shipment_status in (${delayList}), false)
          or (delivered_at is not null and estimated_delivery_at < delivered_at)))::int as parcels_delayed
      from fulfillments where shop = ${shop} and created_at >= r.from_at and created_at < r.to_at) p
    cross join lateral (
      select count(*)::int as delivered from fulfillments
      where shop = ${shop} and delivered_at >= r.from_at and delivered_at < r.to_at) dl
    cross join lateral (
      select count(*)::int as tickets, (count(*) filter (where exists (
          select 1 from customers c
          join orders o on o.shop = c.shop and o.customer_id = c.id
          join fulfillments f on f.shop = o.shop and f.order_id = o.id
          where c.shop = ${shop} and lower(c.email) = t.customer_email
            and f.created_at <= t.source_updated_at
            and f.created_at > t.source_updated_at - make_interval(days => ${WISMO_PARCEL_DAYS})
            and (f.delivered_at is null or f.delivered_at > t.source_updated_at))))::int as wismo_tickets
      from gorgias_tickets t
      where t.shop = ${shop} and t.source_updated_at >= r.from_at and t.source_updated_at < r.to_at) tk`;

/** Per range: its orders (not cancelled) that shipped, by tenths of an hour to their first parcel. */
const shipTimesOf = (shop: string) => sql`select r.i,
      round(extract(epoch from (x.shipped_at - x.created_at)) / 360)::int as tenths,
      count(*)::int as orders
    from r cross join lateral (
      select o.created_at, (
          select min(f.created_at) from fulfillments f
          where f.shop = o.shop and f.order_id = o.id and f.created_at is not null) as shipped_at
      from orders o
      where o.shop = ${shop} and o.created_at >= r.from_at and o.created_at < r.to_at
        and o.cancelled_at is null
      offset 0) x
    where x.shipped_at is not null
    group by 1, 2`;

/** Per range: units sold per variant (orders not cancelled), as line items say. */
const unitsOf = (
  shop: string,
) => sql`select r.i, li->>'variantId' as variant_id, sum((li->>'quantity')::int)::int as units
    from r cross join lateral (
      select o.line_items from orders o
      where o.shop = ${shop} and o.created_at >= r.from_at and o.created_at < r.to_at
        and o.cancelled_at is null
      offset 0) o
    cross join lateral jsonb_array_elements(o.line_items) li
    where li->>'variantId' is not null
    group by 1, 2`;

/**
 * Each range's orders from a customer account, with their customer's previous order (by time,
 * then id) and first order.
 */
const buyerOrdersOf = (
  shop: string,
) => sql`select r.i, r.span_from, o.created_at, p.prev_at, f.first_at
    from r cross join lateral (
      select o.id, o.customer_id, o.created_at from orders o
      where o.shop = ${shop} and o.created_at >= r.from_at and o.created_at < r.to_at
        and o.customer_id is not null
      offset 0) o
    left join lateral (
      select x.created_at as prev_at from orders x
      where x.shop = ${shop} and x.customer_id = o.customer_id
        and (x.created_at, x.id) < (o.created_at, o.id)
      order by x.created_at desc, x.id desc limit 1) p on true
    cross join lateral (
      select min(x.created_at) as first_at from orders x
      where x.shop = ${shop} and x.customer_id = o.customer_id) f`;

/** Per range (a day): its buyers' orders by their previous order's day and whether it was a first. */
const buyersOf = (shop: string, timeZone: string) => sql`select i,
      coalesce((prev_at at time zone ${timeZone})::date, '-infinity'::date) as prev_day,
      coalesce(prev_at = first_at, false) as prev_first,
      count(*)::int as orders, (count(*) filter (where created_at = first_at))::int as first_time
    from (${buyerOrdersOf(shop)}) b
    group by 1, 2, 3`;

/** Per range: its buyers' orders, first orders, and those whose previous order is since `span_from`. */
const spanBuyersOf = (shop: string) => sql`select i, count(*)::int as buyer_orders,
      (count(*) filter (where created_at = first_at))::int as first_orders,
      (count(*) filter (where prev_at >= span_from))::int as linked,
      (count(*) filter (where prev_at >= span_from and prev_at = first_at))::int as linked_to_first
    from (${buyerOrdersOf(shop)}) b
    group by 1`;

/**
 * Per range: parcels delivered in it, by the shop-local day of their order's first review request
 * ('infinity': none), only those asked before `end_at` (all when it is -infinity).
 */
const asksOf = (shop: string, timeZone: string) => sql`select r.i,
      coalesce((a.first_at at time zone ${timeZone})::date, 'infinity'::date) as asked_day,
      count(*)::int as parcels
    from r cross join lateral (
      select f.order_id from fulfillments f
      where f.shop = ${shop} and f.delivered_at >= r.from_at and f.delivered_at < r.to_at
      offset 0) f
    left join lateral (
      select min(x.created_at) as first_at from recipe_runs x
      where x.shop = ${shop} and x.order_id = f.order_id
        and x.recipe_id = 'review-request-timing' and x.outcome = 'acted') a on true
    where r.end_at = '-infinity'::timestamptz or a.first_at < r.end_at
    group by 1, 2`;

/** The figures of each range read from the base tables: what the facts rows of its days hold. */
async function figuresFromRows(db: Db, shop: string, timeZone: string, ranges: Range[]) {
  if (ranges.length === 0) return { counts: [], ship: [], buyers: [], asked: [] };
  const r = rangesTable(ranges);
  return {
    counts: await rows<Record<string, unknown>>(db, sql`with ${r} ${countsOf(shop)}`),
    ship: await rows<{ i: number; tenths: number; orders: number }>(
      db,
      sql`with ${r} ${shipTimesOf(shop)}`,
    ),
    buyers: await rows<Record<string, unknown>>(db, sql`with ${r} ${spanBuyersOf(shop)}`),
    asked: await rows<Record<string, unknown>>(db, sql`with ${r} ${asksOf(shop, timeZone)}`),
  };
}

/**
 * Orders of a span's leading partial day [from, to) whose customer's next order is in its whole
 * days: the whole days' orders whose previous order is in the span, but not in a whole day.
 */
async function linksFromLeadingEdge(db: Db, shop: string, ranges: (Span & { whole: Span })[]) {
  if (ranges.length === 0) return [];
  const values = sql.join(
    ranges.map(
      (r, i) =>
        sql`(${i}::int, ${at(r.from)}, ${at(r.to)}, ${at(r.whole.from)}, ${at(r.whole.to)})`,
    ),
    sql`, `,
  );
  return rows<Record<string, unknown>>(
    db,
    sql`with r(i, from_at, to_at, whole_from, whole_to) as (values ${values})
    select r.i, count(*)::int as linked,
      (count(*) filter (where o.created_at = f.first_at))::int as linked_to_first
    from r cross join lateral (
      select o.id, o.customer_id, o.created_at from orders o
      where o.shop = ${shop} and o.created_at >= r.from_at and o.created_at < r.to_at
        and o.customer_id is not null
      offset 0) o
    cross join lateral (
      select x.created_at as next_at from orders x
      where x.shop = ${shop} and x.customer_id = o.customer_id
        and (x.created_at, x.id) > (o.created_at, o.id)
      order by x.created_at, x.id limit 1) n
    cross join lateral (
      select min(x.created_at) as first_at from orders x
      where x.shop = ${shop} and x.customer_id = o.customer_id) f
    where n.next_at >= r.whole_from and n.next_at < r.whole_to
    group by 1`,
  );
}

/**
 * Parcels delivered in `whole` days whose order's first review request came in [from, to): the
 * span's last, partial day, before its end. Read from the requests (few), not the parcels.
 */
async function asksOnLastDay(db: Db, shop: string, ranges: (Span & { whole: Span })[]) {
  if (ranges.length === 0) return [];
  const values = sql.join(
    ranges.map(
      (r, i) =>
        sql`(${i}::int, ${at(r.from)}, ${at(r.to)}, ${at(r.whole.from)}, ${at(r.whole.to)})`,
    ),
    sql`, `,
  );
  return rows<Record<string, unknown>>(
    db,
    sql`with p(i, from_at, to_at, whole_from, whole_to) as (values ${values})
    select p.i, coalesce(sum(f.parcels), 0)::int as parcels
    from p
    -- Orders whose first request is in [from, to): a request then, and none before.
    cross join lateral (
      select distinct x.order_id from recipe_runs x
      where x.shop = ${shop} and x.created_at >= p.from_at and x.created_at < p.to_at
        and x.recipe_id = 'review-request-timing' and x.outcome = 'acted' and x.order_id is not null
        and not exists (
          select 1 from recipe_runs y
          where y.shop = ${shop} and y.recipe_id = 'review-request-timing' and y.outcome = 'acted'
            and y.order_id = x.order_id and y.created_at < p.from_at)
      offset 0) a
    cross join lateral (
      select count(*) as parcels from fulfillments f
      where f.shop = ${shop} and f.order_id = a.order_id
        and f.delivered_at >= p.whole_from and f.delivered_at < p.whole_to) f
    group by p.i`,
  );
}

/** A span cut into its whole shop-local days [firstDay, endDay) and the partial edges around them. */
function cut(span: Span, time: ShopTime) {
  const fromDay = time.localDate(span.from);
  const firstDay =
    time.startOfDay(fromDay).getTime() === span.from.getTime() ? fromDay : addDays(fromDay, 1);
  const endDay = time.localDate(span.to);
  if (firstDay >= endDay) return { days: null, edges: [span] };
  const edges: Span[] = [];
  const firstStart = time.startOfDay(firstDay);
  if (span.from < firstStart) edges.push({ from: span.from, to: firstStart });
  const endStart = time.startOfDay(endDay);
  if (endStart < span.to) edges.push({ from: endStart, to: span.to });
  return { days: { firstDay, endDay }, edges };
}

function daysBetween(firstDay: string, endDay: string): string[] {
  const days: string[] = [];
  for (let day = firstDay; day < endDay; day = addDays(day, 1)) days.push(day);
  return days;
}

/**
 * Brings the shop's facts for `days` up to date: drops the days whose rows changed (the
 * shop-local days each UTC day a trigger marked spans) and the rows of another time zone, then
 * computes every asked day that has no row, so its cost follows the changed days. One refresh per shop at a
 * time (an advisory lock), so a concurrent one cannot write back a day computed before a change.
 */
export async function refreshDailyFacts(
  db: Db,
  shop: string,
  time: ShopTime,
  days: string[],
): Promise<{ computedDays: string[] }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`shop_daily_facts:${shop}`}))`);
    // Planned as costly (estimates over a year of rows), the statements below would be compiled
    // with LLVM first: longer than running them for a few days.
    await tx.execute(sql`set local jit = off`);
    // A UTC day's writes fall on the shop-local days its first and last instants fall on (two
    // days, one for a zone at UTC), not the days either side too.
    const stale = (
      await rows<{ day: string }>(
        tx,
        sql`with dirty as (delete from shop_daily_dirty where shop = ${shop} returning utc_day)
        select g.day::date::text as day from dirty cross join lateral generate_series(
            ((dirty.utc_day::timestamp at time zone 'UTC') at time zone ${time.timeZone})::date,
            (((dirty.utc_day + 1)::timestamp at time zone 'UTC' - interval '1 microsecond') at time zone ${time.timeZone})::date,
            interval '1 day') g(day)
        union select day::text from shop_daily_facts where shop = ${shop} and time_zone <> ${time.timeZone}`,
      )
    ).map((row) => row.day);
    // Deleted by day through each table's (shop, day, …) key: a semi-join on the days would have
    // PostgreSQL scan every row of the shop's history in each table.
    for (let i = 0; i < stale.length; i += 1000) {
      const chunk = stale.slice(i, i + 1000);
      for (const table of [
        shopDailyFacts,
        shopDailyShipTimes,
        shopDailyBuyers,
        shopDailyVariantUnits,
        shopDailyReviewAsks,
      ])
        await tx.delete(table).where(and(eq(table.shop, shop), inArray(table.day, chunk)));
    }
    if (days.length === 0) return { computedDays: [] };
    const present = new Set<string>();
    for (let i = 0; i < days.length; i += 1000) {
      const found = await tx
        .select({ day: shopDailyFacts.day })
        .from(shopDailyFacts)
        .where(
          and(eq(shopDailyFacts.shop, shop), inArray(shopDailyFacts.day, days.slice(i, i + 1000))),
        );
      for (const row of found) present.add(row.day);
    }
    const missing = [...new Set(days)].filter((day) => !present.has(day)).sort();
    // A month per statement: a large store's first backfill stays well within the query timeout.
    for (let i = 0; i < missing.length; i += 31) {
      const chunk = missing.slice(i, i + 31);
      const ranges = chunk.map((day) => ({
        from: time.startOfDay(day),
        to: time.startOfDay(addDays(day, 1)),
        day,
      }));

      // A day's rows in every facts table are replaced together, keyed by its facts row.
      for (const table of [
        shopDailyShipTimes,
        shopDailyBuyers,
        shopDailyVariantUnits,
        shopDailyReviewAsks,
      ])
        await tx.delete(table).where(and(eq(table.shop, shop), inArray(table.day, chunk)));
      // Computed and written by the database itself: no row travels through the app.
      const r = rangesTable(ranges);
      await tx.execute(
        sql`with ${r} insert into shop_daily_facts (shop, day, time_zone, orders, revenue,
          outstanding, outstanding_amount, parcels, parcels_delayed, delivered, tickets, wismo_tickets)
        select ${shop}, r.day, ${time.timeZone}, c.orders, c.revenue_cents / 100.0, c.outstanding,
          c.outstanding_cents / 100.0, c.parcels, c.parcels_delayed, c.delivered, c.tickets,
          c.wismo_tickets
        from (${countsOf(shop)}) c join r on r.i = c.i`,
      );
      await tx.execute(
        sql`with ${r} insert into shop_daily_ship_times (shop, day, tenths, orders)
        select ${shop}, r.day, t.tenths, t.orders from (${shipTimesOf(shop)}) t join r on r.i = t.i`,
      );
      await tx.execute(
        sql`with ${r} insert into shop_daily_buyers (shop, day, prev_day, prev_first, orders, first_time)
        select ${shop}, r.day, b.prev_day, b.prev_first, b.orders, b.first_time
        from (${buyersOf(shop, time.timeZone)}) b join r on r.i = b.i`,
      );
      await tx.execute(
        sql`with ${r} insert into shop_daily_variant_units (shop, day, variant_id, units)
        select ${shop}, r.day, u.variant_id, u.units from (${unitsOf(shop)}) u join r on r.i = u.i`,
      );
      await tx.execute(
        sql`with ${r} insert into shop_daily_review_asks (shop, day, asked_day, parcels)
        select ${shop}, r.day, a.asked_day, a.parcels
        from (${asksOf(shop, time.timeZone)}) a join r on r.i = a.i`,
      );
    }
    // After a backfill (a shop's first report, a time-zone change) the planner needs the new
    // rows' statistics to read the facts by day rather than every row for every span.
    if (missing.length >= ANALYZE_AFTER_DAYS)
      await tx.execute(
        sql`analyze shop_daily_facts, shop_daily_ship_times, shop_daily_buyers, shop_daily_variant_units, shop_daily_review_asks`,
      );
    return { computedDays: missing };
  });
}

/**
 * The table d(i, first_day, end_day, day): one row per whole day of each span, so the facts are
 * joined on their day (a hash join) rather than filtered by each span's range.
 */
function spanDays(dayRanges: SQL) {
  return sql`d0(i, first_day, end_day) as (values ${dayRanges}),
    d as (select d0.*, g.day::date as day from d0
      cross join lateral generate_series(d0.first_day, d0.end_day - 1, interval '1 day') as g(day))`;
}

/** Brings the facts of every whole day of `spans` up to date (refreshDailyFacts). */
export async function refreshSpans(
  db: Db,
  shop: string,
  time: ShopTime,
  spans: Span[],
): Promise<{ computedDays: string[] }> {
  const needed = new Set<string>();
  for (const { days } of spans.map((span) => cut(span, time)))
    if (days) for (const day of daysBetween(days.firstDay, days.endDay)) needed.add(day);
  return refreshDailyFacts(db, shop, time, [...needed]);
}

/**
 * Each span's figures: its whole days summed from the facts (refreshed first unless the caller
 * did: refreshSpans), its partial edge days read from the base tables.
 */
export async function dailyFigures(
  db: Db,
  shop: string,
  time: ShopTime,
  spans: Span[],
  { refresh = true }: { refresh?: boolean } = {},
): Promise<DailyFigures[]> {
  const cuts = spans.map((span) => cut(span, time));
  if (refresh) await refreshSpans(db, shop, time, spans);

  const parts = spans.map(emptyParts);
  const withDays = cuts.flatMap((c, i) => (c.days ? [{ i, ...c.days }] : []));
  if (withDays.length > 0) {
    // The overall range as constants bounds each read through the (shop, day) index (ranges
    // given only as values would have PostgreSQL read every day of the shop for each span).
    const firstDay = withDays.reduce(
      (min, d) => (d.firstDay < min ? d.firstDay : min),
      "9999-12-31",
    );
    const endDay = withDays.reduce((max, d) => (d.endDay > max ? d.endDay : max), "0001-01-01");
    const inRange = (alias: string) =>
      sql`and ${sql.raw(alias)}.day >= ${firstDay}::date and ${sql.raw(alias)}.day < ${endDay}::date`;
    const dayRanges = sql.join(
      withDays.map((d) => sql`(${d.i}::int, ${d.firstDay}::date, ${d.endDay}::date)`),
      sql`, `,
    );
    const summed = await rows<Record<string, unknown>>(
      db,
      sql`with ${spanDays(dayRanges)}
      select d.i, coalesce(sum(f.orders), 0)::int as orders,
        round(coalesce(sum(f.revenue), 0) * 100)::bigint::text as revenue_cents,
        coalesce(sum(f.outstanding), 0)::int as outstanding,
        round(coalesce(sum(f.outstanding_amount), 0) * 100)::bigint::text as outstanding_cents,
        coalesce(sum(f.parcels), 0)::int as parcels,
        coalesce(sum(f.parcels_delayed), 0)::int as parcels_delayed,
        coalesce(sum(f.delivered), 0)::int as delivered,
        coalesce(sum(f.tickets), 0)::int as tickets,
        coalesce(sum(f.wismo_tickets), 0)::int as wismo_tickets
      from d left join shop_daily_facts f on f.shop = ${shop} and f.day = d.day ${inRange("f")}
      group by d.i`,
    );
    for (const row of summed) addParts(parts[Number(row.i)]!, row);
    const ship = await rows<{ i: number; tenths: number; orders: number }>(
      db,
      sql`with ${spanDays(dayRanges)}
      select d.i, s.tenths, sum(s.orders)::int as orders
      from d join shop_daily_ship_times s on s.shop = ${shop} and s.day = d.day ${inRange("s")}
      group by 1, 2`,
    );
    for (const row of ship) addShip(parts[Number(row.i)]!, row);
    // Buyers: a whole day's order is linked when its previous order is in the span: in its whole
    // days (a later or the same day as the first), or in its leading partial day.
    const buyers = await rows<Record<string, unknown>>(
      db,
      sql`with ${spanDays(dayRanges)}
      select d.i, coalesce(sum(b.orders), 0)::int as buyer_orders,
        coalesce(sum(b.first_time), 0)::int as first_orders,
        coalesce(sum(b.orders) filter (where b.prev_day >= d.first_day), 0)::int as linked,
        coalesce(sum(b.orders) filter (where b.prev_day >= d.first_day and b.prev_first), 0)::int as linked_to_first
      from d join shop_daily_buyers b on b.shop = ${shop} and b.day = d.day ${inRange("b")}
      group by d.i`,
    );
    for (const row of buyers) addBuyers(parts[Number(row.i)]!, row);
    const leading = withDays.flatMap((d) => {
      const firstStart = time.startOfDay(d.firstDay);
      const from = spans[d.i]!.from;
      if (firstStart.getTime() === from.getTime()) return [];
      const whole = { from: firstStart, to: time.startOfDay(d.endDay) };
      return [{ i: d.i, from, to: firstStart, whole }];
    });
    const links = await linksFromLeadingEdge(db, shop, leading);
    for (const row of links) addBuyers(parts[leading[Number(row.i)]!.i]!, row);
    const partialEnds = withDays.flatMap((d) => {
      const endStart = time.startOfDay(d.endDay);
      const to = spans[d.i]!.to;
      if (endStart.getTime() === to.getTime()) return [];
      return [
        { i: d.i, from: endStart, to, whole: { from: time.startOfDay(d.firstDay), to: endStart } },
      ];
    });
    // Review asks: a whole day's parcel counts when its first request came before the span's
    // end: on an earlier day, or on the span's last (partial) day before its end.
    const asked = await rows<Record<string, unknown>>(
      db,
      sql`with ${spanDays(dayRanges)}
      select d.i, coalesce(sum(a.parcels), 0)::int as parcels
      from d join shop_daily_review_asks a on a.shop = ${shop} and a.day = d.day
        and a.asked_day < d.end_day ${inRange("a")}
      group by d.i`,
    );
    for (const row of asked) addAsked(parts[Number(row.i)]!, row);
    const askedLastDay = await asksOnLastDay(
      db,
      shop,
      partialEnds.map((p) => ({ from: p.from, to: p.to, whole: p.whole })),
    );
    for (const row of askedLastDay) addAsked(parts[partialEnds[Number(row.i)]!.i]!, row);
  }
  const edges = cuts.flatMap((c, i) => c.edges.map((edge) => ({ i, edge })));
  const fromRows = await figuresFromRows(
    db,
    shop,
    time.timeZone,
    edges.map((e) => ({ ...e.edge, end: spans[e.i]!.to, spanFrom: spans[e.i]!.from })),
  );
  const spanOf = (row: Record<string, unknown>) => parts[edges[Number(row.i)]!.i]!;
  for (const row of fromRows.counts) addParts(spanOf(row), row);
  for (const row of fromRows.ship) addShip(spanOf(row), row);
  for (const row of fromRows.buyers) addBuyers(spanOf(row), row);
  for (const row of fromRows.asked) addAsked(spanOf(row), row);

  return parts.map(figuresOf);
}

/** Each span's figures read from the base tables alone, as the facts would sum them. */
export async function directFigures(db: Db, shop: string, spans: Span[]): Promise<DailyFigures[]> {
  const parts = spans.map(emptyParts);
  const { counts, ship, buyers, asked } = await figuresFromRows(
    db,
    shop,
    "UTC",
    spans.map((span) => ({ ...span, end: span.to, spanFrom: span.from })),
  );
  for (const row of counts) addParts(parts[Number(row.i)]!, row);
  for (const row of ship) addShip(parts[Number(row.i)]!, row);
  for (const row of buyers) addBuyers(parts[Number(row.i)]!, row);
  for (const row of asked) addAsked(parts[Number(row.i)]!, row);
  return parts.map(figuresOf);
}

function figuresOf(p: Parts): DailyFigures {
  return {
    orders: p.orders,
    revenue: p.revenueCents / 100,
    outstanding: p.outstanding,
    outstandingAmount: p.outstandingCents / 100,
    parcels: p.parcels,
    parcelsDelayed: p.parcelsDelayed,
    delivered: p.delivered,
    reviewAsked: p.reviewAsked,
    tickets: p.tickets,
    wismoTickets: p.wismoTickets,
    shipTimes: [...p.ship.entries()]
      .sort(([a], [b]) => a - b)
      .map(([tenths, orders]) => ({ hours: tenths / 10, orders })),
    customers: p.buyerOrders - p.linked,
    returning: p.buyerOrders - p.linked - (p.firstOrders - p.linkedToFirst),
  };
}

function addShip(into: Parts, row: { tenths: number; orders: number }) {
  const tenths = Number(row.tenths);
  into.ship.set(tenths, (into.ship.get(tenths) ?? 0) + Number(row.orders));
}

/** percentile_cont over values given with their counts (ascending): interpolates like PostgreSQL. */
export function percentileOf(
  values: { hours: number; orders: number }[],
  fraction: number,
): number {
  const total = values.reduce((sum, v) => sum + v.orders, 0);
  const position = fraction * (total - 1);
  const below = Math.floor(position);
  const valueAt = (index: number) => {
    let seen = 0;
    for (const v of values) {
      seen += v.orders;
      if (index < seen) return v.hours;
    }
    return values.at(-1)!.hours;
  };
  const low = valueAt(below);
  if (position === below) return low;
  return low + (position - below) * (valueAt(below + 1) - low);
}

/**
 * Each span's `top` best-selling variants (units, orders not cancelled) among those with a known
 * stock level, and how many of them have none left now; `known`: variants with a stock level.
 * Whole days from the facts (refreshed by `dailyFigures`), edges from the orders' line items.
 */
export async function bestSellerStock(
  db: Db,
  shop: string,
  time: ShopTime,
  spans: Span[],
  top: number,
): Promise<{ known: number; best: number; outOfStock: number }[]> {
  const cuts = spans.map((span) => cut(span, time));
  const dayRows = cuts.flatMap((c, i) =>
    c.days ? [sql`(${i}::int, ${c.days.firstDay}::date, ${c.days.endDay}::date)`] : [],
  );
  const edgeRows = cuts.flatMap((c, i) =>
    c.edges.map((e) => sql`(${i}::int, ${at(e.from)}, ${at(e.to)})`),
  );
  const spanRows = sql.join(
    spans.map((_, i) => sql`(${i}::int)`),
    sql`, `,
  );
  const days =
    dayRows.length > 0
      ? sql`select * from (values ${sql.join(dayRows, sql`, `)}) v(i, first_day, end_day)`
      : sql`select null::int as i, null::date as first_day, null::date as end_day where false`;
  const edges =
    edgeRows.length > 0
      ? sql`select * from (values ${sql.join(edgeRows, sql`, `)}) v(i, from_at, to_at)`
      : sql`select null::int as i, null::timestamptz as from_at, null::timestamptz as to_at where false`;
  // The overall range, as constants: PostgreSQL reads the facts through the (shop, day) index
  // for them, where ranges given as values would have it read every day of the shop.
  const allDays = cuts.flatMap((c) => (c.days ? [c.days] : []));
  const firstDay = allDays.reduce((min, d) => (d.firstDay < min ? d.firstDay : min), "9999-12-31");
  const endDay = allDays.reduce((max, d) => (d.endDay > max ? d.endDay : max), "0001-01-01");
  const result = await rows<Record<string, unknown>>(
    db,
    sql`with s(i) as (values ${spanRows}),
    d0 as (${days}),
    d as (select d0.i, g.day::date as day from d0
      cross join lateral generate_series(d0.first_day, d0.end_day - 1, interval '1 day') as g(day)),
    e as (${edges}),
    stock as (
      select v.id::text as variant_id, sum(il.available)::int as available
      from variants v
      join inventory_levels il on il.shop = v.shop and il.inventory_item_id = v.inventory_item_id
      where v.shop = ${shop} and il.available is not null
      group by v.id),
    sold as (
      select i, variant_id, sum(units) as units from (
        select d.i, u.variant_id, u.units from d
        join shop_daily_variant_units u on u.shop = ${shop} and u.day = d.day
          and u.day >= ${firstDay}::date and u.day < ${endDay}::date
        union all
        select e.i, li->>'variantId', (li->>'quantity')::int from e
        cross join lateral (
          select o.line_items from orders o
          where o.shop = ${shop} and o.created_at >= e.from_at and o.created_at < e.to_at
            and o.cancelled_at is null
          offset 0) o
        cross join lateral jsonb_array_elements(o.line_items) li
        where li->>'variantId' is not null) x
      group by 1, 2),
    ranked as (
      select sold.i, st.available,
        row_number() over (partition by sold.i order by sold.units desc, sold.variant_id) as place
      from sold join stock st on st.variant_id = sold.variant_id)
    select s.i, (select count(*) from stock)::int as known,
      (count(r.i) filter (where r.place <= ${top}))::int as best,
      (count(r.i) filter (where r.place <= ${top} and r.available <= 0))::int as out_of_stock
    from s left join ranked r on r.i = s.i
    group by s.i order by s.i`,
  );
  return result.map((row) => ({
    known: Number(row.known),
    best: Number(row.best),
    outOfStock: Number(row.out_of_stock),
  }));
}
