import { and, eq, getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { customers, fulfillmentEvents, fulfillments, inventoryLevels, variants } from "../../db/schema/index";
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

/**
 * Lifetime spend, order count and first/last order, from the orders we hold (cancelled excluded).
 * With `settleEventId`, the same statement marks that webhook event processed.
 */
export async function refreshCustomerAggregates(db: Db, shop: string, customerId: number, settleEventId?: number) {
  await db.execute(sql`
    with refreshed as (
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
      where c.shop = ${shop} and c.id = ${customerId}
      returning 1
    )${settleEventId === undefined ? sql`` : sql`, settled as (${settleEventSql(settleEventId)} returning 1)`}
    select 1`);
}

/**
 * Applies an order delivery in two statements (this path runs for every order webhook, so round
 * trips matter): one upserts the order, its customer and its variants together; the next
 * recomputes the customer's aggregates and, when `settleEventId` is given, marks that webhook
 * event processed. Run inside a transaction: the customer upsert locks the customer row until
 * commit, so concurrent orders of one customer recompute one after the other and the last
 * aggregate always sees every committed order.
 * Returns true when the delivery changed the stored order (it was new or newer).
 */
export async function upsertOrder(db: Db, shop: string, order: OrderPayload, options: { settleEventId?: number } = {}): Promise<boolean> {
  const lineItems = order.line_items.map((item) => ({
    id: item.id,
    variantId: item.variant_id ?? null,
    productId: item.product_id ?? null,
    sku: item.sku ?? null,
    title: item.title,
    quantity: item.quantity,
    price: item.price,
  }));
  const customer = order.customer;
  const variantRows = JSON.stringify(
    lineItems
      .filter((item) => item.variantId)
      .map((item) => ({ id: item.variantId, product_id: item.productId, sku: item.sku, title: item.title, price: item.price })),
  );
  const result = await db.execute(sql`
    with upserted_order as (
      insert into orders (shop, id, name, email, customer_id, currency, presentment_currency, total_price, subtotal_price,
        total_tax, current_total_price, presentment_total_price, financial_status, fulfillment_status, tags, line_items,
        refund_count, cancelled_at, processed_at, created_at, source_updated_at)
      values (${shop}, ${order.id}, ${order.name}, ${order.email ?? customer?.email ?? null}, ${customer?.id ?? null},
        ${order.currency}, ${order.presentment_currency ?? null}, ${order.total_price}, ${order.subtotal_price ?? null},
        ${order.total_tax ?? null}, ${order.current_total_price ?? order.total_price},
        ${order.total_price_set?.presentment_money?.amount ?? null}, ${order.financial_status ?? null},
        ${order.fulfillment_status ?? null}, array(select jsonb_array_elements_text(${JSON.stringify(order.tags)}::jsonb)), ${JSON.stringify(lineItems)}::jsonb,
        ${order.refunds?.length ?? 0}, ${order.cancelled_at?.toISOString() ?? null}::timestamptz,
        ${order.processed_at?.toISOString() ?? null}::timestamptz, ${order.created_at.toISOString()}::timestamptz,
        ${order.updated_at.toISOString()}::timestamptz)
      on conflict (shop, id) do update set
        name = excluded.name, email = excluded.email, customer_id = excluded.customer_id, currency = excluded.currency,
        presentment_currency = excluded.presentment_currency, total_price = excluded.total_price,
        subtotal_price = excluded.subtotal_price, total_tax = excluded.total_tax,
        current_total_price = excluded.current_total_price, presentment_total_price = excluded.presentment_total_price,
        financial_status = excluded.financial_status, fulfillment_status = excluded.fulfillment_status,
        tags = excluded.tags, line_items = excluded.line_items, refund_count = excluded.refund_count,
        cancelled_at = excluded.cancelled_at, processed_at = excluded.processed_at,
        source_updated_at = excluded.source_updated_at
      where orders.source_updated_at <= excluded.source_updated_at
      returning 1
    ),
    upserted_customer as (
      insert into customers (shop, id, email, first_name, last_name, phone, tags, source_updated_at)
      select ${shop}, ${customer?.id ?? null}::bigint, ${customer?.email ?? null}, ${customer?.first_name ?? null},
        ${customer?.last_name ?? null}, ${customer?.phone ?? null}, array(select jsonb_array_elements_text(${JSON.stringify(customer?.tags ?? [])}::jsonb)),
        ${customer?.updated_at?.toISOString() ?? null}::timestamptz
      where ${customer?.id ?? null}::bigint is not null
      on conflict (shop, id) do update set
        email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
        phone = excluded.phone, tags = excluded.tags, source_updated_at = excluded.source_updated_at
      where excluded.source_updated_at is not null
        and (customers.source_updated_at is null or customers.source_updated_at <= excluded.source_updated_at)
      returning 1
    ),
    known_variants as (
      insert into variants (shop, id, product_id, sku, title, price)
      select ${shop}, v.id, v.product_id, v.sku, v.title, v.price
      from jsonb_to_recordset(${variantRows}::jsonb) as v(id bigint, product_id bigint, sku text, title text, price numeric)
      on conflict do nothing
      returning 1
    )
    select (select count(*) from upserted_order)::int as changed`);
  // node-postgres answers { rows }, PGlite's driver too; both name the column.
  const rows = (result as unknown as { rows: { changed: number }[] }).rows;
  const changed = Number(rows[0]?.changed ?? 0) > 0;
  if (customer) await refreshCustomerAggregates(db, shop, customer.id, options.settleEventId);
  else if (options.settleEventId !== undefined) await db.execute(settleEventSql(options.settleEventId));
  return changed;
}

const settleEventSql = (eventId: number) =>
  sql`update webhook_events set status = 'processed', error = null, processed_at = now() where id = ${eventId}`;

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
