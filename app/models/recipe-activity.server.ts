import type { DeliveryStatus as DeliveryRowStatus } from "../../db/schema/index";
import {
  and,
  desc,
  eq,
  gt,
  gte,
  inArray,
  lt,
  ne,
  or,
  sql,
  type AnyColumn,
  type SQL,
} from "drizzle-orm";
import {
  customers,
  deadLetters,
  deliveries,
  deliveryAttempts,
  orders,
  recipeRuns,
  recipeSettings,
  type RunOutcome,
} from "../../db/schema/index";
import type { Db } from "../db.server";
import type { AnyRecipe, SignalSqlTag } from "../recipes/engine/define-recipe";
import { shopMoney, signalText } from "../recipes/recipe-text";
import type { Locale } from "../i18n/locale";
import { shopDays, type ShopTime } from "../utils/shop-time";
import { isShopifyId, type ShopifyId } from "../utils/shopify-id";
import { SKIPPED_COUNT_CAP } from "./activity-lines";

/**
 * Recipe runs and their deliveries for the Activity and Home screens. Nothing here returns an
 * action's payload (customer data); runs carry ids and summaries only.
 */

export interface RunFilters {
  recipe?: string;
  outcome?: RunOutcome;
  /** A customer id, or an email (looked up in the read model). */
  customer?: string;
  /** An order name (#1042), number (1042) or id. */
  order?: string;
  before?: number;
  limit?: number;
  /** Leave out skipped runs (unless `outcome` asks for them) and count them instead. */
  hideSkipped?: boolean;
}

async function customerIds(db: Db, shop: string, query: string): Promise<ShopifyId[]> {
  const text = query.trim();
  if (isShopifyId(text)) return [text];
  const rows = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.shop, shop), sql`lower(${customers.email}) = ${text.toLowerCase()}`));
  return rows.map((r) => r.id);
}

async function orderIds(db: Db, shop: string, query: string): Promise<ShopifyId[]> {
  const text = query.trim();
  const name = text.startsWith("#") ? text : `#${text}`;
  const conditions = [eq(orders.name, name)];
  if (/^\d{6,}$/.test(text) && isShopifyId(text)) conditions.push(eq(orders.id, text));
  const rows = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.shop, shop), or(...conditions)));
  return rows.map((r) => r.id);
}

/**
 * The names a merchant knows a run's things by, read with the run (one query, scoped by shop):
 * the order's name (#1042), the customer's name and email (null when Shopify withholds them),
 * the support ticket a run is about (a ticket event's, else the customer's newest ticket as of
 * the run), and the product a post-purchase offer was for.
 */
const runNames = {
  orderName: orders.name,
  currency: orders.currency,
  firstName: customers.firstName,
  lastName: customers.lastName,
  email: sql<string | null>`coalesce(${customers.email}, ${orders.email})`,
  ticketNumber: sql<string | null>`coalesce(
    substring(${recipeRuns.eventKey} from '^ticket/([0-9]+)/'),
    (select t.ticket_id::text from gorgias_tickets t
      where t.shop = ${recipeRuns.shop}
        and t.customer_email = lower(coalesce(${customers.email}, ${orders.email}))
      order by (t.received_at <= ${recipeRuns.createdAt}) desc, (t.status = 'open') desc, t.ticket_id desc
      limit 1))`,
  // The offer's variant is named in its action's summary ("Offer variant 123 at 10% off after #1042").
  offerProduct: sql<
    string | null
  >`(select concat_ws(' – ', pf.title, nullif(v.title, 'Default Title'))
      from jsonb_array_elements(${recipeRuns.actions}) a
      join variants v on v.shop = ${recipeRuns.shop}
        and v.id = substring(a->>'summary' from '^Offer variant ([0-9]+) ')::bigint
      left join product_facts pf on pf.shop = v.shop and pf.product_id = v.product_id
      where a->>'kind' = 'offer'
      limit 1)`,
  // The low-stock recipe labels its runs "Inventory item 123": the variant that item stocks.
  stockProduct: sql<
    string | null
  >`(select concat_ws(' – ', pf.title, nullif(v.title, 'Default Title'))
      from variants v
      left join product_facts pf on pf.shop = v.shop and pf.product_id = v.product_id
      where v.shop = ${recipeRuns.shop}
        and v.inventory_item_id = substring(${recipeRuns.subject} from '^Inventory item ([0-9]+)$')::bigint
      limit 1)`,
};

export async function listRuns(db: Db, shop: string, filters: RunFilters = {}) {
  const conditions: SQL[] = [eq(recipeRuns.shop, shop)];
  if (filters.recipe) conditions.push(eq(recipeRuns.recipeId, filters.recipe));
  if (filters.outcome) conditions.push(eq(recipeRuns.outcome, filters.outcome));
  if (filters.before) conditions.push(lt(recipeRuns.id, filters.before));
  const none = { runs: [], hasMore: false, skippedHidden: 0 };
  if (filters.customer) {
    const ids = await customerIds(db, shop, filters.customer);
    if (ids.length === 0) return none;
    conditions.push(inArray(recipeRuns.customerId, ids));
  }
  if (filters.order) {
    const ids = await orderIds(db, shop, filters.order);
    if (ids.length === 0) return none;
    conditions.push(inArray(recipeRuns.orderId, ids));
  }
  const hideSkipped = Boolean(filters.hideSkipped && !filters.outcome);
  const limit = filters.limit ?? 50;
  const rows = await db
    .select({ run: recipeRuns, ...runNames })
    .from(recipeRuns)
    .leftJoin(orders, and(eq(orders.shop, recipeRuns.shop), eq(orders.id, recipeRuns.orderId)))
    .leftJoin(
      customers,
      and(
        eq(customers.shop, recipeRuns.shop),
        eq(customers.id, sql`coalesce(${recipeRuns.customerId}, ${orders.customerId})`),
      ),
    )
    .where(and(...conditions, hideSkipped ? ne(recipeRuns.outcome, "skipped") : undefined))
    .orderBy(desc(recipeRuns.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  // The skipped runs among those shown (newer than the last one, when there are older pages),
  // counted up to a cap: a page is read every few seconds while Activity is open.
  const oldest = page[page.length - 1]?.run.id;
  const skipped = hideSkipped
    ? ((await db.execute(sql`select count(*)::int as n from (
        select 1 from ${recipeRuns}
        where ${and(
          ...conditions,
          eq(recipeRuns.outcome, "skipped"),
          hasMore && oldest ? gt(recipeRuns.id, oldest) : undefined,
        )}
        limit ${SKIPPED_COUNT_CAP}) s`)) as unknown as { rows: { n: number }[] })
    : { rows: [{ n: 0 }] };
  const keys = page.flatMap(({ run }) =>
    run.actions.map((a) => a.key).filter((k): k is string => Boolean(k)),
  );
  const byKey = new Map(
    (await deliveriesWithAttempts(db, shop, { keys })).map((d) => [d.idempotencyKey, d]),
  );
  return {
    hasMore,
    skippedHidden: Number(skipped.rows[0]?.n ?? 0),
    runs: page.map(({ run, ...names }) => ({
      ...run,
      names,
      actions: run.actions.map((action) => ({
        ...action,
        delivery: action.key ? (byKey.get(action.key) ?? null) : null,
      })),
    })),
  };
}

export type DeliveryStatus = DeliveryRowStatus;

/** Deliveries with every HTTP attempt and the vendor's answer (no payloads). */
export async function deliveriesWithAttempts(
  db: Db,
  shop: string,
  filters: { keys?: string[]; status?: DeliveryStatus; recipe?: string; limit?: number } = {},
) {
  if (filters.keys && filters.keys.length === 0) return [];
  const rows = await db
    .select({
      id: deliveries.id,
      vendor: sql<string>`${deliveries.vendor}`,
      operation: deliveries.operation,
      idempotencyKey: deliveries.idempotencyKey,
      recipe: deliveries.recipe,
      source: deliveries.source,
      status: deliveries.status,
      vendorId: deliveries.vendorId,
      response: deliveries.response,
      lastError: deliveries.lastError,
      attempts: deliveries.attempts,
      createdAt: deliveries.createdAt,
      completedAt: deliveries.completedAt,
      // What a merchant reads about it, from the request (not the whole payload: customer data).
      list: sql<string | null>`${deliveries.payload} ->> 'list'`,
      metric: sql<string | null>`${deliveries.payload} ->> 'metric'`,
      tags: sql<string[] | null>`${deliveries.payload} -> 'tags'`,
      resource: sql<string | null>`${deliveries.payload} ->> 'resource'`,
      customerName: sql<string | null>`coalesce(
        nullif(concat_ws(' ', ${deliveries.payload} #>> '{profile,firstName}', ${deliveries.payload} #>> '{profile,lastName}'), ''),
        ${deliveries.payload} #>> '{customer,name}')`,
      /** The failed job's Retry (its dead letter, while not retried yet). */
      deadLetterId: sql<number | null>`(select dl.id from ${deadLetters} dl
        where dl.shop = ${deliveries.shop} and dl.job_key = ${deliveries.idempotencyKey}
          and dl.replayed_at is null order by dl.id desc limit 1)`,
    })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.shop, shop),
        filters.keys ? inArray(deliveries.idempotencyKey, filters.keys) : undefined,
        filters.status ? eq(deliveries.status, filters.status) : undefined,
        filters.recipe ? eq(deliveries.recipe, filters.recipe) : undefined,
      ),
    )
    .orderBy(desc(deliveries.id))
    .limit(filters.keys ? filters.keys.length : (filters.limit ?? 50));
  const calls = rows.length
    ? await db
        .select({
          deliveryId: deliveryAttempts.deliveryId,
          operation: deliveryAttempts.operation,
          httpStatus: deliveryAttempts.httpStatus,
          latencyMs: deliveryAttempts.latencyMs,
          error: deliveryAttempts.error,
          attempt: deliveryAttempts.attempt,
          at: deliveryAttempts.at,
        })
        .from(deliveryAttempts)
        .where(
          and(
            eq(deliveryAttempts.shop, shop),
            inArray(
              deliveryAttempts.deliveryId,
              rows.map((r) => r.id),
            ),
          ),
        )
        .orderBy(deliveryAttempts.id)
    : [];
  return rows.map((row) => ({ ...row, calls: calls.filter((c) => c.deliveryId === row.id) }));
}

const PASSED = `('requested', 'decided', 'already-requested')`;

export interface HomeStats {
  enabled: string[];
  last24h: { runs: number; actions: number; failures: number; blocked: number };
  /** Oldest first; `day` is the shop's local date (YYYY-MM-DD). */
  perDay: { day: string; actions: number; failures: number }[];
}

/**
 * Which of `bounds`' days (instants bounding consecutive days, oldest first) `column` falls in:
 * 1 for the first day, … (width_bucket over the instants, so the shop's 23- and 25-hour days are
 * bucketed as its calendar has them, and no zone name has to be known to the database).
 */
const dayBucket = (column: AnyColumn, bounds: Date[]) =>
  sql<number>`width_bucket(${column}, array[${sql.join(
    bounds.map((b) => sql`${b.toISOString()}::timestamptz`),
    sql`, `,
  )}])`;

/** Enabled recipes, the last 24 hours, and actions per day over the shop's last `days` days. */
export async function homeStats(
  db: Db,
  shop: string,
  now: Date,
  time: ShopTime,
  days = 14,
): Promise<HomeStats> {
  const since = new Date(now.getTime() - 86_400_000);
  const { dates, bounds } = shopDays(time, now, days);
  const first = bounds[0]!;
  const end = bounds[days]!;
  const [enabledRows, [runs], [dead], daily, deadDaily] = await Promise.all([
    db
      .select({ recipeId: recipeSettings.recipeId })
      .from(recipeSettings)
      .where(and(eq(recipeSettings.shop, shop), eq(recipeSettings.enabled, true))),
    db
      .select({
        runs: sql<number>`count(*)::int`,
        failed: sql<number>`count(*) filter (where ${recipeRuns.outcome} = 'failed')::int`,
        blocked: sql<number>`count(*) filter (where ${recipeRuns.outcome} = 'blocked')::int`,
        actions: sql<number>`coalesce(sum((select count(*) from jsonb_array_elements(${recipeRuns.actions}) a where a->>'status' in ${sql.raw(PASSED)})), 0)::int`,
      })
      .from(recipeRuns)
      .where(and(eq(recipeRuns.shop, shop), gte(recipeRuns.createdAt, since))),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.shop, shop),
          eq(deliveries.status, "dead"),
          gte(deliveries.updatedAt, since),
        ),
      ),
    db
      .select({
        bucket: dayBucket(recipeRuns.createdAt, bounds),
        actions: sql<number>`coalesce(sum((select count(*) from jsonb_array_elements(${recipeRuns.actions}) a where a->>'status' in ${sql.raw(PASSED)})), 0)::int`,
      })
      .from(recipeRuns)
      .where(
        and(
          eq(recipeRuns.shop, shop),
          gte(recipeRuns.createdAt, first),
          lt(recipeRuns.createdAt, end),
        ),
      )
      .groupBy(sql`1`),
    db
      .select({
        bucket: dayBucket(deliveries.updatedAt, bounds),
        n: sql<number>`count(*)::int`,
      })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.shop, shop),
          eq(deliveries.status, "dead"),
          gte(deliveries.updatedAt, first),
          lt(deliveries.updatedAt, end),
        ),
      )
      .groupBy(sql`1`),
  ]);
  const actionsByDay = new Map(daily.map((d) => [Number(d.bucket), Number(d.actions)]));
  const deadByDay = new Map(deadDaily.map((d) => [Number(d.bucket), Number(d.n)]));
  const perDay = dates.map((day, i) => ({
    day,
    actions: actionsByDay.get(i + 1) ?? 0,
    failures: deadByDay.get(i + 1) ?? 0,
  }));
  return {
    enabled: enabledRows.map((r) => r.recipeId),
    last24h: {
      runs: Number(runs?.runs ?? 0),
      actions: Number(runs?.actions ?? 0),
      failures: Number(runs?.failed ?? 0) + Number(dead?.n ?? 0),
      blocked: Number(runs?.blocked ?? 0),
    },
    perDay,
  };
}

/**
 * What the shop's own data says each recipe would have to do, for "what to switch on next": a
 * count and a sentence per recipe id. Each recipe writes its own count (`signal` in its
 * definition); they are read together, as the columns of one query.
 */
export async function recipeSignals(
  db: Db,
  shop: string,
  now: Date,
  recipes: readonly AnyRecipe[],
  locale: Locale = "en",
): Promise<Record<string, { count: number; text: string }>> {
  const signals = recipes.flatMap((recipe) =>
    recipe.signal ? [{ id: recipe.id, signal: recipe.signal }] : [],
  );
  if (signals.length === 0) return {};
  const scope = {
    shop,
    daysAgo: (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString(),
  };
  // The engine stays free of the query builder: a recipe sees drizzle's tag as an opaque one.
  const tag = sql as unknown as SignalSqlTag;
  const columns = signals.map(
    ({ signal }, i) =>
      sql`(${signal.count(tag, scope) as unknown as SQL})::int as ${sql.identifier(`signal_${i}`)}`,
  );
  // The shop's currency in the same round trip: a signal over an amount says it with it.
  const { rows } = (await db.execute<Record<string, number | string | null>>(
    sql`select ${sql.join(columns, sql`, `)}, (select currency from shops where domain = ${shop}) as currency`,
  )) as unknown as { rows: Record<string, number | string | null>[] };
  const row = rows[0] ?? {};
  const money = shopMoney(row.currency as string | null, locale);
  return Object.fromEntries(
    signals.map(({ id, signal }, i) => {
      const count = Number(row[`signal_${i}`] ?? 0);
      return [id, { count, text: signalText(signal, count, locale, money) }];
    }),
  );
}
