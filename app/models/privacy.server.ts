import { and, eq, inArray, notInArray, or, sql } from "drizzle-orm";
import {
  checkouts,
  customers,
  deadLetters,
  deliveries,
  deliveryAttempts,
  fulfillmentEvents,
  gorgiasTickets,
  gorgiasTicketImports,
  integrations,
  klaviyoListMembers,
  klaviyoLists,
  rateLimitBuckets,
  fulfillments,
  gapReports,
  inventoryLevels,
  shopDailyBuyers,
  shopDailyDirty,
  shopDailyFacts,
  shopDailyReviewAsks,
  shopDailyShipTimes,
  shopDailyVariantUnits,
  orderRefunds,
  orders,
  privacyExports,
  sessions,
  shops,
  variants,
  webhookEvents,
  changesetSignatures,
  upsellHoldouts,
  upsellOffers,
  privacyRedactions,
  type RedactionVendorRecord,
} from "../../db/schema/index";
import type { DeliveryKind } from "../integrations/delivery/actions";
import type { Db } from "../db.server";
import type { ShopifyId } from "../utils/shopify-id";
import { RECIPE_TABLES, recipeDataOf, redactRecipeData } from "./recipe-privacy.server";

/**
 * GDPR/CCPA handling for Shopify's mandatory compliance topics. Each function is idempotent
 * (running it twice leaves the same state) and returns counts only, so callers log no PII.
 * A table added later that holds customer data must be added to these functions and to the
 * redact test's expectations.
 */

export interface CustomerIdentity {
  id: ShopifyId;
  email?: string | null;
  phone?: string | null;
}

/** The customer's checkouts: theirs by id, or left with their email. */
function checkoutsOf(shop: string, customer: CustomerIdentity) {
  return and(
    eq(checkouts.shop, shop),
    or(
      eq(checkouts.customerId, customer.id),
      customer.email ? sql`lower(${checkouts.email}) = lower(${customer.email})` : undefined,
    ),
  );
}

async function customerOrderIds(
  db: Db,
  shop: string,
  customer: CustomerIdentity,
  extraOrderIds: ShopifyId[],
) {
  const rows = await db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.shop, shop),
        or(
          eq(orders.customerId, customer.id),
          customer.email ? eq(orders.email, customer.email) : undefined,
        ),
      ),
    );
  return [...new Set([...rows.map((r) => r.id), ...extraOrderIds])];
}

/** Events whose payload or raw body mention this customer (by id, email or phone) or their orders. */
function eventsMentioning(shop: string, customer: CustomerIdentity, orderIds: ShopifyId[]) {
  const needles = [customer.email, customer.phone].filter((v): v is string => Boolean(v));
  const conditions = [
    sql`${webhookEvents.payload} -> 'customer' ->> 'id' = ${String(customer.id)}`,
    sql`${webhookEvents.payload} ->> 'id' = ${String(customer.id)} and ${webhookEvents.topic} like 'customers/%'`,
    ...needles.map(
      (needle) =>
        sql`strpos(coalesce(${webhookEvents.payload}::text, ${webhookEvents.rawBody}, ''), ${needle}) > 0`,
    ),
  ];
  if (orderIds.length) {
    const ids = sql.join(
      orderIds.map((id) => sql`${String(id)}`),
      sql`, `,
    );
    conditions.push(
      sql`(${webhookEvents.topic} like 'orders/%' and ${webhookEvents.payload} ->> 'id' in (${ids}))`,
    );
    conditions.push(sql`${webhookEvents.payload} ->> 'order_id' in (${ids})`);
  }
  return and(eq(webhookEvents.shop, shop), or(...conditions));
}

/**
 * Deliveries that erase a person at a vendor (requested by customers/redact). They name the
 * person until the vendor accepts, and a later redaction must not delete them before they run.
 */
const ERASURE_OPERATIONS = [
  "klaviyo-profile-deletion",
  "gorgias-customer-deletion",
] as const satisfies readonly DeliveryKind[];

/** Deliveries (actions sent to Klaviyo/Gorgias) whose payload, answer or error mention the customer. */
function deliveriesMentioning(shop: string, needles: string[]) {
  return and(
    eq(deliveries.shop, shop),
    notInArray(deliveries.operation, [...ERASURE_OPERATIONS]),
    or(
      ...needles.map(
        (needle) =>
          sql`strpos(lower(${deliveries.payload}::text || coalesce(${deliveries.response}::text, '') || coalesce(${deliveries.lastError}, '')), lower(${needle})) > 0`,
      ),
    ),
  );
}

/** What the Klaviyo and Gorgias integrations hold on a customer. */
async function integrationData(db: Db, shop: string, customer: CustomerIdentity) {
  const needles = [customer.email, customer.phone].filter((v): v is string => Boolean(v));
  const email = customer.email?.trim().toLowerCase();
  const connected = await db
    .select({ vendor: integrations.vendor })
    .from(integrations)
    .where(eq(integrations.shop, shop));
  return {
    /** Which vendors were connected when the export was made (none: nothing was sent there). */
    connected: {
      klaviyo: connected.some((c) => c.vendor === "klaviyo"),
      gorgias: connected.some((c) => c.vendor === "gorgias"),
    },
    deliveries: needles.length
      ? await db.select().from(deliveries).where(deliveriesMentioning(shop, needles))
      : [],
    gorgiasTickets: email
      ? await db
          .select()
          .from(gorgiasTickets)
          .where(and(eq(gorgiasTickets.shop, shop), eq(gorgiasTickets.customerEmail, email)))
      : [],
    klaviyoListMemberships: email
      ? await db
          .select({
            listId: klaviyoListMembers.listId,
            profileId: klaviyoListMembers.profileId,
            syncedAt: klaviyoListMembers.syncedAt,
          })
          .from(klaviyoListMembers)
          .where(and(eq(klaviyoListMembers.shop, shop), eq(klaviyoListMembers.email, email)))
      : [],
  };
}

export async function exportCustomerData(
  db: Db,
  shop: string,
  customer: CustomerIdentity,
  ordersRequested: ShopifyId[],
  meta: { generatedAt: Date; webhookId: string; dataRequestId: ShopifyId | null },
) {
  const orderIds = await customerOrderIds(db, shop, customer, ordersRequested);
  const [profile] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.shop, shop), eq(customers.id, customer.id)));
  const orderRows = orderIds.length
    ? await db
        .select()
        .from(orders)
        .where(and(eq(orders.shop, shop), inArray(orders.id, orderIds)))
    : [];
  const fulfillmentRows = orderIds.length
    ? await db
        .select()
        .from(fulfillments)
        .where(and(eq(fulfillments.shop, shop), inArray(fulfillments.orderId, orderIds)))
    : [];
  const eventRows = orderIds.length
    ? await db
        .select()
        .from(fulfillmentEvents)
        .where(and(eq(fulfillmentEvents.shop, shop), inArray(fulfillmentEvents.orderId, orderIds)))
    : [];
  const webhooks = await db
    .select({
      topic: webhookEvents.topic,
      webhookId: webhookEvents.webhookId,
      receivedAt: webhookEvents.receivedAt,
      payload: webhookEvents.payload,
    })
    .from(webhookEvents)
    .where(eventsMentioning(shop, customer, orderIds));
  const data = {
    generatedAt: meta.generatedAt.toISOString(),
    customer: profile ?? null,
    orders: orderRows,
    fulfillments: fulfillmentRows,
    fulfillmentEvents: eventRows,
    checkouts: await db.select().from(checkouts).where(checkoutsOf(shop, customer)),
    webhooks: webhooks.filter((w) => w.topic !== "customers/data_request"),
    integrations: await integrationData(db, shop, customer),
    upsellOffers: await db
      .select()
      .from(upsellOffers)
      .where(and(eq(upsellOffers.shop, shop), eq(upsellOffers.customerId, customer.id))),
    upsellHoldouts: await db
      .select()
      .from(upsellHoldouts)
      .where(and(eq(upsellHoldouts.shop, shop), eq(upsellHoldouts.customerId, customer.id))),
    recipes: await recipeDataOf(db, shop, customer, orderIds),
  };
  await db
    .insert(privacyExports)
    .values({
      shop,
      customerId: customer.id,
      dataRequestId: meta.dataRequestId,
      webhookId: meta.webhookId,
      data,
    })
    .onConflictDoNothing();
  return { orders: orderRows.length, webhooks: data.webhooks.length };
}

export async function redactCustomer(
  db: Db,
  shop: string,
  customer: CustomerIdentity,
  ordersToRedact: ShopifyId[],
) {
  const orderIds = await customerOrderIds(db, shop, customer, ordersToRedact);
  const scrubbed = await db
    .update(webhookEvents)
    .set({ payload: { redacted: true }, rawBody: null })
    .where(eventsMentioning(shop, customer, orderIds))
    .returning({ id: webhookEvents.id });
  let ordersRemoved = 0;
  if (orderIds.length) {
    await db
      .delete(fulfillmentEvents)
      .where(and(eq(fulfillmentEvents.shop, shop), inArray(fulfillmentEvents.orderId, orderIds)));
    await db
      .delete(fulfillments)
      .where(and(eq(fulfillments.shop, shop), inArray(fulfillments.orderId, orderIds)));
    await db
      .delete(orderRefunds)
      .where(and(eq(orderRefunds.shop, shop), inArray(orderRefunds.orderId, orderIds)));
    ordersRemoved = (
      await db
        .delete(orders)
        .where(and(eq(orders.shop, shop), inArray(orders.id, orderIds)))
        .returning({ id: orders.id })
    ).length;
  }
  await db.delete(checkouts).where(checkoutsOf(shop, customer));
  const customersRemoved = (
    await db
      .delete(customers)
      .where(and(eq(customers.shop, shop), eq(customers.id, customer.id)))
      .returning({ id: customers.id })
  ).length;
  await db
    .delete(privacyExports)
    .where(and(eq(privacyExports.shop, shop), eq(privacyExports.customerId, customer.id)));
  const needles = [customer.email, customer.phone].filter((v): v is string => Boolean(v));
  for (const needle of needles) {
    await db
      .delete(deadLetters)
      .where(
        and(
          eq(deadLetters.shop, shop),
          sql`strpos(${deadLetters.payload}::text || ${deadLetters.error}, ${needle}) > 0`,
        ),
      );
    // A vendor's error text can quote the email ("Invalid email address: '…'").
    await db
      .delete(deliveryAttempts)
      .where(
        and(
          eq(deliveryAttempts.shop, shop),
          sql`strpos(lower(coalesce(${deliveryAttempts.error}, '')), lower(${needle})) > 0`,
        ),
      );
  }
  // Their deliveries (attempts go with them); a job still queued for one then finds nothing to do.
  const deliveriesRemoved = needles.length
    ? (
        await db
          .delete(deliveries)
          .where(deliveriesMentioning(shop, needles))
          .returning({ id: deliveries.id })
      ).length
    : 0;
  const email = customer.email?.trim().toLowerCase();
  if (email) {
    await db
      .delete(gorgiasTickets)
      .where(and(eq(gorgiasTickets.shop, shop), eq(gorgiasTickets.customerEmail, email)));
    await db
      .delete(klaviyoListMembers)
      .where(and(eq(klaviyoListMembers.shop, shop), eq(klaviyoListMembers.email, email)));
  }
  // Post-purchase offers shown to them (their changeset signatures go with them).
  await db
    .delete(upsellOffers)
    .where(and(eq(upsellOffers.shop, shop), eq(upsellOffers.customerId, customer.id)));
  await db
    .delete(upsellHoldouts)
    .where(and(eq(upsellHoldouts.shop, shop), eq(upsellHoldouts.customerId, customer.id)));
  await redactRecipeData(db, shop, customer, orderIds);
  return { customersRemoved, ordersRemoved, webhooksScrubbed: scrubbed.length, deliveriesRemoved };
}

/** What one customers/redact removed here and asked of each vendor (ids and counts only). */
export async function recordRedaction(
  db: Db,
  redaction: {
    shop: string;
    customerId: ShopifyId;
    webhookId: string;
    removed: Record<string, number>;
    vendors: RedactionVendorRecord[];
  },
) {
  await db.insert(privacyRedactions).values(redaction).onConflictDoNothing();
}

/** shop/redact: everything we hold for the shop, gone. */
export async function redactShop(db: Db, shop: string) {
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries({
    changesetSignatures,
    upsellOffers,
    upsellHoldouts,
    fulfillmentEvents,
    fulfillments,
    checkouts,
    orderRefunds,
    orders,
    customers,
    inventoryLevels,
    variants,
    privacyExports,
    privacyRedactions,
    deadLetters,
    webhookEvents,
    deliveryAttempts,
    deliveries,
    gorgiasTickets,
    gorgiasTicketImports,
    klaviyoListMembers,
    klaviyoLists,
    rateLimitBuckets,
    integrations,
    gapReports,
    // After orders and fulfillments: deleting them marks their days dirty.
    shopDailyFacts,
    shopDailyShipTimes,
    shopDailyBuyers,
    shopDailyVariantUnits,
    shopDailyReviewAsks,
    shopDailyDirty,
    ...RECIPE_TABLES,
  })) {
    const column = (table as typeof orders).shop;
    counts[name] = (
      await db
        .delete(table)
        .where(eq(column, shop))
        .returning({ one: sql<number>`1` })
    ).length;
  }
  counts.sessions = (
    await db.delete(sessions).where(eq(sessions.shop, shop)).returning({ id: sessions.id })
  ).length;
  counts.shops = (
    await db.delete(shops).where(eq(shops.domain, shop)).returning({ domain: shops.domain })
  ).length;
  return counts;
}
