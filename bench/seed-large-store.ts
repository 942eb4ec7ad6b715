/**
 * A year of one store's read model, written straight into PostgreSQL (or PGlite) with set-based
 * SQL (INSERT … SELECT over generate_series), for benchmarks that read what the webhooks and the
 * history import would have left: orders with line items, payments, refunds (and when their money
 * went back) and cancellations; customers with their aggregates; fulfillments and carrier events
 * (some parcels delayed, some failed); variants and stock at two locations (some sold out or
 * oversold); checkouts, most of them abandoned and a few recovered; Gorgias tickets with their
 * first reply and closing, some of them "where is my order" after a late parcel; recipe runs and
 * frequency-cap touches of the recipes the store switched on; and post-purchase offers.
 * Deterministic: the same options give the same rows (every "random" figure is a hash of the
 * row's index), so runs compare. Dates are relative to `now`.
 *
 * Shape: orders per day follow the shop-local weekday, a year's growth, the November–December
 * season and a Black Friday–Cyber Monday peak; within a day they cluster around mid-afternoon in
 * the shop's zone. Buyers repeat on a long tail (a few whales, most buy once).
 */
import type { Database, ExecuteSql } from "../app/db.server";

export interface SeedStoreOptions {
  shop: string;
  now: Date;
  /** Orders over the `days` before `now`. */
  orders: number;
  /** Customers in the read model; some of them never ordered in the window. */
  customers?: number;
  days?: number;
  currency?: string;
  timeZone?: string;
  /** First Shopify id of this store's id range (decimal text: may exceed 2^53). */
  idBase?: string;
  /** Varies every hashed figure; two shops with different seeds do not mirror each other. */
  seed?: number;
  /** Whether Gorgias is connected (its tickets are seeded only then). */
  gorgias?: boolean;
}

export interface SeededStore {
  shop: string;
  seedMs: number;
  rows: Record<SeededTable, number>;
}

export const SEEDED_TABLES = [
  "orders",
  "customers",
  "variants",
  "inventory_levels",
  "fulfillments",
  "fulfillment_events",
  "checkouts",
  "order_refunds",
  "gorgias_tickets",
  "recipe_settings",
  "recipe_runs",
  "recipe_touches",
  "upsell_offers",
  "integrations",
  "klaviyo_lists",
  "klaviyo_list_members",
  "shops",
] as const;
export type SeededTable = (typeof SEEDED_TABLES)[number];

const DAY_MS = 86_400_000;
const VARIANTS_PER_PRODUCT = 3;
const LOCATIONS = 2;

/** Each kind of id gets its own block of ten billion inside the store's range. */
const ID_BLOCK = 10_000_000_000n;
const ID_KINDS = [
  "order",
  "lineItem",
  "customer",
  "fulfillment",
  "event",
  "variant",
  "product",
  "inventoryItem",
  "location",
  "checkout",
  "refund",
] as const;
type IdKind = (typeof ID_KINDS)[number];

/** Deterministic pseudo-random numbers (mulberry32), for the per-day volume. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function localParts(at: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      weekday: "short",
      hourCycle: "h23",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    weekday: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday!),
  };
}

/** Black Friday of a year: the day after the fourth Thursday of November (a day of the month). */
function blackFriday(year: number): number {
  const firstWeekday = new Date(Date.UTC(year, 10, 1)).getUTCDay();
  return 1 + ((4 - firstWeekday + 7) % 7) + 21 + 1;
}

/** How busy a shop-local calendar day is, relative to an ordinary weekday. */
function seasonFactor(month: number, day: number, year: number): number {
  if (month === 11) {
    const bf = blackFriday(year);
    const fromBf = day - bf;
    if (fromBf === -1) return 1.7; // Thanksgiving evening deals
    if (fromBf === 0) return 4.6;
    if (fromBf === 1 || fromBf === 2) return 2.6;
    if (fromBf === 3) return 3.4; // Cyber Monday
    if (fromBf > 3) return 1.5;
    return 1.15;
  }
  if (month === 12) {
    if (day <= 3) return 1.6; // Cyber Monday can fall on Dec 1–2; the week after stays busy
    if (day <= 18) return 1.35;
    if (day <= 23) return 1.1;
    if (day <= 26) return 0.65;
    return 0.9;
  }
  if (month === 1) return 0.85;
  return 1;
}

const WEEKDAY_FACTOR = [1.1, 1.05, 1.0, 0.98, 0.97, 0.93, 0.85]; // Sun … Sat

/**
 * Orders per day (index 0 is the oldest day), summing exactly to `orders`; each day is the
 * 24 hours starting `days - index` days before `now`. Peak bounds are the season's instants.
 */
export function dailyOrderCounts(options: {
  orders: number;
  days: number;
  now: Date;
  timeZone: string;
  seed: number;
}) {
  const { orders, days, now, timeZone, seed } = options;
  const noise = random(seed * 7919 + 11);
  const weights: number[] = [];
  for (let d = 0; d < days; d++) {
    const middle = new Date(now.getTime() - (days - d) * DAY_MS + DAY_MS / 2);
    const local = localParts(middle, timeZone);
    const growth = 0.8 + (0.4 * d) / days;
    weights.push(
      growth *
        WEEKDAY_FACTOR[local.weekday]! *
        seasonFactor(local.month, local.day, local.year) *
        (0.92 + 0.16 * noise()),
    );
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / total) * orders);
  const counts = exact.map(Math.floor);
  let missing = orders - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (let k = 0; missing > 0; k++, missing--) counts[byRemainder[k % days]!.index]!++;
  const firsts: number[] = [];
  let running = 0;
  for (const count of counts) {
    firsts.push(running);
    running += count;
  }
  return { counts, firsts };
}

export async function seedLargeStore(
  executeSql: ExecuteSql,
  options: SeedStoreOptions,
): Promise<SeededStore> {
  const started = performance.now();
  const orders = options.orders;
  const customers = options.customers ?? Math.max(1, Math.round((orders * 250) / 600));
  const days = options.days ?? 365;
  const seed = options.seed ?? 1;
  const timeZone = options.timeZone ?? "America/New_York";
  const currency = options.currency ?? "USD";
  const variantCount = Math.max(30, Math.min(3_000, Math.round(orders / 200)));
  const base = BigInt(options.idBase ?? "5000000000000");
  const ids = Object.fromEntries(
    ID_KINDS.map((kind, k) => [kind, String(base + BigInt(k) * ID_BLOCK)]),
  ) as Record<IdKind, string>;
  const now = options.now;
  const windowStart = new Date(now.getTime() - days * DAY_MS);

  // Generated values only below (numbers, ids, dates computed here); the shop goes in as $1.
  const hashSeed = BigInt(seed) * 4_294_967_296n;
  /** A uniform figure in [0, 1) for the row `expr`, distinct per `salt` (0–63). */
  const r = (expr: string, salt: number) =>
    `((hashint8((${expr})::bigint * 64 + ${salt} + ${hashSeed})::float8 + 2147483648) / 4294967296)`;
  const hours = (expr: string) => `make_interval(secs => 3600 * (${expr}))`;
  const nowSql = `'${now.toISOString()}'::timestamptz`;
  const id = (kind: IdKind, offset: string) => `(${ids[kind]}::bigint + (${offset}))`;

  const { counts, firsts } = dailyOrderCounts({ orders, days, now, timeZone, seed });
  // Where in its 24 hours a day's orders peak: mid-afternoon in the shop's zone.
  const startHour = localParts(windowStart, timeZone).hour;
  const phase = ((((15 - startHour) / 24 - 0.5) % 1) + 1) % 1;
  // The season (Nov 1 to Dec 24, shop time, roughly) ships and delivers slower.
  const seasonDays = counts.map((_, d) => {
    const local = localParts(new Date(windowStart.getTime() + d * DAY_MS + DAY_MS / 2), timeZone);
    return local.month === 11 || (local.month === 12 && local.day <= 24);
  });
  // Its stretches of consecutive days (a window can hold the end of one season and the next).
  const seasonRanges: [string, string][] = [];
  seasonDays.forEach((inSeason, d) => {
    if (!inSeason) return;
    const start = new Date(windowStart.getTime() + d * DAY_MS).toISOString();
    const end = new Date(windowStart.getTime() + (d + 1) * DAY_MS).toISOString();
    if (d > 0 && seasonDays[d - 1]) seasonRanges.at(-1)![1] = end;
    else seasonRanges.push([start, end]);
  });
  const inSeason = (at: string) =>
    seasonRanges.length
      ? `(${seasonRanges
          .map(([from, to]) => `(${at} >= '${from}'::timestamptz and ${at} < '${to}'::timestamptz)`)
          .join(" or ")})`
      : "false";

  const productTitle = (p: string) =>
    `((array['Linen','Merino','Organic Cotton','Recycled','Waxed Canvas','Alpaca','Bamboo','Everyday','Trail','Harbor'])[1 + (${p}) % 10] || ' ' || ` +
    `(array['Tee','Hoodie','Beanie','Tote','Socks','Scarf','Cap','Overshirt','Joggers','Mug','Blanket','Backpack'])[1 + ((${p}) / 10) % 12])`;
  const variantTitle = (v: string) => `(array['Small','Medium','Large'])[1 + (${v}) % 3]`;
  const variantPrice = (v: string) =>
    `(14.99 + ((hashint8((${v})::bigint * 131 + 7)::bigint + 2147483648) % 95))::numeric(14,2)`;
  /** Best-sellers first: a line's variant, skewed to low indexes (Zipf-like). */
  const pickVariant = (expr: string, salt: number) =>
    `least(${variantCount - 1}, floor(${variantCount} * power(${r(expr, salt)}, 2.4)))::int`;
  /** 1–4 lines (mostly 1–2), each a variant and a quantity; `key` indexes the lines' ids. */
  const lineItems = (key: string, withIds: boolean) => `lateral (
      select jsonb_agg(jsonb_build_object(${withIds ? `'id', ${id("lineItem", `(${key}) * 4 + k`)}::text,` : ""}
               'variantId', ${id("variant", "v")}::text, 'productId', ${id("product", `v / ${VARIANTS_PER_PRODUCT}`)}::text,
               'sku', 'SKU-' || lpad(v::text, 5, '0'), 'title', ${productTitle(`v / ${VARIANTS_PER_PRODUCT}`)},
               ${withIds ? "" : `'variantTitle', ${variantTitle("v")},`}
               'quantity', q, 'price', to_char(${variantPrice("v")}, 'FM999990.00')) order by k) as items,
             sum(${variantPrice("v")} * q)::numeric(14,2) as subtotal
      from (select k, ${pickVariant(`(${key}) * 4 + k`, 7)} as v,
                   case when ${r(`(${key}) * 4 + k`, 8)} < 0.12 then 2 else 1 end as q
            from generate_series(0, (case when ${r(key, 9)} < 0.55 then 0 when ${r(key, 9)} < 0.85 then 1
                                          when ${r(key, 9)} < 0.96 then 2 else 3 end)) k offset 0) lines) li`;
  // Buyers: a loyal quarter of the customers places ~70 % of the orders (a long tail of whales);
  // 28 % of orders come from one-time buyers, each order its own customer; the rest of the
  // customers did not order in the window. About a quarter of buyers order again.
  const loyal = Math.max(1, Math.round(customers / 4));
  const customerIndex = (i: string) =>
    `least(${customers - 1}, case when (${i}) % 25 < 7 then ${loyal} + ((${i}) / 25) * 7 + (${i}) % 25
       else floor(${loyal} * power(${r(i, 3)}, 1.5)) end)::bigint`;
  const email = (c: string) => `'shopper' || (${c}) || '@example.com'`;
  /** When an order ships: a day or so, a long tail, slower in the season. */
  const shipAt = (i: string, created: string) =>
    `(${created} + ${hours(`(3 + 26 * -ln(1 - ${r(i, 10)} * 0.999)) * (case when ${inSeason(created)} then 1.7 else 1 end)`)})`;
  /**
   * A parcel's carrier history from its shipping time: most delivered in 1–4 days, some delayed
   * then delivered, some with a failed attempt, some failed or stuck. Columns are null for what
   * never happened; what lies after `now` has not happened yet.
   */
  const parcel = (i: string, s: string) => `lateral (
      select ${r(i, 20)} as u, (30 + 70 * ${r(i, 21)}) * (case when ${inSeason(s)} then 1.4 else 1 end) as t,
             24 + 96 * ${r(i, 22)} as extra offset 0) pk,
    lateral (
      select kind, ${s} + ${hours("2 + 8 * " + r(i, 23))} as transit_at,
             case when kind in ('ok', 'attempted', 'failure') then ${s} + ${hours("pk.t - 5")}
                  when kind = 'delayed' then ${s} + ${hours("pk.t + pk.extra - 5")} end as out_at,
             case when kind in ('delayed', 'stuck') then ${s} + ${hours("pk.t * 0.6")} end as delayed_at,
             case when kind = 'attempted' then ${s} + ${hours("pk.t")} end as attempted_at,
             case when kind = 'ok' then ${s} + ${hours("pk.t")}
                  when kind = 'delayed' then ${s} + ${hours("pk.t + pk.extra")}
                  when kind = 'attempted' then ${s} + ${hours("pk.t + 24")} end as delivered_at,
             case when kind = 'failure' then ${s} + ${hours("pk.t + pk.extra")} end as failure_at,
             ${s} + interval '5 days' as eta,
             ${s} + ${hours("pk.t + pk.extra + 12")} as late_eta
      from (select case when pk.u < 0.885 then 'ok' when pk.u < 0.945 then 'delayed'
                        when pk.u < 0.97 then 'attempted' when pk.u < 0.985 then 'failure'
                        else 'stuck' end as kind) k offset 0) p`;
  /** The parcel's events as rows (slot, status, happened); `happened` is null for what never happens. */
  const parcelEvents = `lateral (values (1, 'in_transit', p.transit_at), (2, 'out_for_delivery', p.out_at),
      (3, 'delayed', p.delayed_at), (4, 'attempted_delivery', p.attempted_at), (5, 'delivered', p.delivered_at),
      (6, 'failure', p.failure_at)) as ev(slot, status, happened)`;

  const shop = [options.shop];
  const run = (text: string, values: unknown[] = shop) => executeSql(text, values);

  await run(
    `insert into shops (domain, name, plan, currency, iana_timezone, installed_at, created_at, updated_at)
     values ($1, $2, 'shopify_plus', '${currency}', '${timeZone}', ${nowSql} - interval '420 days',
             ${nowSql} - interval '420 days', ${nowSql} - interval '1 day')`,
    [options.shop, `Bench Store ${seed}`],
  );

  // Orders. Statuses: ~1.5 % cancelled (voided or refunded); 0.6 % of payments pending (the last
  // two weeks', and a fifth stuck for months; the others failed: voided); 0.4 % authorized and
  // captured within a week; 0.8 % voided (the payment failed); 3 % refunded, 1.5 % partially
  // refunded; the rest paid.
  // A refund lands 6 hours to ~2 weeks after the order (one not due by `now` has not happened).
  await run(
    `insert into orders (shop, id, name, email, customer_id, currency, presentment_currency,
       total_price, subtotal_price, total_tax, current_total_price, presentment_total_price,
       financial_status, fulfillment_status, tags, line_items, refund_count, cancelled_at,
       processed_at, created_at, source_updated_at)
     select $1, ${id("order", "i")}, '#' || (1001 + i), coalesce(${email("c")}, 'guest' || i || '@example.net'),
       ${id("customer", "c")}, '${currency}', '${currency}', total, li.subtotal, tax,
       case when status = 'refunded' then 0 when status = 'partially_refunded' then round(total * 0.6, 2)
            else total end,
       total, status,
       case when fulfilled then 'fulfilled' end,
       case when ${r("i", 11)} < 0.05 then array['wholesale'] when ${r("i", 11)} < 0.08 then array['subscription']
            else '{}'::text[] end,
       li.items, case when status in ('refunded', 'partially_refunded') then 1 else 0 end,
       cancelled_at, created_at, created_at,
       greatest(created_at, cancelled_at, case when fulfilled then ship_at end,
                case when status in ('refunded', 'partially_refunded') and cancelled_at is null then refund_at end)
     from (
       select *, cancelled_at is null and status in ('paid', 'refunded', 'partially_refunded', 'authorized')
                 and ${r("i", 12)} > 0.02 and ship_at <= ${nowSql} as fulfilled
       from (
         select i, c, created_at, ship_at, refund_at, cancelled_at,
           case when cancelled_at is not null then (case when fin < 0.5 then 'voided' else 'refunded' end)
                -- Payments waiting: recent ones, and a few stuck for months; older ones failed.
                when fin < 0.006 then (case when created_at > ${nowSql} - interval '14 days' or fin < 0.0012
                                            then 'pending' else 'voided' end)
                -- Authorizations are captured within a week.
                when fin < 0.010 and created_at > ${nowSql} - interval '7 days' then 'authorized'
                when fin < 0.010 then 'paid'
                when fin < 0.018 then 'voided'
                when fin < 0.048 and refund_at <= ${nowSql} then 'refunded'
                when fin < 0.063 and refund_at <= ${nowSql} then 'partially_refunded'
                else 'paid' end as status
         from (
           select i, created_at, ${r("i", 5)} as fin,
             case when ${r("i", 4)} >= 0.04 then ${customerIndex("i")} end as c,
             ${shipAt("i", "created_at")} as ship_at,
             created_at + ${hours(`6 + 330 * power(${r("i", 13)}, 2)`)} as refund_at,
             case when ${r("i", 6)} < 0.015 and created_at + ${hours(`1 + 29 * ${r("i", 14)}`)} <= ${nowSql}
                  then created_at + ${hours(`1 + 29 * ${r("i", 14)}`)} end as cancelled_at
           from (
             select (d.first + j - 1)::bigint as i,
               '${windowStart.toISOString()}'::timestamptz + make_interval(days => (d.day - 1)::int)
                 + make_interval(secs => 86399 * mod((${phase} + (${r("d.first + j - 1", 1)} + ${r("d.first + j - 1", 2)}) / 2)::numeric, 1)::float8) as created_at
             from unnest('{${counts.join(",")}}'::int[], '{${firsts.join(",")}}'::int[]) with ordinality as d(n, first, day)
             cross join lateral generate_series(1, d.n) j
             offset 0
           ) placed
           offset 0
         ) drawn
         offset 0
       ) statused
       offset 0
     ) o
     cross join ${lineItems("o.i", true)}
     cross join lateral (select round(li.subtotal * 0.07, 2) as tax,
                                li.subtotal + round(li.subtotal * 0.07, 2) + case when li.subtotal >= 75 then 0 else 6.95 end as total) money`,
  );

  // Customers: everyone in the range, with the aggregates their live orders give.
  await run(
    `insert into customers (shop, id, email, first_name, last_name, phone, tags, email_marketing_state,
       accepts_marketing, lifetime_spend, order_count, first_order_at, last_order_at, source_updated_at)
     select $1, ${id("customer", "c")}, ${email("c")},
       (array['Ava','Liam','Maya','Noah','Zoe','Ethan','Iris','Lucas','Nora','Owen','Ruth','Theo','Chloe','Jonas','Priya','Mateo'])[1 + c % 16],
       (array['Garcia','Smith','Okafor','Nguyen','Müller','Rossi','Cohen','Kim','Dubois','Silva','Jensen','Patel','Novak'])[1 + (c / 16) % 13],
       null, case when coalesce(agg.spend, 0) > 1000 then array['VIP'] else '{}'::text[] end,
       case when ${r("c", 30)} < 0.55 then 'subscribed' when ${r("c", 30)} < 0.62 then 'unsubscribed' else 'not_subscribed' end,
       ${r("c", 30)} < 0.55, coalesce(agg.spend, 0), coalesce(agg.live, 0), agg.first_at, agg.last_at,
       coalesce(agg.last_at, ${nowSql} - ${hours(`24 * 400 * ${r("c", 31)}`)})
     from generate_series(0, ${customers - 1}) c
     left join (
       select customer_id, sum(current_total_price) filter (where cancelled_at is null) as spend,
              count(*) filter (where cancelled_at is null) as live,
              min(created_at) filter (where cancelled_at is null) as first_at,
              max(created_at) filter (where cancelled_at is null) as last_at
       from orders where shop = $1 and customer_id is not null group by customer_id
     ) agg on agg.customer_id = ${id("customer", "c")}`,
  );

  // Variants (3 per product) and their stock at two locations: best-sellers mostly stocked
  // deep, but two of the top dozen and ~6 % of all variants sold out everywhere, ~1 % oversold.
  await run(
    `insert into variants (shop, id, product_id, inventory_item_id, sku, title, price, updated_at)
     select $1, ${id("variant", "v")}, ${id("product", `v / ${VARIANTS_PER_PRODUCT}`)}, ${id("inventoryItem", "v")},
       'SKU-' || lpad(v::text, 5, '0'), ${variantTitle("v")}, ${variantPrice("v")},
       ${nowSql} - ${hours(`24 * 200 * ${r("v", 32)}`)}
     from generate_series(0, ${variantCount - 1}) v`,
  );
  await run(
    `insert into inventory_levels (shop, inventory_item_id, location_id, available, source_updated_at, refreshed_at)
     select $1, ${id("inventoryItem", "v")}, ${id("location", "l")},
       case when v in (3, 11) or ${r("v", 33)} < 0.06 then 0
            when ${r("v", 33)} < 0.07 then -1 - floor(6 * ${r(`v * 2 + l`, 34)})::int
            else floor((case when v < ${Math.ceil(variantCount / 20)} then 400 else 60 end) * ${r(`v * 2 + l`, 35)})::int end,
       ${nowSql} - ${hours(`24 * 30 * ${r(`v * 2 + l`, 36)}`)}, ${nowSql} - ${hours(`6 * ${r(`v * 2 + l`, 37)}`)}
     from generate_series(0, ${variantCount - 1}) v cross join generate_series(0, ${LOCATIONS - 1}) l`,
  );

  // One fulfillment per fulfilled order, and its carrier events up to `now`.
  const orderIndex = `(o.id - ${ids.order}::bigint)`;
  await run(
    `insert into fulfillments (shop, id, order_id, status, shipment_status, tracking_company, tracking_numbers,
       tracking_urls, estimated_delivery_at, delivered_at, last_event_at, created_at, source_updated_at)
     select $1, ${id("fulfillment", orderIndex)}, o.id, 'success', latest.status,
       (array['UPS','USPS','FedEx','DHL Express'])[1 + (${orderIndex} % 4)::int],
       array['1Z' || lpad(${orderIndex}::text, 16, '0')], '{}'::text[],
       case when p.delayed_at <= ${nowSql} then p.late_eta else p.eta end,
       case when p.delivered_at <= ${nowSql} then p.delivered_at end,
       latest.happened, ship.shipped_at, coalesce(latest.happened, ship.shipped_at)
     from orders o
     cross join lateral (select ${shipAt(orderIndex, "o.created_at")} as shipped_at) ship
     cross join ${parcel(orderIndex, "ship.shipped_at")}
     left join lateral (
       select ev.status, ev.happened from ${parcelEvents.replace(/^lateral /, "")}
       where ev.happened <= ${nowSql} order by ev.happened desc limit 1) latest on true
     where o.shop = $1 and o.fulfillment_status = 'fulfilled'`,
  );
  const fulfillmentIndex = `(f.id - ${ids.fulfillment}::bigint)`;
  await run(
    `insert into fulfillment_events (shop, id, fulfillment_id, order_id, status, message, happened_at,
       estimated_delivery_at, city, province, country)
     select $1, ${id("event", `${fulfillmentIndex} * 8 + ev.slot`)}, f.id, f.order_id, ev.status,
       case ev.status when 'delayed' then 'Shipment delayed: weather or volume at the sorting facility'
                      when 'attempted_delivery' then 'Delivery attempted: no one available'
                      when 'failure' then 'Returned to sender: address could not be found' end,
       ev.happened, case when ev.status = 'delayed' then p.late_eta else p.eta end,
       (array['Columbus','Denver','Atlanta','Memphis','Louisville','Reno','Chicago'])[1 + ((${fulfillmentIndex} + ev.slot) % 7)::int],
       (array['OH','CO','GA','TN','KY','NV','IL'])[1 + ((${fulfillmentIndex} + ev.slot) % 7)::int], 'US'
     from fulfillments f
     cross join ${parcel(fulfillmentIndex, "f.created_at")}
     cross join ${parcelEvents}
     where f.shop = $1 and ev.happened <= ${nowSql}`,
  );

  // Checkouts: ~45 % of orders completed their checkout straight away, ~8 % came back to an
  // abandoned one (recovered: the order lands hours to days after the last activity); the other
  // checkouts were abandoned, for 1.5 checkouts per order in all (~70 % abandoned).
  // 32 hex digits as Shopify's tokens, led by the checkout's number so the primary key grows in
  // order (random keys would make each insert touch a random index page: minutes at this size).
  const token = (n: string) =>
    `(lpad(to_hex(${n}), 8, '0') || substr(md5($1 || ':checkout:' || (${n})), 9))`;
  await run(
    `insert into checkouts (shop, token, id, cart_token, customer_id, email, line_items, subtotal_price, currency,
       presentment_currency, abandoned_checkout_url, completed_at, order_id, ordered_at, created_at,
       last_activity_at, source_updated_at)
     select $1, ${token("i")}, ${id("checkout", "i")}, md5($1 || ':cart:' || i), o.customer_id, o.email,
       (select jsonb_agg(jsonb_build_object('variantId', e->>'variantId', 'productId', e->>'productId',
          'sku', e->>'sku', 'title', e->>'title', 'variantTitle', null, 'quantity', (e->>'quantity')::int,
          'price', e->>'price')) from jsonb_array_elements(o.line_items) e),
       o.subtotal_price, o.currency, o.currency,
       'https://' || $1 || '/checkouts/' || ${token("i")} || '/recover', o.created_at, o.id, o.created_at,
       o.created_at - ${hours("g.gap_hours")}, o.created_at - ${hours("g.gap_hours")} + interval '6 minutes',
       o.created_at
     from (select o.*, ${orderIndex} as i from orders o where o.shop = $1) o
     cross join lateral (select case when ${r("i", 40)} < 0.45 then 0.1 + 0.5 * ${r("i", 41)}
                                     else 3 + 90 * ${r("i", 41)} end as gap_hours offset 0) g
     where ${r("i", 40)} < 0.53`,
  );
  const abandoned = `(select greatest(0, ${Math.round(orders * 1.5)} - count(*))::int from checkouts where shop = $1)`;
  await run(
    `insert into checkouts (shop, token, id, cart_token, customer_id, email, line_items, subtotal_price, currency,
       presentment_currency, abandoned_checkout_url, created_at, last_activity_at, source_updated_at)
     select $1, ${token(`${orders} + a`)}, ${id("checkout", `${orders} + a`)}, md5($1 || ':cart:' || (${orders} + a)),
       case when who < 0.55 then ${id("customer", customerIndex("a + 7"))} end,
       case when who < 0.55 then ${email(customerIndex("a + 7"))} when who < 0.85 then 'visitor' || a || '@example.org' end,
       li.items, li.subtotal, '${currency}', '${currency}',
       'https://' || $1 || '/checkouts/' || ${token(`${orders} + a`)} || '/recover',
       started_at, started_at + ${hours(`0.05 + 0.5 * ${r("a", 42)}`)}, started_at + ${hours(`0.05 + 0.5 * ${r("a", 42)}`)}
     from (select a, ${r("a", 43)} as who,
             least(${nowSql} - interval '1 minute', o.created_at + ${hours(`3 * ${r("a", 44)}`)}) as started_at
           from generate_series(0, ${abandoned} - 1) a
           join orders o on o.shop = $1
             and o.id = ${id("order", `floor(a::float8 * ${orders} / greatest(1, ${abandoned}))::bigint`)}) c
     cross join ${lineItems(`${orders} + a`, false)}`,
  );

  // Integrations: Klaviyo always, Gorgias when asked.
  await run(
    `insert into integrations (shop, vendor, status, credentials, credentials_key_id, secret_hint, klaviyo_account_id,
       klaviyo_account_name, gorgias_domain, gorgias_email, connected_at, checked_at, updated_at)
     select $1, vendor, 'connected', 'bench:not-a-sealed-secret', 'bench',
       case vendor when 'klaviyo' then 'pk_…bnch' else 'bnch…' end,
       case vendor when 'klaviyo' then 'BENCH01' end, case vendor when 'klaviyo' then 'Bench Store' end,
       case vendor when 'gorgias' then 'bench-store' end, case vendor when 'gorgias' then 'support@example.com' end,
       ${nowSql} - interval '300 days', ${nowSql} - interval '1 hour', ${nowSql} - interval '1 hour'
     from unnest(array['klaviyo'${options.gorgias === false ? "" : ", 'gorgias'"}]) vendor`,
  );

  // Refunds (order_refunds), one per refunded order, issued when the order says (a cancelled
  // order's at its cancellation): most card refunds go back within minutes, a quarter within
  // 1–5 days, the rest take up to two weeks; one whose money is not back by `now` is pending.
  await run(
    `insert into order_refunds (shop, id, order_id, created_at, processed_at, money_status, source_updated_at)
     select $1, ${id("refund", "i")}, o.id, issued,
       case when back <= ${nowSql} then back end,
       case when back <= ${nowSql} then 'sent' else 'pending' end,
       case when back <= ${nowSql} then back else issued end
     from (
       select o.id, o.id - ${ids.order}::bigint as i,
         coalesce(o.cancelled_at, o.created_at + ${hours(`6 + 330 * power(${r(`o.id - ${ids.order}::bigint`, 13)}, 2)`)}) as issued
       from orders o where o.shop = $1 and o.refund_count > 0) o
     cross join lateral (select issued + case
         when ${r("i", 51)} < 0.7 then ${hours(`0.01 + 0.3 * ${r("i", 52)}`)}
         when ${r("i", 51)} < 0.95 then ${hours(`24 + 96 * ${r("i", 52)}`)}
         else ${hours(`120 + 216 * ${r("i", 52)}`)} end as back) b`,
  );

  // Gorgias tickets, ~4 per 100 orders: about 40 % "where is my order" a day or two after a
  // late parcel's carrier news, the rest about any order; resolved within hours to days. The
  // team answers first within minutes to a day (a few wait longer), never after closing.
  if (options.gorgias !== false) {
    await run(
      `insert into gorgias_tickets (shop, ticket_id, customer_email, status, source_updated_at, received_at,
         source_created_at, first_agent_response_at, closed_at)
       select $1, ticket, lower(email), case when resolved <= ${nowSql} then 'closed' else 'open' end,
         least(resolved, ${nowSql}), received, received,
         case when answered <= ${nowSql} then answered end,
         case when resolved <= ${nowSql} then resolved end
       from (
         select t.*, least(t.resolved,
           t.received + ${hours(`0.1 + 30 * power(${r("t.ticket", 53)}, 3)`)}) as answered
         from (
         select 100000000 + (e.id - ${ids.event}::bigint) as ticket, o.email,
           e.happened_at + ${hours(`2 + 46 * ${r("e.id", 45)}`)} as received,
           e.happened_at + ${hours(`2 + 46 * ${r("e.id", 45)} + 1 + 70 * power(${r("e.id", 46)}, 2)`)} as resolved
         from fulfillment_events e join orders o on o.shop = e.shop and o.id = e.order_id
         where e.shop = $1 and e.status in ('delayed', 'attempted_delivery', 'failure') and ${r("e.id", 47)} < 0.19
         union all
         select 900000000 + (o.id - ${ids.order}::bigint), o.email,
           o.created_at + ${hours(`2 + 24 * 12 * ${r("o.id", 48)}`)},
           o.created_at + ${hours(`2 + 24 * 12 * ${r("o.id", 48)} + 1 + 70 * power(${r("o.id", 49)}, 2)`)}
         from orders o where o.shop = $1 and ${r("o.id", 50)} < 0.027
         ) t
       ) t
       where received <= ${nowSql}`,
    );
  }

  // Recipes switched on months ago; the rest left off (the gaps the report should find).
  const enabled = {
    "shipping-delay-outreach": 200,
    "review-request-timing": 150,
    "post-purchase-upsell": 120,
    "vip-tier-sync": 300,
    "open-ticket-suppression": 250,
  };
  await run(
    `insert into recipe_settings (shop, recipe_id, enabled, config, enabled_at, updated_at)
     select $1, recipe, days is not null, '{}'::jsonb, ${nowSql} - make_interval(days => days), ${nowSql} - interval '3 days'
     from (values ${Object.entries(enabled)
       .map(([recipe, d]) => `('${recipe}', ${d})`)
       .join(
         ", ",
       )}, ('win-back-segments', null::int), ('abandoned-checkout-recovery', null::int)) s(recipe, days)`,
  );
  // Shipping-delay outreach on each late parcel's news, review requests two days after delivery.
  await run(
    `insert into recipe_runs (shop, recipe_id, trigger, event_key, subject, order_id, customer_id, outcome, actions,
       reasons, scheduled, duration_ms, created_at)
     select $1, recipe, 'fulfillment_events/create', 'webhook/' || e.id, 'Order ' || o.name, o.id, o.customer_id,
       case when o.customer_id is null then 'skipped' when ${r("e.id", 51)} < 0.06 then 'blocked' else 'acted' end,
       case when o.customer_id is null or ${r("e.id", 51)} < 0.06 then '[]'::jsonb
            else jsonb_build_array(jsonb_build_object('kind', 'klaviyo-event', 'channel', 'marketing',
                   'summary', case when recipe = 'review-request-timing' then 'Review request for ' else 'Shipment news for ' end || o.name,
                   'status', 'requested', 'key', $1 || ':' || recipe || ':' || e.id)) end,
       case when o.customer_id is null then array['guest checkout: no customer to reach']
            when ${r("e.id", 51)} < 0.06 then array['frequency cap reached'] else '{}'::text[] end,
       '[]'::jsonb, 20 + 200 * ${r("e.id", 52)}, run_at
     from fulfillment_events e
     join orders o on o.shop = e.shop and o.id = e.order_id
     cross join lateral (select case when e.status = 'delivered' then 'review-request-timing' else 'shipping-delay-outreach' end as recipe,
                                case when e.status = 'delivered' then e.happened_at + interval '2 days'
                                     else e.happened_at + interval '3 minutes' end as run_at) x
     where e.shop = $1 and e.status in ('delayed', 'attempted_delivery', 'failure', 'delivered') and run_at <= ${nowSql}
       and run_at >= ${nowSql} - make_interval(days => case when e.status = 'delivered' then ${enabled["review-request-timing"]}
                                                       else ${enabled["shipping-delay-outreach"]} end)`,
  );
  await run(
    `insert into recipe_runs (shop, recipe_id, trigger, event_key, subject, outcome, actions, reasons, scheduled,
       duration_ms, created_at)
     select $1, 'vip-tier-sync', 'daily', 'daily/' || to_char(day, 'YYYY-MM-DD'), 'VIP customers', 'acted',
       jsonb_build_array(jsonb_build_object('kind', 'klaviyo-list-sync', 'channel', 'sync', 'summary', 'VIP list kept in step',
         'status', 'requested')), '{}'::text[], '[]'::jsonb, 800 + 400 * ${r("extract(epoch from day)::bigint", 53)}, day
     from generate_series(${nowSql} - interval '${enabled["vip-tier-sync"]} days', ${nowSql} - interval '1 hour', interval '1 day') day`,
  );
  await run(
    `insert into recipe_touches (shop, customer_key, customer_id, channel, recipe_id, action_key, at)
     select $1, 'id:' || customer_id, customer_id, 'marketing', recipe_id, $1 || ':' || recipe_id || ':' || event_key, created_at
     from recipe_runs where shop = $1 and outcome = 'acted' and customer_id is not null`,
  );

  // VIP tier sync's Klaviyo list, holding the customers tagged VIP.
  await run(
    `insert into klaviyo_lists (shop, name, list_id, claimed_at)
     values ($1, 'VIP customers', 'VIP${seed}', ${nowSql} - interval '${enabled["vip-tier-sync"]} days')`,
  );
  await run(
    `insert into klaviyo_list_members (shop, list_id, email, profile_id, synced_at)
     select $1, 'VIP${seed}', lower(email), '01BENCH' || id,
       least(${nowSql}, coalesce(last_order_at, ${nowSql}) + interval '1 day')
     from customers where shop = $1 and 'VIP' = any(tags) and email is not null`,
  );

  // Post-purchase offers on ~35 % of orders since the upsell went on: 9 % taken (most of them
  // charged on the order), 55 % declined, the rest never answered.
  await run(
    `insert into upsell_offers (id, shop, reference_id, customer_id, recipe, reason, product_id, variant_id, quantity,
       title, price, discount_type, discount_value, currency, initial_total, status, revenue, order_id, charged_at,
       charged_revenue, changeset_jti, shown_at, responded_at)
     select md5($1 || ':offer:' || o.id)::uuid, $1, o.id::text, o.customer_id, 'post-purchase-upsell',
       'best-selling complement in stock', ${id("product", `v / ${VARIANTS_PER_PRODUCT}`)}, ${id("variant", "v")}, 1,
       ${productTitle(`v / ${VARIANTS_PER_PRODUCT}`)}, ${variantPrice("v")}, 'percentage', 15, o.currency, o.total_price,
       status, case when status = 'accepted' then round(${variantPrice("v")} * 0.85, 2) end,
       case when charged then o.id end, case when charged then o.created_at + interval '4 minutes' end,
       case when charged then round(${variantPrice("v")} * 0.85, 2) end,
       md5($1 || ':jti:' || o.id)::uuid, o.created_at + interval '1 minute',
       case when status <> 'shown' then o.created_at + interval '2 minutes' end
     from (select o.*, ${pickVariant("o.id", 54)} as v,
             case when ${r("o.id", 55)} < 0.09 then 'accepted' when ${r("o.id", 55)} < 0.64 then 'declined' else 'shown' end as status,
             ${r("o.id", 55)} < 0.083 as charged
           from orders o
           where o.shop = $1 and o.cancelled_at is null and o.created_at >= ${nowSql} - interval '${enabled["post-purchase-upsell"]} days'
             and o.created_at <= ${nowSql} - interval '5 minutes' and ${r("o.id", 56)} < 0.35 offset 0) o`,
  );
  await run(
    `insert into recipe_touches (shop, customer_key, customer_id, channel, recipe_id, action_key, at)
     select $1, 'id:' || customer_id, customer_id, 'upsell', 'post-purchase-upsell', $1 || ':upsell:' || id, shown_at
     from upsell_offers where shop = $1 and customer_id is not null`,
  );

  const counts_ = await run(
    `select ${SEEDED_TABLES.map(
      (table) =>
        `(select count(*) from ${table} where ${table === "shops" ? "domain" : "shop"} = $1)::int as ${table}`,
    ).join(", ")}`,
  );
  return {
    shop: options.shop,
    seedMs: Math.round(performance.now() - started),
    rows: counts_.rows[0] as Record<SeededTable, number>,
  };
}

/**
 * Runs `fn` with one connection of the database, set up for seeding: the seeder's statements
 * write hundreds of thousands of rows each, so the pool's 15 s query timeout gives way to an hour, and
 * PostgreSQL's JIT stays off (their row estimates would make it spend seconds compiling each
 * one). The setting is this session's alone: whatever runs after it is planned as in production.
 */
export async function withSeedSession<T>(
  database: Database,
  fn: (executeSql: ExecuteSql) => Promise<T>,
): Promise<T> {
  if (database.kind === "pglite") return fn(database.executeSql);
  const client = await database.client.connect();
  try {
    await client.query("set jit = off");
    return await fn((text, values) =>
      client.query({ text, values: values as unknown[], query_timeout: 3_600_000 } as never),
    );
  } finally {
    await client.query("reset jit").catch(() => undefined);
    client.release();
  }
}

/** Refreshes the planner's statistics for every table the seeder wrote (no autovacuum here). */
export async function analyzeSeededTables(executeSql: ExecuteSql): Promise<void> {
  await executeSql(`analyze ${SEEDED_TABLES.join(", ")}`);
}
