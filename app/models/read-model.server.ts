import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { checkouts, customers, variants } from "../../db/schema/index";
import type { Db, ExecuteSql } from "../db.server";
import { drizzleExecuteSql } from "../utils/drizzle-execute-sql.server";
import { compareIds, idText, type ShopifyId } from "../utils/shopify-id";
import type {
  CheckoutPayload,
  CustomerPayload,
  FulfillmentEventPayload,
  FulfillmentPayload,
  InventoryLevelPayload,
  OrderPayload,
  RefundPayload,
} from "../webhooks/payloads";

/** `set` clause taking every listed column from the incoming row (`excluded`). */
function fromExcluded<T extends PgTable>(
  table: T,
  keys: (keyof T["_"]["columns"])[],
): Record<string, SQL> {
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  return Object.fromEntries(
    keys.map((key) => [key, sql.raw(`excluded."${columns[key as string]!.name}"`)]),
  );
}

/** Only overwrite a row with a delivery at least as new as what we hold. */
const newerThanStored = (column: { name: string }, table: string) =>
  sql.raw(
    `"${table}"."${column.name}" is null or "${table}"."${column.name}" <= excluded."${column.name}"`,
  );

export async function upsertCustomerRef(
  db: Db,
  shop: string,
  customer: NonNullable<OrderPayload["customer"]>,
) {
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
      set: fromExcluded(customers, [
        "email",
        "firstName",
        "lastName",
        "phone",
        "tags",
        "sourceUpdatedAt",
      ]),
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
      acceptsMarketing:
        customer.email_marketing_consent?.state === "subscribed" ||
        customer.accepts_marketing === true,
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
 * A refund as order_refunds keeps it: when it was issued, and when its money went back (its
 * `refund` transactions: sent once they succeeded, at the last success's processed_at; pending while
 * one is; none when no money moved). Null for a refund without its time or transactions (the
 * history import's refunds carry only their id).
 */
export function refundTimes(refund: RefundPayload): {
  createdAt: Date;
  processedAt: Date | null;
  moneyStatus: "sent" | "pending" | "none";
} | null {
  if (!refund.created_at || !refund.transactions) return null;
  const money = (refund.transactions ?? []).filter((t) => t.kind?.toLowerCase() === "refund");
  const statuses = money.map((t) => t.status?.toLowerCase() ?? "");
  const sent = money.filter((t) => t.status?.toLowerCase() === "success");
  if (statuses.includes("pending"))
    return { createdAt: refund.created_at, processedAt: null, moneyStatus: "pending" };
  if (sent.length === 0)
    return { createdAt: refund.created_at, processedAt: null, moneyStatus: "none" };
  const processedAt = new Date(
    Math.max(...sent.map((t) => (t.processed_at ?? t.created_at ?? refund.created_at!).getTime())),
  );
  return { createdAt: refund.created_at, processedAt, moneyStatus: "sent" };
}

export interface OrderDelivery {
  shop: string;
  order: OrderPayload;
  /** The webhook event it came from: marked processed by the same statements. */
  eventId?: number;
}

/** Keeps, per key, the item with the newest `at` (a later item wins a tie: it was delivered later). */
function newestPerKey<T>(
  items: T[],
  key: (item: T) => string,
  at: (item: T) => number | null,
): T[] {
  const kept = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const held = kept.get(k);
    if (!held || (at(item) ?? -Infinity) >= (at(held) ?? -Infinity)) kept.set(k, item);
  }
  return [...kept.values()];
}

const byShopAndId = (a: { shop: string; id: ShopifyId }, b: { shop: string; id: ShopifyId }) =>
  a.shop < b.shop ? -1 : a.shop > b.shop ? 1 : compareIds(a.id, b.id);

/**
 * Applies order deliveries — one, or a worker's whole batch — in two statements, whatever their
 * number (this path runs for every order webhook, so round trips matter): one upserts the
 * orders, their customers and their variants together; the next recomputes those customers'
 * aggregates and marks the webhook events processed. Each row is guarded by its `updated_at`, so
 * an older delivery — in the batch or stored — never overwrites newer state; rows are written in
 * key order, so concurrent batches lock in the same order. Run inside a transaction: the customer
 * upsert locks the customer rows until commit, so concurrent orders of one customer recompute one
 * after the other and the last aggregate always sees every committed order.
 * Returns how many stored orders changed (new or newer). `refreshAggregates: false` leaves the
 * customers' aggregates to the caller (the history import recomputes them once at its end).
 */
export async function applyOrders(
  executeSql: ExecuteSql,
  deliveries: OrderDelivery[],
  options: { refreshAggregates?: boolean } = {},
): Promise<number> {
  if (deliveries.length === 0) return 0;
  const orderRows = newestPerKey(
    deliveries.map(({ shop, order }) => ({
      shop,
      id: order.id,
      name: order.name,
      email: order.email ?? order.customer?.email ?? null,
      customer_id: order.customer?.id ?? null,
      currency: order.currency,
      presentment_currency: order.presentment_currency ?? null,
      total_price: order.total_price,
      subtotal_price: order.subtotal_price ?? null,
      total_tax: order.total_tax ?? null,
      current_total_price: order.current_total_price ?? order.total_price,
      presentment_total_price: order.total_price_set?.presentment_money?.amount ?? null,
      shipping_country: order.shipping_address?.country_code?.toUpperCase() ?? null,
      financial_status: order.financial_status ?? null,
      fulfillment_status: order.fulfillment_status ?? null,
      tags: order.tags,
      line_items: order.line_items.map((item) => ({
        id: item.id,
        variantId: item.variant_id ?? null,
        productId: item.product_id ?? null,
        sku: item.sku ?? null,
        title: item.title,
        quantity: item.quantity,
        price: item.price,
      })),
      refund_count: order.refunds?.length ?? 0,
      refunds: order.refunds ?? [],
      cancelled_at: order.cancelled_at?.toISOString() ?? null,
      processed_at: order.processed_at?.toISOString() ?? null,
      created_at: order.created_at.toISOString(),
      source_updated_at: order.updated_at.toISOString(),
      updatedMs: order.updated_at.getTime(),
    })),
    (row) => `${row.shop}|${row.id}`,
    (row) => row.updatedMs,
  ).sort(byShopAndId);
  // The refunds of each order's newest delivery, guarded by that order's updated_at.
  const refundRows = orderRows
    .flatMap((row) =>
      row.refunds.flatMap((refund) => {
        const times = refundTimes(refund);
        return times
          ? [
              {
                shop: row.shop,
                id: refund.id,
                order_id: row.id,
                created_at: times.createdAt.toISOString(),
                processed_at: times.processedAt?.toISOString() ?? null,
                money_status: times.moneyStatus,
                source_updated_at: row.source_updated_at,
              },
            ]
          : [];
      }),
    )
    .sort(byShopAndId);
  const customerRows = newestPerKey(
    deliveries.flatMap(({ shop, order }) =>
      order.customer
        ? [
            {
              shop,
              id: order.customer.id,
              email: order.customer.email ?? null,
              first_name: order.customer.first_name ?? null,
              last_name: order.customer.last_name ?? null,
              phone: order.customer.phone ?? null,
              tags: order.customer.tags,
              source_updated_at: order.customer.updated_at?.toISOString() ?? null,
              updatedMs: order.customer.updated_at?.getTime() ?? null,
            },
          ]
        : [],
    ),
    (row) => `${row.shop}|${row.id}`,
    (row) => row.updatedMs,
  ).sort(byShopAndId);
  // Orders placed from a checkout we hold: that checkout is ordered (recovered, if it was abandoned).
  const checkoutRows = deliveries.flatMap(({ shop, order }) =>
    order.checkout_token || order.checkout_id
      ? [
          {
            shop,
            order_id: order.id,
            checkout_token: order.checkout_token ?? null,
            checkout_id: order.checkout_id ?? null,
            created_at: order.created_at.toISOString(),
          },
        ]
      : [],
  );
  const variantRows = newestPerKey(
    deliveries.flatMap(({ shop, order }) =>
      order.line_items
        .filter((item) => item.variant_id)
        .map((item) => ({
          shop,
          id: item.variant_id!,
          product_id: item.product_id ?? null,
          sku: item.sku ?? null,
          title: item.title,
          price: item.price,
        })),
    ),
    (row) => `${row.shop}|${row.id}`,
    () => 0,
  ).sort(byShopAndId);

  const { rows } = await executeSql(
    `with upserted_orders as (
      insert into orders (shop, id, name, email, customer_id, currency, presentment_currency, total_price, subtotal_price,
        total_tax, current_total_price, presentment_total_price, shipping_country, financial_status, fulfillment_status, tags,
        line_items, refund_count, cancelled_at, processed_at, created_at, source_updated_at)
      select o.shop, o.id, o.name, o.email, o.customer_id, o.currency, o.presentment_currency, o.total_price, o.subtotal_price,
        o.total_tax, o.current_total_price, o.presentment_total_price, o.shipping_country, o.financial_status, o.fulfillment_status,
        array(select jsonb_array_elements_text(o.tags)), o.line_items, o.refund_count, o.cancelled_at, o.processed_at,
        o.created_at, o.source_updated_at
      from jsonb_to_recordset($1::jsonb) as o(shop text, id bigint, name text, email text, customer_id bigint, currency text,
        presentment_currency text, total_price numeric, subtotal_price numeric, total_tax numeric, current_total_price numeric,
        presentment_total_price numeric, shipping_country text, financial_status text, fulfillment_status text, tags jsonb, line_items jsonb,
        refund_count int, cancelled_at timestamptz, processed_at timestamptz, created_at timestamptz, source_updated_at timestamptz)
      on conflict (shop, id) do update set
        name = excluded.name, email = excluded.email, customer_id = excluded.customer_id, currency = excluded.currency,
        presentment_currency = excluded.presentment_currency, total_price = excluded.total_price,
        subtotal_price = excluded.subtotal_price, total_tax = excluded.total_tax,
        current_total_price = excluded.current_total_price, presentment_total_price = excluded.presentment_total_price,
        shipping_country = excluded.shipping_country,
        financial_status = excluded.financial_status, fulfillment_status = excluded.fulfillment_status,
        tags = excluded.tags, line_items = excluded.line_items, refund_count = excluded.refund_count,
        cancelled_at = excluded.cancelled_at, processed_at = excluded.processed_at,
        source_updated_at = excluded.source_updated_at
      where orders.source_updated_at <= excluded.source_updated_at
      returning 1
    ),
    upserted_customers as (
      insert into customers (shop, id, email, first_name, last_name, phone, tags, source_updated_at)
      select c.shop, c.id, c.email, c.first_name, c.last_name, c.phone, array(select jsonb_array_elements_text(c.tags)), c.source_updated_at
      from jsonb_to_recordset($2::jsonb) as c(shop text, id bigint, email text, first_name text, last_name text, phone text, tags jsonb, source_updated_at timestamptz)
      on conflict (shop, id) do update set
        email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
        phone = excluded.phone, tags = excluded.tags, source_updated_at = excluded.source_updated_at
      where excluded.source_updated_at is not null
        and (customers.source_updated_at is null or customers.source_updated_at <= excluded.source_updated_at)
      returning 1
    ),
    known_variants as (
      insert into variants (shop, id, product_id, sku, title, price)
      select v.shop, v.id, v.product_id, v.sku, v.title, v.price
      from jsonb_to_recordset($3::jsonb) as v(shop text, id bigint, product_id bigint, sku text, title text, price numeric)
      on conflict do nothing
      returning 1
    ),
    upserted_refunds as (
      insert into order_refunds (shop, id, order_id, created_at, processed_at, money_status, source_updated_at)
      select r.shop, r.id, r.order_id, r.created_at, r.processed_at, r.money_status, r.source_updated_at
      from jsonb_to_recordset($5::jsonb) as r(shop text, id bigint, order_id bigint, created_at timestamptz,
        processed_at timestamptz, money_status text, source_updated_at timestamptz)
      on conflict (shop, id) do update set
        order_id = excluded.order_id, created_at = excluded.created_at, processed_at = excluded.processed_at,
        money_status = excluded.money_status, source_updated_at = excluded.source_updated_at
      where order_refunds.source_updated_at <= excluded.source_updated_at
      returning 1
    ),
    ordered_checkouts as (
      update checkouts c set order_id = o.order_id, ordered_at = o.created_at,
        completed_at = coalesce(c.completed_at, o.created_at)
      from jsonb_to_recordset($4::jsonb) as o(shop text, order_id bigint, checkout_token text, checkout_id bigint, created_at timestamptz)
      where c.shop = o.shop and (c.token = o.checkout_token or c.id = o.checkout_id) and c.order_id is null
      returning 1
    )
    select (select count(*) from upserted_orders)::int as changed`,
    [
      JSON.stringify(orderRows.map(({ refunds: _refunds, ...row }) => row)),
      JSON.stringify(customerRows),
      JSON.stringify(variantRows),
      JSON.stringify(checkoutRows),
      JSON.stringify(refundRows),
    ],
    { prepare: true },
  );
  const changed = Number(rows[0]?.changed ?? 0);
  const eventIds = deliveries.map((d) => d.eventId).filter((id): id is number => id !== undefined);
  if (customerRows.length > 0 && options.refreshAggregates !== false)
    await refreshCustomerAggregatesOf(executeSql, customerRows, eventIds);
  else await markEventsProcessed(executeSql, eventIds);
  return changed;
}

/** Marks webhook events processed; `ids` is the SQL parameter holding their ids as a JSON array (any driver binds it alike). */
const settleEventsSql = (ids: string) =>
  `update webhook_events set status = 'processed', error = null, processed_at = now() where id = any(array(select jsonb_array_elements_text(${ids}::jsonb)::bigint))`;

/** Marks these webhook events processed in one statement (a batch applied by other statements). */
export async function markEventsProcessed(executeSql: ExecuteSql, eventIds: number[]) {
  if (eventIds.length === 0) return;
  await executeSql(settleEventsSql("$1"), [JSON.stringify(eventIds)], { prepare: true });
}

/**
 * Lifetime spend, order count and first/last order of these customers, from the orders we hold
 * (cancelled excluded), in one statement that also marks the given webhook events processed.
 */
async function refreshCustomerAggregatesOf(
  executeSql: ExecuteSql,
  customersOf: { shop: string; id: ShopifyId }[],
  eventIds: number[],
) {
  await executeSql(
    `with affected as (
       select a.shop, a.id from jsonb_to_recordset($1::jsonb) as a(shop text, id bigint)
     ),
     -- Per customer through its index (LATERAL): a batch touches a few customers of a big table.
     totals as (
       select a.shop, a.id, t.spend, t.order_count, t.first_order_at, t.last_order_at
       from affected a cross join lateral (
         select sum(o.current_total_price) filter (where o.cancelled_at is null) as spend,
                count(*) filter (where o.cancelled_at is null) as order_count,
                min(o.created_at) filter (where o.cancelled_at is null) as first_order_at,
                max(o.created_at) filter (where o.cancelled_at is null) as last_order_at
         from orders o where o.shop = a.shop and o.customer_id = a.id
       ) t
     ),
     refreshed as (
       update customers c set
         lifetime_spend = coalesce(t.spend, 0),
         order_count = t.order_count,
         first_order_at = t.first_order_at,
         last_order_at = t.last_order_at
       from totals t
       where c.shop = t.shop and c.id = t.id
       returning 1
     ),
     settled as (${settleEventsSql("$2")} returning 1)
     select 1`,
    [JSON.stringify(customersOf.map(({ shop, id }) => ({ shop, id }))), JSON.stringify(eventIds)],
    { prepare: true },
  );
}

/**
 * One order delivery (see applyOrders). Returns true when it changed the stored order (it was
 * new or newer).
 */
export async function upsertOrder(
  db: Db,
  shop: string,
  order: OrderPayload,
  options: { settleEventId?: number } = {},
): Promise<boolean> {
  return (
    (await applyOrders(drizzleExecuteSql(db), [{ shop, order, eventId: options.settleEventId }])) >
    0
  );
}

/**
 * A checkout delivery (checkouts/create, checkouts/update), with its customer. A newer delivery
 * replaces the stored checkout, except what an order already settled (`order_id`, `ordered_at`);
 * `last_activity_at` moves only while the checkout is open, so completing it is not activity.
 */
export async function upsertCheckout(db: Db, shop: string, checkout: CheckoutPayload) {
  if (checkout.customer) await upsertCustomerRef(db, shop, checkout.customer);
  const lineItems = checkout.line_items.map((item) => ({
    variantId: item.variant_id ?? null,
    productId: item.product_id ?? null,
    sku: item.sku ?? null,
    title: item.title,
    variantTitle: item.variant_title ?? null,
    quantity: item.quantity,
    price: item.price,
  }));
  const subtotal =
    checkout.subtotal_price ??
    lineItems.reduce((sum, item) => sum + Number(item.price) * item.quantity, 0).toFixed(2);
  await db
    .insert(checkouts)
    .values({
      shop,
      token: checkout.token,
      id: checkout.id,
      cartToken: checkout.cart_token ?? null,
      customerId: checkout.customer?.id ?? null,
      email: checkout.email ?? checkout.customer?.email ?? null,
      lineItems,
      subtotalPrice: subtotal,
      currency: checkout.currency,
      presentmentCurrency: checkout.presentment_currency ?? null,
      abandonedCheckoutUrl: checkout.abandoned_checkout_url ?? null,
      completedAt: checkout.completed_at ?? null,
      createdAt: checkout.created_at,
      lastActivityAt: checkout.updated_at,
      sourceUpdatedAt: checkout.updated_at,
    })
    .onConflictDoUpdate({
      target: [checkouts.shop, checkouts.token],
      set: {
        ...fromExcluded(checkouts, [
          "id",
          "cartToken",
          "customerId",
          "email",
          "lineItems",
          "subtotalPrice",
          "currency",
          "presentmentCurrency",
          "abandonedCheckoutUrl",
          "sourceUpdatedAt",
        ]),
        completedAt: sql`coalesce(excluded.completed_at, checkouts.completed_at)`,
        lastActivityAt: sql`case when excluded.completed_at is null then greatest(checkouts.last_activity_at, excluded.last_activity_at) else checkouts.last_activity_at end`,
      },
      setWhere: newerThanStored(checkouts.sourceUpdatedAt, "checkouts"),
    });
}

/** A fulfillment as the read model stores it (from a fulfillments/* webhook or the history import). */
export interface FulfillmentRow {
  id: ShopifyId;
  orderId: ShopifyId;
  status: string | null;
  shipmentStatus: string | null;
  trackingCompany: string | null;
  trackingNumbers: string[];
  trackingUrls: string[];
  estimatedDeliveryAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date | null;
  updatedAt: Date;
}

/**
 * Upserts fulfillments of one shop in one statement, each guarded by its `updated_at`: an older
 * delivery never overwrites newer state, and shipment news a fulfillment event brought later
 * than this state is kept.
 */
export async function applyFulfillments(
  executeSql: ExecuteSql,
  shop: string,
  fulfillmentsOf: FulfillmentRow[],
): Promise<void> {
  await applyShopsFulfillments(
    executeSql,
    fulfillmentsOf.map((fulfillment) => ({ shop, fulfillment })),
  );
}

/**
 * Upserts fulfillments of any shops in one statement (a worker's batch of fulfillments/*
 * webhooks, the history import): the newest delivery per fulfillment, rows in key order, so
 * concurrent batches lock alike.
 */
export async function applyShopsFulfillments(
  executeSql: ExecuteSql,
  deliveries: { shop: string; fulfillment: FulfillmentRow }[],
): Promise<void> {
  if (deliveries.length === 0) return;
  const rows = newestPerKey(
    deliveries,
    ({ shop, fulfillment }) => `${shop}/${fulfillment.id}`,
    ({ fulfillment }) => fulfillment.updatedAt.getTime(),
  )
    .map(({ shop, fulfillment: f }) => ({
      shop,
      id: f.id,
      order_id: f.orderId,
      status: f.status,
      shipment_status: f.shipmentStatus,
      tracking_company: f.trackingCompany,
      tracking_numbers: f.trackingNumbers,
      tracking_urls: f.trackingUrls,
      estimated_delivery_at: f.estimatedDeliveryAt?.toISOString() ?? null,
      delivered_at: f.deliveredAt?.toISOString() ?? null,
      created_at: f.createdAt?.toISOString() ?? null,
      source_updated_at: f.updatedAt.toISOString(),
    }))
    .sort(byShopAndId);
  await executeSql(
    `insert into fulfillments (shop, id, order_id, status, shipment_status, tracking_company, tracking_numbers,
       tracking_urls, estimated_delivery_at, delivered_at, created_at, source_updated_at)
     select f.shop, f.id, f.order_id, f.status, f.shipment_status, f.tracking_company,
       array(select jsonb_array_elements_text(f.tracking_numbers)), array(select jsonb_array_elements_text(f.tracking_urls)),
       f.estimated_delivery_at, f.delivered_at, f.created_at, f.source_updated_at
     from jsonb_to_recordset($1::jsonb) as f(shop text, id bigint, order_id bigint, status text, shipment_status text,
       tracking_company text, tracking_numbers jsonb, tracking_urls jsonb, estimated_delivery_at timestamptz,
       delivered_at timestamptz, created_at timestamptz, source_updated_at timestamptz)
     on conflict (shop, id) do update set
       order_id = excluded.order_id, status = excluded.status, tracking_company = excluded.tracking_company,
       tracking_numbers = excluded.tracking_numbers, tracking_urls = excluded.tracking_urls,
       created_at = excluded.created_at, source_updated_at = excluded.source_updated_at,
       -- A fulfillment event may have told us more recent shipment news than this state.
       shipment_status = case when fulfillments.last_event_at > excluded.source_updated_at
         then fulfillments.shipment_status else coalesce(excluded.shipment_status, fulfillments.shipment_status) end,
       estimated_delivery_at = coalesce(excluded.estimated_delivery_at, fulfillments.estimated_delivery_at),
       delivered_at = coalesce(fulfillments.delivered_at, excluded.delivered_at)
     where fulfillments.source_updated_at <= excluded.source_updated_at`,
    [JSON.stringify(rows)],
    { prepare: true },
  );
}

/** A fulfillments/* webhook's payload as the read model stores it. */
export function fulfillmentRowOf(fulfillment: FulfillmentPayload): FulfillmentRow {
  return {
    id: fulfillment.id,
    orderId: fulfillment.order_id,
    status: fulfillment.status ?? null,
    shipmentStatus: fulfillment.shipment_status ?? null,
    trackingCompany: fulfillment.tracking_company ?? null,
    trackingNumbers: fulfillment.tracking_numbers.length
      ? fulfillment.tracking_numbers
      : fulfillment.tracking_number
        ? [fulfillment.tracking_number]
        : [],
    trackingUrls: fulfillment.tracking_urls.length
      ? fulfillment.tracking_urls
      : fulfillment.tracking_url
        ? [fulfillment.tracking_url]
        : [],
    estimatedDeliveryAt: fulfillment.estimated_delivery_at ?? null,
    deliveredAt: fulfillment.shipment_status === "delivered" ? fulfillment.updated_at : null,
    createdAt: fulfillment.created_at ?? null,
    updatedAt: fulfillment.updated_at,
  };
}

export async function upsertFulfillment(db: Db, shop: string, fulfillment: FulfillmentPayload) {
  await applyFulfillments(drizzleExecuteSql(db), shop, [fulfillmentRowOf(fulfillment)]);
}

/** Stores the event once and moves its fulfillment's shipment status forward (never backward). */
export async function recordFulfillmentEvent(db: Db, shop: string, event: FulfillmentEventPayload) {
  await applyFulfillmentEvents(drizzleExecuteSql(db), [{ shop, event }]);
}

/**
 * Stores carrier events of any shops once each (a worker's batch of fulfillment_events/create
 * webhooks, or one) and moves each fulfillment's shipment status forward, never backward, in two
 * statements: per fulfillment, the newest event sets the status and its latest estimate, the
 * first "delivered" event the delivery time, whatever order they arrive in.
 */
export async function applyFulfillmentEvents(
  executeSql: ExecuteSql,
  deliveries: { shop: string; event: FulfillmentEventPayload }[],
): Promise<void> {
  if (deliveries.length === 0) return;
  const rows = deliveries
    .map(({ shop, event }) => ({
      shop,
      id: event.id,
      fulfillment_id: event.fulfillment_id,
      order_id: event.order_id,
      status: event.status.toLowerCase(),
      message: event.message ?? null,
      happened_at: (event.happened_at ?? event.created_at).toISOString(),
      estimated_delivery_at: event.estimated_delivery_at?.toISOString() ?? null,
      city: event.city ?? null,
      province: event.province ?? null,
      country: event.country ?? null,
    }))
    .sort(byShopAndId);
  const recordset = `jsonb_to_recordset($1::jsonb) as e(shop text, id bigint, fulfillment_id bigint,
       order_id bigint, status text, message text, happened_at timestamptz, estimated_delivery_at timestamptz,
       city text, province text, country text)`;
  await executeSql(
    `insert into fulfillment_events (shop, id, fulfillment_id, order_id, status, message, happened_at,
       estimated_delivery_at, city, province, country)
     select e.shop, e.id, e.fulfillment_id, e.order_id, e.status, e.message, e.happened_at,
       e.estimated_delivery_at, e.city, e.province, e.country
     from ${recordset}
     on conflict do nothing`,
    [JSON.stringify(rows)],
    { prepare: true },
  );
  // Unknown fulfillments get a row whose source_updated_at is the epoch, so fulfillments/create wins.
  await executeSql(
    `insert into fulfillments (shop, id, order_id, shipment_status, estimated_delivery_at, delivered_at,
       last_event_at, source_updated_at)
     select distinct on (e.shop, e.fulfillment_id) e.shop, e.fulfillment_id, e.order_id, e.status,
       (select n.estimated_delivery_at from ${recordset.replace(" as e(", " as n(")}
         where n.shop = e.shop and n.fulfillment_id = e.fulfillment_id and n.estimated_delivery_at is not null
         order by n.happened_at desc limit 1),
       (select min(d.happened_at) from ${recordset.replace(" as e(", " as d(")}
         where d.shop = e.shop and d.fulfillment_id = e.fulfillment_id and d.status = 'delivered'),
       e.happened_at, 'epoch'::timestamptz
     from ${recordset}
     order by e.shop, e.fulfillment_id, e.happened_at desc
     on conflict (shop, id) do update set
       shipment_status = excluded.shipment_status,
       estimated_delivery_at = coalesce(excluded.estimated_delivery_at, fulfillments.estimated_delivery_at),
       delivered_at = coalesce(fulfillments.delivered_at, excluded.delivered_at),
       last_event_at = excluded.last_event_at
     where fulfillments.last_event_at is null or fulfillments.last_event_at <= excluded.last_event_at`,
    [JSON.stringify(rows)],
    { prepare: true },
  );
}

export interface InventoryLevelDelivery {
  shop: string;
  level: InventoryLevelPayload;
  /** The webhook event it came from: marked processed by the same statement. */
  eventId?: number;
}

/**
 * Applies inventory level deliveries — a worker's batch — in one statement: the newest delivery
 * per item and location, each guarded by its `updated_at`, and the events marked processed.
 * Answers the inventory items no variant is known for yet (to be learned from Shopify).
 */
export async function applyInventoryLevels(
  executeSql: ExecuteSql,
  deliveries: InventoryLevelDelivery[],
): Promise<{ shop: string; inventoryItemId: ShopifyId }[]> {
  if (deliveries.length === 0) return [];
  const rows = newestPerKey(
    deliveries.map(({ shop, level }) => ({
      shop,
      inventory_item_id: level.inventory_item_id,
      location_id: level.location_id,
      available: level.available,
      source_updated_at: level.updated_at.toISOString(),
      updatedMs: level.updated_at.getTime(),
    })),
    (row) => `${row.shop}|${row.inventory_item_id}|${row.location_id}`,
    (row) => row.updatedMs,
  ).sort((a, b) =>
    a.shop < b.shop
      ? -1
      : a.shop > b.shop
        ? 1
        : compareIds(a.inventory_item_id, b.inventory_item_id) ||
          compareIds(a.location_id, b.location_id),
  );
  const { rows: unknown } = await executeSql(
    `with input as (
       select * from jsonb_to_recordset($1::jsonb) as l(shop text, inventory_item_id bigint, location_id bigint, available int, source_updated_at timestamptz)
     ),
     upserted as (
       insert into inventory_levels (shop, inventory_item_id, location_id, available, source_updated_at, refreshed_at)
       select shop, inventory_item_id, location_id, available, source_updated_at, now() from input
       on conflict (shop, inventory_item_id, location_id) do update set
         available = excluded.available, source_updated_at = excluded.source_updated_at, refreshed_at = now()
       where inventory_levels.source_updated_at is null or inventory_levels.source_updated_at <= excluded.source_updated_at
       returning 1
     ),
     settled as (${settleEventsSql("$2")} returning 1)
     select distinct i.shop, i.inventory_item_id from input i
      where not exists (select 1 from variants v where v.shop = i.shop and v.inventory_item_id = i.inventory_item_id)`,
    [
      JSON.stringify(rows),
      JSON.stringify(deliveries.map((d) => d.eventId).filter((id) => id !== undefined)),
    ],
    { prepare: true },
  );
  return unknown.map((row) => ({
    shop: row.shop as string,
    inventoryItemId: idText(row.inventory_item_id),
  }));
}

/** One inventory level delivery (see applyInventoryLevels): whether a variant is known for its item. */
export async function upsertInventoryLevel(
  db: Db,
  shop: string,
  level: InventoryLevelPayload,
): Promise<{ variantKnown: boolean }> {
  const unknown = await applyInventoryLevels(drizzleExecuteSql(db), [{ shop, level }]);
  return { variantKnown: unknown.length === 0 };
}

export async function linkVariantToInventoryItem(
  db: Db,
  shop: string,
  variant: {
    id: ShopifyId;
    productId: ShopifyId | null;
    inventoryItemId: ShopifyId;
    sku: string | null;
    title: string | null;
    price: string | null;
  },
) {
  await db
    .insert(variants)
    .values({ shop, ...variant })
    .onConflictDoUpdate({
      target: [variants.shop, variants.id],
      set: {
        ...fromExcluded(variants, ["productId", "inventoryItemId", "sku", "title", "price"]),
        updatedAt: sql`now()`,
      },
    });
}
