import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { orders } from "../../db/schema/index";
import { dailyOrderCounts, seedLargeStore, withSeedSession } from "../../bench/seed-large-store";
import type { SeededStore } from "../../bench/seed-large-store";
import { describeEachDatabase } from "../helpers/database";

const DAY = 86_400_000;
const BIG = "seed-big.myshopify.com";
const SMALL = "seed-small.myshopify.com";
/** 2^53 + 1: the first integer a JS number cannot hold. */
const ABOVE_2_53 = 9_007_199_254_740_993n;

function localDate(at: Date, timeZone: string) {
  return new Intl.DateTimeFormat("en-CA", { timeZone, dateStyle: "short" }).format(at);
}

describe("the benchmark store's daily volume", () => {
  const now = new Date();

  it("is busiest on Black Friday, sums to the orders asked for and repeats itself", () => {
    const options = { orders: 600_000, days: 365, now, timeZone: "America/New_York", seed: 1 };
    const { counts, firsts } = dailyOrderCounts(options);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(600_000);
    expect(firsts[0]).toBe(0);
    expect(firsts.at(-1)! + counts.at(-1)!).toBe(600_000);
    expect(dailyOrderCounts(options).counts).toEqual(counts);

    const busiest = counts.indexOf(Math.max(...counts));
    const busiestDay = new Date(now.getTime() - (365 - busiest) * DAY + DAY / 2);
    const [year] = localDate(busiestDay, "America/New_York").split("-").map(Number);
    const firstWeekday = new Date(Date.UTC(year!, 10, 1)).getUTCDay();
    const blackFriday = 1 + ((4 - firstWeekday + 7) % 7) + 22;
    expect(localDate(busiestDay, "America/New_York")).toBe(`${year}-11-${blackFriday}`);
    const median = [...counts].sort((a, b) => a - b)[182]!;
    expect(counts[busiest]! / median).toBeGreaterThan(3);
    // Sundays sell more than Saturdays, over the year.
    const byWeekday = (weekday: string) => {
      const days = counts.filter(
        (_, d) =>
          new Intl.DateTimeFormat("en-US", {
            timeZone: "America/New_York",
            weekday: "short",
          }).format(new Date(now.getTime() - (365 - d) * DAY + DAY / 2)) === weekday,
      );
      return days.reduce((a, b) => a + b, 0) / days.length;
    };
    expect(byWeekday("Sun")).toBeGreaterThan(byWeekday("Sat") * 1.15);
  });
});

describeEachDatabase("the benchmark store's seeder", ({ use: testDatabase }) => {
  const now = new Date();
  let big: SeededStore;
  let small: SeededStore;
  const sql = async (text: string, values: unknown[] = [BIG]) =>
    (await testDatabase().database.executeSql(text, values)).rows;
  const one = async (text: string, values?: unknown[]) => (await sql(text, values))[0];

  beforeAll(async () => {
    const database = testDatabase().database;
    [big, small] = await withSeedSession(database, async (executeSql) => [
      await seedLargeStore(executeSql, { shop: BIG, now, orders: 3_000 }),
      await seedLargeStore(executeSql, {
        shop: SMALL,
        now,
        orders: 400,
        seed: 2,
        currency: "EUR",
        timeZone: "Europe/Berlin",
        idBase: ABOVE_2_53.toString(),
        gorgias: false,
      }),
    ]);
  }, 240_000);

  it("writes the store's year in the proportions it promises", () => {
    const rows = big.rows;
    expect(rows.orders).toBe(3_000);
    expect(rows.customers).toBe(1_250);
    expect(rows.checkouts).toBe(4_500);
    expect(rows.fulfillments / rows.orders).toBeGreaterThan(0.88);
    expect(rows.fulfillments / rows.orders).toBeLessThan(0.97);
    expect(rows.fulfillment_events / rows.fulfillments).toBeGreaterThan(2.5);
    expect(rows.gorgias_tickets / rows.orders).toBeGreaterThan(0.025);
    expect(rows.gorgias_tickets / rows.orders).toBeLessThan(0.06);
    // One refund per refunded order (~4.5 % of orders).
    expect(rows.order_refunds / rows.orders).toBeGreaterThan(0.03);
    expect(rows.order_refunds / rows.orders).toBeLessThan(0.07);
    expect(rows.inventory_levels).toBe(rows.variants * 2);
    expect(rows.recipe_runs).toBeGreaterThan(0);
    expect(rows.recipe_touches).toBeGreaterThan(0);
    expect(rows.upsell_offers).toBeGreaterThan(0);
    expect(rows.integrations).toBe(2);
    expect(rows.klaviyo_list_members).toBeGreaterThan(0);
    expect(small.rows.orders).toBe(400);
    expect(small.rows.gorgias_tickets).toBe(0);
    expect(small.rows.integrations).toBe(1);
  });

  it("keeps each shop's rows to itself: every reference resolves inside the same shop", async () => {
    const orphans = await one(
      `select
         (select count(*) from fulfillments f where not exists
            (select 1 from orders o where o.shop = f.shop and o.id = f.order_id))::int as fulfillments,
         (select count(*) from fulfillment_events e where not exists
            (select 1 from fulfillments f where f.shop = e.shop and f.id = e.fulfillment_id and f.order_id = e.order_id))::int as events,
         (select count(*) from orders o where o.customer_id is not null and not exists
            (select 1 from customers c where c.shop = o.shop and c.id = o.customer_id))::int as buyers,
         (select count(*) from checkouts k where k.order_id is not null and not exists
            (select 1 from orders o where o.shop = k.shop and o.id = k.order_id))::int as checkouts,
         (select count(*) from upsell_offers u where not exists
            (select 1 from orders o where o.shop = u.shop and o.id::text = u.reference_id))::int as offers,
         (select count(*) from recipe_runs r where r.order_id is not null and not exists
            (select 1 from orders o where o.shop = r.shop and o.id = r.order_id))::int as runs,
         (select count(*) from gorgias_tickets t where not exists
            (select 1 from orders o where o.shop = t.shop and o.email = t.customer_email))::int as tickets,
         (select count(*) from order_refunds f where not exists
            (select 1 from orders o where o.shop = f.shop and o.id = f.order_id and o.refund_count > 0))::int as refunds`,
      [],
    );
    expect(orphans).toEqual({
      fulfillments: 0,
      events: 0,
      buyers: 0,
      checkouts: 0,
      offers: 0,
      runs: 0,
      tickets: 0,
      refunds: 0,
    });
    // Seeding the second shop left the first one's rows as they were.
    expect(await one(`select count(*)::int as n from orders where shop = $1`)).toEqual({
      n: 3_000,
    });
  });

  it("places everything inside the year before now, in causal order", async () => {
    const bounds = await one(
      `select min(created_at) >= $2::timestamptz - interval '365 days' as orders_after_start,
              max(created_at) < $2::timestamptz as orders_before_now,
              max(source_updated_at) <= $2::timestamptz as updates_before_now,
              bool_and(cancelled_at is null or cancelled_at >= created_at) as cancelled_after_placed,
              (select max(happened_at) <= $2::timestamptz from fulfillment_events where shop = $1) as events_before_now,
              (select bool_and(f.created_at > o.created_at and (f.delivered_at is null or f.delivered_at > f.created_at))
                 from fulfillments f join orders o on o.shop = f.shop and o.id = f.order_id where f.shop = $1) as shipped_after_placed,
              (select max(created_at) <= $2::timestamptz from recipe_runs where shop = $1) as runs_before_now,
              (select max(received_at) <= $2::timestamptz from gorgias_tickets where shop = $1) as tickets_before_now,
              (select bool_and(last_activity_at >= created_at and (ordered_at is null or ordered_at >= last_activity_at))
                 from checkouts where shop = $1) as checkouts_in_order,
              (select bool_and(f.created_at >= o.created_at and f.created_at <= $2::timestamptz
                   and (f.processed_at is null) = (f.money_status = 'pending')
                   and (f.processed_at is null or (f.processed_at >= f.created_at and f.processed_at <= $2::timestamptz)))
                 from order_refunds f join orders o on o.shop = f.shop and o.id = f.order_id where f.shop = $1) as refunds_in_order,
              (select bool_and(source_created_at = received_at
                   and (first_agent_response_at is null or first_agent_response_at between source_created_at and $2::timestamptz)
                   and (closed_at is null or (closed_at >= coalesce(first_agent_response_at, source_created_at) and closed_at <= $2::timestamptz))
                   and (closed_at is null) = (status = 'open'))
                 from gorgias_tickets where shop = $1) as tickets_in_order
       from orders where shop = $1`,
      [BIG, now.toISOString()],
    );
    expect(bounds).toEqual({
      orders_after_start: true,
      orders_before_now: true,
      updates_before_now: true,
      cancelled_after_placed: true,
      events_before_now: true,
      shipped_after_placed: true,
      runs_before_now: true,
      tickets_before_now: true,
      checkouts_in_order: true,
      refunds_in_order: true,
      tickets_in_order: true,
    });
  });

  it("gives the report something to find in every zone", async () => {
    const shape = await one(
      `select
         (select count(*) from orders where shop = $1 and financial_status in ('pending', 'authorized', 'voided'))::int as unpaid,
         (select count(*) from orders where shop = $1 and financial_status in ('refunded', 'partially_refunded'))::int as refunded,
         (select count(*) from fulfillments where shop = $1 and shipment_status in ('delayed', 'failure', 'attempted_delivery'))::int as late,
         (select count(*) from inventory_levels where shop = $1 and available <= 0)::int as sold_out,
         (select avg((order_id is null)::int)::float8 from checkouts where shop = $1) as open_share,
         (select count(*) from checkouts where shop = $1 and ordered_at > last_activity_at + interval '1 hour')::int as recovered,
         (select count(*) filter (where order_count > 1)::float8 / count(*) filter (where order_count > 0)
            from customers where shop = $1) as repeat_rate,
         (select count(*) from upsell_offers where shop = $1 and status = 'accepted')::int as accepted,
         (select count(distinct recipe_id)::int from recipe_runs where shop = $1) as recipes_run`,
    );
    expect(shape.unpaid).toBeGreaterThan(0);
    expect(shape.refunded).toBeGreaterThan(0);
    expect(shape.late).toBeGreaterThan(0);
    expect(shape.sold_out).toBeGreaterThan(0);
    expect(shape.open_share).toBeGreaterThan(0.55);
    expect(shape.open_share).toBeLessThan(0.72);
    expect(shape.recovered).toBeGreaterThan(0);
    expect(shape.repeat_rate).toBeGreaterThan(0.1);
    expect(shape.repeat_rate).toBeLessThan(0.5);
    expect(shape.accepted).toBeGreaterThan(0);
    expect(shape.recipes_run).toBe(3);
    // Refunds and tickets can be timed: most money goes back within the day, some takes days;
    // most tickets are answered, and closed, within days.
    const timings = await one(
      `select
         (select percentile_cont(0.5) within group (order by extract(epoch from processed_at - created_at) / 86400)
            from order_refunds where shop = $1 and money_status = 'sent') as refund_days,
         (select avg((processed_at - created_at > interval '1 day')::int)::float8
            from order_refunds where shop = $1 and money_status = 'sent') as slow_refunds,
         (select percentile_cont(0.5) within group (order by extract(epoch from first_agent_response_at - source_created_at) / 3600)
            from gorgias_tickets where shop = $1) as first_response_hours,
         (select percentile_cont(0.5) within group (order by extract(epoch from closed_at - source_created_at) / 3600)
            from gorgias_tickets where shop = $1) as resolution_hours`,
    );
    expect(timings.refund_days).toBeLessThan(1);
    expect(timings.slow_refunds).toBeGreaterThan(0.15);
    expect(timings.first_response_hours).toBeGreaterThan(1);
    expect(timings.first_response_hours).toBeLessThan(24);
    expect(timings.resolution_hours).toBeGreaterThan(timings.first_response_hours);
    // November ships slower than spring and summer; outside the season parcels are mostly on time.
    const season = await one(
      `select
         percentile_cont(0.5) within group (order by extract(epoch from f.created_at - o.created_at))
           filter (where extract(month from o.created_at at time zone 'America/New_York') = 11) as november,
         percentile_cont(0.5) within group (order by extract(epoch from f.created_at - o.created_at))
           filter (where extract(month from o.created_at at time zone 'America/New_York') between 3 and 9) as spring_summer,
         avg((f.estimated_delivery_at < coalesce(f.delivered_at, $2::timestamptz))::int)
           filter (where extract(month from o.created_at at time zone 'America/New_York') between 3 and 9)::float8 as late_share
       from fulfillments f join orders o on o.shop = f.shop and o.id = f.order_id
       where f.shop = $1`,
      [BIG, now.toISOString()],
    );
    expect(season.november / season.spring_summer).toBeGreaterThan(1.3);
    expect(season.late_share).toBeLessThan(0.15);
    // The customers' aggregates are their live orders'.
    const aggregates = await one(
      `select (select sum(order_count) from customers where shop = $1)::int as counted,
              (select count(*) from orders where shop = $1 and customer_id is not null and cancelled_at is null)::int as live`,
    );
    expect(aggregates.counted).toBe(aggregates.live);
  });

  it("writes ids above 2^53 exactly, as the app reads them (decimal text)", async () => {
    const { db } = testDatabase().database;
    const [newest] = await db
      .select({ id: orders.id, customerId: orders.customerId, lineItems: orders.lineItems })
      .from(orders)
      .where(and(eq(orders.shop, SMALL), eq(orders.name, "#1400")));
    expect(newest!.id).toBe((ABOVE_2_53 + 399n).toString());
    expect(BigInt(newest!.lineItems[0]!.id)).toBeGreaterThan(ABOVE_2_53);
    expect(typeof newest!.lineItems[0]!.variantId).toBe("string");
    const [top] = await db
      .select({ id: orders.id })
      .from(orders)
      .where(eq(orders.shop, SMALL))
      .orderBy(desc(orders.id))
      .limit(1);
    expect(top!.id).toBe("9007199254741392");
  });
});
