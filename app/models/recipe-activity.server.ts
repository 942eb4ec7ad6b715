import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { customers, deliveries, deliveryAttempts, orders, recipeRuns, recipeSettings, type RunOutcome } from "../../db/schema/index";
import type { Db } from "../db.server";

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
}

async function customerIds(db: Db, shop: string, query: string): Promise<number[]> {
  const text = query.trim();
  if (/^\d+$/.test(text)) return [Number(text)];
  const rows = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.shop, shop), sql`lower(${customers.email}) = ${text.toLowerCase()}`));
  return rows.map((r) => r.id);
}

async function orderIds(db: Db, shop: string, query: string): Promise<number[]> {
  const text = query.trim();
  const name = text.startsWith("#") ? text : `#${text}`;
  const conditions = [eq(orders.name, name)];
  if (/^\d{6,}$/.test(text)) conditions.push(eq(orders.id, Number(text)));
  const rows = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.shop, shop), or(...conditions)));
  return rows.map((r) => r.id);
}

export async function listRuns(db: Db, shop: string, filters: RunFilters = {}) {
  const conditions: SQL[] = [eq(recipeRuns.shop, shop)];
  if (filters.recipe) conditions.push(eq(recipeRuns.recipeId, filters.recipe));
  if (filters.outcome) conditions.push(eq(recipeRuns.outcome, filters.outcome));
  if (filters.before) conditions.push(lt(recipeRuns.id, filters.before));
  if (filters.customer) {
    const ids = await customerIds(db, shop, filters.customer);
    if (ids.length === 0) return { runs: [], hasMore: false };
    conditions.push(inArray(recipeRuns.customerId, ids));
  }
  if (filters.order) {
    const ids = await orderIds(db, shop, filters.order);
    if (ids.length === 0) return { runs: [], hasMore: false };
    conditions.push(inArray(recipeRuns.orderId, ids));
  }
  const limit = filters.limit ?? 50;
  const rows = await db
    .select()
    .from(recipeRuns)
    .where(and(...conditions))
    .orderBy(desc(recipeRuns.id))
    .limit(limit + 1);
  const runs = rows.slice(0, limit);
  const keys = runs.flatMap((r) => r.actions.map((a) => a.key).filter((k): k is string => Boolean(k)));
  const byKey = new Map((await deliveriesWithAttempts(db, shop, { keys })).map((d) => [d.idempotencyKey, d]));
  return {
    hasMore: rows.length > limit,
    runs: runs.map((run) => ({
      ...run,
      actions: run.actions.map((action) => ({ ...action, delivery: action.key ? (byKey.get(action.key) ?? null) : null })),
    })),
  };
}

export type DeliveryStatus = "queued" | "succeeded" | "dead";

/** Deliveries with every HTTP attempt and the vendor's answer (no payloads). */
export async function deliveriesWithAttempts(db: Db, shop: string, filters: { keys?: string[]; status?: DeliveryStatus; recipe?: string; limit?: number } = {}) {
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
        .where(and(eq(deliveryAttempts.shop, shop), inArray(deliveryAttempts.deliveryId, rows.map((r) => r.id))))
        .orderBy(deliveryAttempts.id)
    : [];
  return rows.map((row) => ({ ...row, calls: calls.filter((c) => c.deliveryId === row.id) }));
}

const PASSED = `('requested', 'decided', 'already-requested')`;

export interface HomeStats {
  enabled: string[];
  last24h: { runs: number; actions: number; failures: number; blocked: number };
  perDay: { day: string; actions: number; failures: number }[];
}

/** Enabled recipes, the last 24 hours, and actions per day over `days` days (UTC). */
export async function homeStats(db: Db, shop: string, now: Date, days = 14): Promise<HomeStats> {
  const since = new Date(now.getTime() - 86_400_000);
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  const [enabledRows, [runs], [dead], daily, deadDaily] = await Promise.all([
    db.select({ recipeId: recipeSettings.recipeId }).from(recipeSettings).where(and(eq(recipeSettings.shop, shop), eq(recipeSettings.enabled, true))),
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
      .where(and(eq(deliveries.shop, shop), eq(deliveries.status, "dead"), gte(deliveries.updatedAt, since))),
    db
      .select({
        day: sql<string>`to_char(${recipeRuns.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`,
        actions: sql<number>`coalesce(sum((select count(*) from jsonb_array_elements(${recipeRuns.actions}) a where a->>'status' in ${sql.raw(PASSED)})), 0)::int`,
      })
      .from(recipeRuns)
      .where(and(eq(recipeRuns.shop, shop), gte(recipeRuns.createdAt, first)))
      .groupBy(sql`1`),
    db
      .select({ day: sql<string>`to_char(${deliveries.updatedAt} at time zone 'UTC', 'YYYY-MM-DD')`, n: sql<number>`count(*)::int` })
      .from(deliveries)
      .where(and(eq(deliveries.shop, shop), eq(deliveries.status, "dead"), gte(deliveries.updatedAt, first)))
      .groupBy(sql`1`),
  ]);
  const actionsByDay = new Map(daily.map((d) => [d.day, Number(d.actions)]));
  const deadByDay = new Map(deadDaily.map((d) => [d.day, Number(d.n)]));
  const perDay = Array.from({ length: days }, (_, i) => {
    const day = new Date(first.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    return { day, actions: actionsByDay.get(day) ?? 0, failures: deadByDay.get(day) ?? 0 };
  });
  return {
    enabled: enabledRows.map((r) => r.recipeId),
    last24h: { runs: Number(runs?.runs ?? 0), actions: Number(runs?.actions ?? 0), failures: Number(runs?.failed ?? 0) + Number(dead?.n ?? 0), blocked: Number(runs?.blocked ?? 0) },
    perDay,
  };
}

/**
 * What the shop's own data says each recipe would have to do (last 30 days), for "what to
 * switch on next": a count and a sentence per recipe id.
 */
export async function recipeSignals(db: Db, shop: string, now: Date): Promise<Record<string, { count: number; text: string }>> {
  const since = new Date(now.getTime() - 30 * 86_400_000).toISOString();
  const lapsed = new Date(now.getTime() - 60 * 86_400_000).toISOString();
  const { rows } = await db.execute<Record<string, number>>(sql`
    select
      (select count(*) from orders where shop = ${shop} and created_at >= ${since})::int as orders,
      (select count(*) from orders where shop = ${shop} and created_at >= ${since} and total_price >= 500)::int as big_orders,
      (select count(distinct fulfillment_id) from fulfillment_events where shop = ${shop} and happened_at >= ${since} and status in ('delayed', 'failure', 'attempted_delivery'))::int as late,
      (select count(*) from fulfillments where shop = ${shop} and delivered_at >= ${since})::int as delivered,
      (select count(*) from customers where shop = ${shop} and last_order_at < ${lapsed})::int as lapsed,
      (select count(*) from customers where shop = ${shop} and (lifetime_spend >= 1000 or order_count >= 5))::int as vips,
      (select count(*) from gorgias_tickets where shop = ${shop} and status = 'open')::int as open_tickets,
      (select count(*) from (select inventory_item_id from inventory_levels where shop = ${shop} group by inventory_item_id having sum(available) < 5) low)::int as low_stock
  `) as unknown as { rows: Record<string, number>[] };
  const r = rows[0] ?? {};
  const n = (key: string) => Number(r[key] ?? 0);
  const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  return {
    "shipping-delay-outreach": { count: n("late"), text: `${plural(n("late"), "parcel was", "parcels were")} late or failed in the last 30 days.` },
    "post-purchase-upsell": { count: n("orders"), text: `${plural(n("orders"), "order", "orders")} in the last 30 days could each have shown an offer.` },
    "vip-tier-sync": { count: n("vips"), text: `${plural(n("vips"), "customer already qualifies", "customers already qualify")} as VIP.` },
    "win-back-segments": { count: n("lapsed"), text: `${plural(n("lapsed"), "customer has", "customers have")} not ordered in 60+ days.` },
    "open-ticket-suppression": { count: n("open_tickets"), text: `${plural(n("open_tickets"), "customer has", "customers have")} an open Gorgias ticket right now.` },
    "low-stock-promo-pause": { count: n("low_stock"), text: `${plural(n("low_stock"), "item is", "items are")} below 5 units.` },
    "high-value-white-glove": { count: n("big_orders"), text: `${plural(n("big_orders"), "order", "orders")} of 500 or more in the last 30 days.` },
    "review-request-timing": { count: n("delivered"), text: `${plural(n("delivered"), "parcel was", "parcels were")} delivered in the last 30 days.` },
    "replenishment-reminder": { count: n("delivered"), text: `${plural(n("delivered"), "delivery", "deliveries")} in the last 30 days could start a reminder.` },
  };
}
