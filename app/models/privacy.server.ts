import { and, eq, inArray, or, sql } from "drizzle-orm";
import {
  customers,
  deadLetters,
  fulfillmentEvents,
  fulfillments,
  inventoryLevels,
  orders,
  privacyExports,
  sessions,
  shops,
  variants,
  webhookEvents,
} from "../../db/schema/index";
import type { Db } from "../db.server";

/**
 * GDPR/CCPA handling for Shopify's mandatory compliance topics. Each function is idempotent
 * (running it twice leaves the same state) and returns counts only, so callers log no PII.
 * A table added later that holds customer data must be added to these functions and to the
 * redact test's expectations.
 */

export interface CustomerIdentity {
  id: number;
  email?: string | null;
  phone?: string | null;
}

async function customerOrderIds(db: Db, shop: string, customer: CustomerIdentity, extraOrderIds: number[]) {
  const rows = await db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.shop, shop),
        or(eq(orders.customerId, customer.id), customer.email ? eq(orders.email, customer.email) : undefined),
      ),
    );
  return [...new Set([...rows.map((r) => r.id), ...extraOrderIds])];
}

/** Events whose payload or raw body mention this customer (by id, email or phone) or their orders. */
function eventsMentioning(shop: string, customer: CustomerIdentity, orderIds: number[]) {
  const needles = [customer.email, customer.phone].filter((v): v is string => Boolean(v));
  const conditions = [
    sql`${webhookEvents.payload} -> 'customer' ->> 'id' = ${String(customer.id)}`,
    sql`${webhookEvents.payload} ->> 'id' = ${String(customer.id)} and ${webhookEvents.topic} like 'customers/%'`,
    ...needles.map((needle) => sql`strpos(coalesce(${webhookEvents.payload}::text, ${webhookEvents.rawBody}, ''), ${needle}) > 0`),
  ];
  if (orderIds.length) {
    const ids = sql.join(
      orderIds.map((id) => sql`${String(id)}`),
      sql`, `,
    );
    conditions.push(sql`(${webhookEvents.topic} like 'orders/%' and ${webhookEvents.payload} ->> 'id' in (${ids}))`);
    conditions.push(sql`${webhookEvents.payload} ->> 'order_id' in (${ids})`);
  }
  return and(eq(webhookEvents.shop, shop), or(...conditions));
}

export async function exportCustomerData(
  db: Db,
  shop: string,
  customer: CustomerIdentity,
  ordersRequested: number[],
  meta: { webhookId: string; dataRequestId: number | null },
) {
  const orderIds = await customerOrderIds(db, shop, customer, ordersRequested);
  const [profile] = await db.select().from(customers).where(and(eq(customers.shop, shop), eq(customers.id, customer.id)));
  const orderRows = orderIds.length
    ? await db.select().from(orders).where(and(eq(orders.shop, shop), inArray(orders.id, orderIds)))
    : [];
  const fulfillmentRows = orderIds.length
    ? await db.select().from(fulfillments).where(and(eq(fulfillments.shop, shop), inArray(fulfillments.orderId, orderIds)))
    : [];
  const eventRows = orderIds.length
    ? await db.select().from(fulfillmentEvents).where(and(eq(fulfillmentEvents.shop, shop), inArray(fulfillmentEvents.orderId, orderIds)))
    : [];
  const webhooks = await db
    .select({ topic: webhookEvents.topic, webhookId: webhookEvents.webhookId, receivedAt: webhookEvents.receivedAt, payload: webhookEvents.payload })
    .from(webhookEvents)
    .where(eventsMentioning(shop, customer, orderIds));
  const data = {
    generatedAt: new Date().toISOString(),
    customer: profile ?? null,
    orders: orderRows,
    fulfillments: fulfillmentRows,
    fulfillmentEvents: eventRows,
    webhooks: webhooks.filter((w) => w.topic !== "customers/data_request"),
  };
  await db
    .insert(privacyExports)
    .values({ shop, customerId: customer.id, dataRequestId: meta.dataRequestId, webhookId: meta.webhookId, data })
    .onConflictDoNothing();
  return { orders: orderRows.length, webhooks: data.webhooks.length };
}

export async function redactCustomer(db: Db, shop: string, customer: CustomerIdentity, ordersToRedact: number[]) {
  const orderIds = await customerOrderIds(db, shop, customer, ordersToRedact);
  const scrubbed = await db
    .update(webhookEvents)
    .set({ payload: { redacted: true }, rawBody: null })
    .where(eventsMentioning(shop, customer, orderIds))
    .returning({ id: webhookEvents.id });
  let ordersRemoved = 0;
  if (orderIds.length) {
    await db.delete(fulfillmentEvents).where(and(eq(fulfillmentEvents.shop, shop), inArray(fulfillmentEvents.orderId, orderIds)));
    await db.delete(fulfillments).where(and(eq(fulfillments.shop, shop), inArray(fulfillments.orderId, orderIds)));
    ordersRemoved = (await db.delete(orders).where(and(eq(orders.shop, shop), inArray(orders.id, orderIds))).returning({ id: orders.id })).length;
  }
  const customersRemoved = (
    await db.delete(customers).where(and(eq(customers.shop, shop), eq(customers.id, customer.id))).returning({ id: customers.id })
  ).length;
  await db.delete(privacyExports).where(and(eq(privacyExports.shop, shop), eq(privacyExports.customerId, customer.id)));
  const needles = [customer.email, customer.phone].filter((v): v is string => Boolean(v));
  for (const needle of needles) {
    await db.delete(deadLetters).where(and(eq(deadLetters.shop, shop), sql`strpos(${deadLetters.payload}::text || ${deadLetters.error}, ${needle}) > 0`));
  }
  return { customersRemoved, ordersRemoved, webhooksScrubbed: scrubbed.length };
}

/** shop/redact: everything we hold for the shop, gone. */
export async function redactShop(db: Db, shop: string) {
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries({
    fulfillmentEvents,
    fulfillments,
    orders,
    customers,
    inventoryLevels,
    variants,
    privacyExports,
    deadLetters,
    webhookEvents,
  })) {
    const column = (table as typeof orders).shop;
    counts[name] = (await db.delete(table).where(eq(column, shop)).returning({ one: sql<number>`1` })).length;
  }
  counts.sessions = (await db.delete(sessions).where(eq(sessions.shop, shop)).returning({ id: sessions.id })).length;
  counts.shops = (await db.delete(shops).where(eq(shops.domain, shop)).returning({ domain: shops.domain })).length;
  return counts;
}
