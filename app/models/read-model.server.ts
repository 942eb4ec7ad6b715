import { and, eq, getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { customers, fulfillmentEvents, fulfillments, inventoryLevels, orders, variants } from "../../db/schema/index";
import type { Db } from "../db.server";
import type {
  CustomerPayload,
  FulfillmentEventPayload,
  FulfillmentPayload,
  InventoryLevelPayload,
  OrderPayload,
} from "../webhooks/payloads";

/** `set` clause taking every listed column from the incoming row (`excluded`). */
function fromExcluded<T extends PgTable>(table: T, keys: (keyof T["_"]["columns"])[]): Record<string, SQL> {
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  return Object.fromEntries(keys.map((key) => [key, sql.raw(`excluded."${columns[key as string]!.name}"`)]));
}

/** Only overwrite a row with a delivery at least as new as what we hold. */
const newerThanStored = (column: { name: string }, table: string) =>
  sql.raw(`"${table}"."${column.name}" is null or "${table}"."${column.name}" <= excluded."${column.name}"`);

export async function upsertCustomerRef(db: Db, shop: string, customer: NonNullable<OrderPayload["customer"]>) {
  await db
    .insert(customers)
    .values({
      shop,
      id: customer.id,
      email: customer.email ?? null,
      firstName: customer.first_name ?? null,
      lastName: customer.last_name ?? null,
      phone: customer.phone ?? null,
      tags: customer.tags,
      sourceUpdatedAt: customer.updated_at ?? null,
    })
    .onConflictDoUpdate({
      target: [customers.shop, customers.id],
      set: fromExcluded(customers, ["email", "firstName", "lastName", "phone", "tags", "sourceUpdatedAt"]),
      setWhere: sql`excluded.source_updated_at is not null and (${newerThanStored(customers.sourceUpdatedAt, "customers")})`,
    });
}

export async function upsertCustomer(db: Db, shop: string, customer: CustomerPayload) {
  await db
    .insert(customers)
    .values({
      shop,
      id: customer.id,
      email: customer.email ?? null,
      firstName: customer.first_name ?? null,
      lastName: customer.last_name ?? null,
      phone: customer.phone ?? null,
      tags: customer.tags,
      emailMarketingState: customer.email_marketing_consent?.state ?? null,
      acceptsMarketing: customer.email_marketing_consent?.state === "subscribed" || customer.accepts_marketing === true,
      sourceUpdatedAt: customer.updated_at,
    })
    .onConflictDoUpdate({
      target: [customers.shop, customers.id],
      set: fromExcluded(customers, [
        "email",
        "firstName",
        "lastName",
        "phone",
        "tags",
        "emailMarketingState",
        "acceptsMarketing",
        "sourceUpdatedAt",
      ]),
      setWhere: newerThanStored(customers.sourceUpdatedAt, "customers"),
    });
}

/** Lifetime spend, order count and first/last order, from the orders we hold (cancelled excluded). */
export async function refreshCustomerAggregates(db: Db, shop: string, customerId: number) {
  await db.execute(sql`
    update customers c set
      lifetime_spend = coalesce(a.spend, 0),
      order_count = coalesce(a.order_count, 0),
      first_order_at = a.first_order_at,
      last_order_at = a.last_order_at
    from (
      select sum(current_total_price) filter (where cancelled_at is null) as spend,
             count(*) filter (where cancelled_at is null) as order_count,
             min(created_at) filter (where cancelled_at is null) as first_order_at,
             max(created_at) filter (where cancelled_at is null) as last_order_at
      from orders where shop = ${shop} and customer_id = ${customerId}
    ) a
    where c.shop = ${shop} and c.id = ${customerId}`);
}

/** Returns true when the delivery changed the stored order (it was new or newer). */
export async function upsertOrder(db: Db, shop: string, order: OrderPayload): Promise<boolean> {
  const rows = await db
    .insert(orders)
    .values({
      shop,
      id: order.id,
      name: order.name,
      email: order.email ?? order.customer?.email ?? null,
      customerId: order.customer?.id ?? null,
      currency: order.currency,
      presentmentCurrency: order.presentment_currency ?? null,
      totalPrice: order.total_price,
      subtotalPrice: order.subtotal_price ?? null,
      totalTax: order.total_tax ?? null,
      currentTotalPrice: order.current_total_price ?? order.total_price,
      presentmentTotalPrice: order.total_price_set?.presentment_money?.amount ?? null,
      financialStatus: order.financial_status ?? null,
      fulfillmentStatus: order.fulfillment_status ?? null,
      tags: order.tags,
      lineItems: order.line_items.map((item) => ({
        id: item.id,
        variantId: item.variant_id ?? null,
        productId: item.product_id ?? null,
        sku: item.sku ?? null,
        title: item.title,
        quantity: item.quantity,
        price: item.price,
      })),
      refundCount: order.refunds?.length ?? 0,
      cancelledAt: order.cancelled_at ?? null,
      processedAt: order.processed_at ?? null,
      createdAt: order.created_at,
      sourceUpdatedAt: order.updated_at,
    })
    .onConflictDoUpdate({
      target: [orders.shop, orders.id],
      set: fromExcluded(orders, [
        "name",
        "email",
        "customerId",
        "currency",
        "presentmentCurrency",
        "totalPrice",
        "subtotalPrice",
        "totalTax",
        "currentTotalPrice",
        "presentmentTotalPrice",
        "financialStatus",
        "fulfillmentStatus",
        "tags",
        "lineItems",
        "refundCount",
        "cancelledAt",
        "processedAt",
        "sourceUpdatedAt",
      ]),
      setWhere: newerThanStored(orders.sourceUpdatedAt, "orders"),
    })
    .returning({ id: orders.id });
  if (order.customer) {
    await upsertCustomerRef(db, shop, order.customer);
    await refreshCustomerAggregates(db, shop, order.customer.id);
  }
  const known = order.line_items.filter((item) => item.variant_id);
  if (known.length > 0) {
    await db
      .insert(variants)
      .values(
        known.map((item) => ({
          shop,
          id: item.variant_id!,
          productId: item.product_id ?? null,
          sku: item.sku ?? null,
          title: item.title,
          price: item.price,
        })),
      )
      .onConflictDoNothing();
  }
  return rows.length > 0;
}

export async function upsertFulfillment(db: Db, shop: string, fulfillment: FulfillmentPayload) {
  const trackingNumbers = fulfillment.tracking_numbers.length
    ? fulfillment.tracking_numbers
    : fulfillment.tracking_number
      ? [fulfillment.tracking_number]
      : [];
  const trackingUrls = fulfillment.tracking_urls.length
    ? fulfillment.tracking_urls
    : fulfillment.tracking_url
      ? [fulfillment.tracking_url]
      : [];
  await db
    .insert(fulfillments)
    .values({
      shop,
      id: fulfillment.id,
      orderId: fulfillment.order_id,
      status: fulfillment.status ?? null,
      shipmentStatus: fulfillment.shipment_status ?? null,
      trackingCompany: fulfillment.tracking_company ?? null,
      trackingNumbers,
      trackingUrls,
      estimatedDeliveryAt: fulfillment.estimated_delivery_at ?? null,
      deliveredAt: fulfillment.shipment_status === "delivered" ? fulfillment.updated_at : null,
      createdAt: fulfillment.created_at ?? null,
      sourceUpdatedAt: fulfillment.updated_at,
    })
    .onConflictDoUpdate({
      target: [fulfillments.shop, fulfillments.id],
      set: {
        ...fromExcluded(fulfillments, ["orderId", "status", "trackingCompany", "trackingNumbers", "trackingUrls", "createdAt", "sourceUpdatedAt"]),
        // A fulfillment event may have told us more recent shipment news than this payload.
        shipmentStatus: sql`case when fulfillments.last_event_at > excluded.source_updated_at then fulfillments.shipment_status else coalesce(excluded.shipment_status, fulfillments.shipment_status) end`,
        estimatedDeliveryAt: sql`coalesce(excluded.estimated_delivery_at, fulfillments.estimated_delivery_at)`,
        deliveredAt: sql`coalesce(fulfillments.delivered_at, excluded.delivered_at)`,
      },
      setWhere: newerThanStored(fulfillments.sourceUpdatedAt, "fulfillments"),
    });
}

/** Stores the event once and moves its fulfillment's shipment status forward (never backward). */
export async function recordFulfillmentEvent(db: Db, shop: string, event: FulfillmentEventPayload) {
  const happenedAt = event.happened_at ?? event.created_at;
  const status = event.status.toLowerCase();
  await db
    .insert(fulfillmentEvents)
    .values({
      shop,
      id: event.id,
      fulfillmentId: event.fulfillment_id,
      orderId: event.order_id,
      status,
      message: event.message ?? null,
      happenedAt,
      estimatedDeliveryAt: event.estimated_delivery_at ?? null,
      city: event.city ?? null,
      province: event.province ?? null,
      country: event.country ?? null,
    })
    .onConflictDoNothing();
  await db
    .insert(fulfillments)
    .values({
      shop,
      id: event.fulfillment_id,
      orderId: event.order_id,
      shipmentStatus: status,
      estimatedDeliveryAt: event.estimated_delivery_at ?? null,
      deliveredAt: status === "delivered" ? happenedAt : null,
      lastEventAt: happenedAt,
      // Unknown until fulfillments/create arrives; epoch lets that delivery win.
      sourceUpdatedAt: new Date(0),
    })
    .onConflictDoUpdate({
      target: [fulfillments.shop, fulfillments.id],
      set: {
        shipmentStatus: sql`excluded.shipment_status`,
        estimatedDeliveryAt: sql`coalesce(excluded.estimated_delivery_at, fulfillments.estimated_delivery_at)`,
        deliveredAt: sql`coalesce(fulfillments.delivered_at, excluded.delivered_at)`,
        lastEventAt: sql`excluded.last_event_at`,
      },
      setWhere: sql`fulfillments.last_event_at is null or fulfillments.last_event_at <= excluded.last_event_at`,
    });
}

/** Returns whether a variant for this inventory item is known (else the caller should look it up). */
export async function upsertInventoryLevel(db: Db, shop: string, level: InventoryLevelPayload): Promise<{ variantKnown: boolean }> {
  await db
    .insert(inventoryLevels)
    .values({
      shop,
      inventoryItemId: level.inventory_item_id,
      locationId: level.location_id,
      available: level.available,
      sourceUpdatedAt: level.updated_at,
    })
    .onConflictDoUpdate({
      target: [inventoryLevels.shop, inventoryLevels.inventoryItemId, inventoryLevels.locationId],
      set: { ...fromExcluded(inventoryLevels, ["available", "sourceUpdatedAt"]), refreshedAt: sql`now()` },
      setWhere: newerThanStored(inventoryLevels.sourceUpdatedAt, "inventory_levels"),
    });
  const [variant] = await db
    .select({ id: variants.id })
    .from(variants)
    .where(and(eq(variants.shop, shop), eq(variants.inventoryItemId, level.inventory_item_id)))
    .limit(1);
  return { variantKnown: Boolean(variant) };
}

export async function linkVariantToInventoryItem(
  db: Db,
  shop: string,
  variant: { id: number; productId: number | null; inventoryItemId: number; sku: string | null; title: string | null; price: string | null },
) {
  await db
    .insert(variants)
    .values({ shop, ...variant })
    .onConflictDoUpdate({
      target: [variants.shop, variants.id],
      set: { ...fromExcluded(variants, ["productId", "inventoryItemId", "sku", "title", "price"]), updatedAt: sql`now()` },
    });
}
