import type { ExecuteSql } from "../db.server";
import { compareIds, type ShopifyId } from "../utils/shopify-id";
import type { OrderPayload } from "../webhooks/payloads";
import {
  applyFulfillments,
  applyInventoryLevels,
  applyOrders,
  type FulfillmentRow,
} from "./read-model.server";

/** A fulfillment as the import stores it (the fulfillments/* webhooks' columns). */
export type ImportedFulfillment = FulfillmentRow;

/** A customer's email marketing consent, as of the customer's updatedAt. */
export interface ImportedConsent {
  customerId: ShopifyId;
  emailMarketingState: string;
  updatedAt: Date | null;
}

export interface ImportedOrder {
  order: OrderPayload;
  fulfillments: ImportedFulfillment[];
  consent: ImportedConsent | null;
}

export interface ImportedVariant {
  id: ShopifyId;
  productId: ShopifyId | null;
  inventoryItemId: ShopifyId;
  sku: string | null;
  title: string | null;
  price: string | null;
  levels: { locationId: ShopifyId; available: number | null; updatedAt: Date }[];
}

/**
 * Writes a batch of the history import into the read model, set-based: a fixed number of
 * statements per batch whatever its size. Orders, their customers and variants go through
 * applyOrders, the statement the order webhooks use, so the same `updated_at` guards hold: a
 * webhook that brought newer state mid-import is never overwritten, and a stored older state is.
 * Run inside the transaction that also records the batch in history_imports.
 */
export async function loadOrderBatch(
  executeSql: ExecuteSql,
  shop: string,
  records: ImportedOrder[],
): Promise<{ orders: number; fulfillments: number }> {
  if (records.length === 0) return { orders: 0, fulfillments: 0 };
  // Aggregates are recomputed once when the phase ends (refreshImportedAggregates): a customer's
  // orders are spread over many batches.
  await applyOrders(
    executeSql,
    records.map(({ order }) => ({ shop, order })),
    { refreshAggregates: false },
  );
  const fulfillmentRows = records.flatMap((r) => r.fulfillments);
  await applyFulfillments(executeSql, shop, fulfillmentRows);
  const consents = new Map<string, ImportedOrder["consent"] & object>();
  for (const { consent } of records) {
    if (!consent) continue;
    const held = consents.get(consent.customerId);
    if (!held || (consent.updatedAt?.getTime() ?? 0) >= (held.updatedAt?.getTime() ?? 0))
      consents.set(consent.customerId, consent);
  }
  if (consents.size > 0) {
    // Consent as of the customer's updatedAt: a customers/update webhook newer than that wins.
    await executeSql(
      `update customers c set email_marketing_state = k.state, accepts_marketing = k.state = 'subscribed'
       from jsonb_to_recordset($2::jsonb) as k(id bigint, state text, updated_at timestamptz)
       where c.shop = $1 and c.id = k.id
         and (c.source_updated_at is null or k.updated_at is null and c.email_marketing_state is null
              or c.source_updated_at <= k.updated_at)`,
      [
        shop,
        JSON.stringify(
          [...consents.values()]
            .sort((a, b) => compareIds(a.customerId, b.customerId))
            .map((c) => ({
              id: c.customerId,
              state: c.emailMarketingState,
              updated_at: c.updatedAt?.toISOString() ?? null,
            })),
        ),
      ],
      { prepare: true },
    );
  }
  return { orders: records.length, fulfillments: fulfillmentRows.length };
}

/**
 * Links a batch of variants to their inventory items (what sync-inventory-item learns one at a
 * time) and applies their inventory levels with the inventory_levels/update webhook's guard.
 */
export async function loadStockBatch(
  executeSql: ExecuteSql,
  shop: string,
  records: ImportedVariant[],
): Promise<{ inventoryLevels: number }> {
  if (records.length === 0) return { inventoryLevels: 0 };
  const variantRows = [...records]
    .sort((a, b) => compareIds(a.id, b.id))
    .map((v) => ({
      id: v.id,
      product_id: v.productId,
      inventory_item_id: v.inventoryItemId,
      sku: v.sku,
      title: v.title,
      price: v.price,
    }));
  await executeSql(
    `insert into variants (shop, id, product_id, inventory_item_id, sku, title, price)
     select $1, v.id, v.product_id, v.inventory_item_id, v.sku, v.title, v.price
     from jsonb_to_recordset($2::jsonb) as v(id bigint, product_id bigint, inventory_item_id bigint, sku text, title text, price numeric)
     on conflict (shop, id) do update set
       product_id = excluded.product_id, inventory_item_id = excluded.inventory_item_id, sku = excluded.sku,
       title = excluded.title, price = excluded.price, updated_at = now()`,
    [shop, JSON.stringify(variantRows)],
    { prepare: true },
  );
  const levels = records.flatMap((v) =>
    v.levels.map((level) => ({
      shop,
      level: {
        inventory_item_id: v.inventoryItemId,
        location_id: level.locationId,
        available: level.available,
        updated_at: level.updatedAt,
      },
    })),
  );
  await applyInventoryLevels(executeSql, levels);
  return { inventoryLevels: levels.length };
}

/**
 * Lifetime spend, order count and first/last order of every customer of the shop with orders,
 * from the orders held (cancelled excluded): the import's end of the orders phase. The customer
 * rows are locked first (in key order, as applyOrders locks them), so the totals are read after
 * every concurrent order webhook of those customers committed and none can slip in between.
 */
export async function refreshImportedAggregates(executeSql: ExecuteSql, shop: string) {
  await executeSql(
    `select 1 from customers c where c.shop = $1
       and exists (select 1 from orders o where o.shop = c.shop and o.customer_id = c.id)
     order by c.id for update`,
    [shop],
  );
  await executeSql(
    `update customers c set
       lifetime_spend = coalesce(t.spend, 0), order_count = t.order_count,
       first_order_at = t.first_order_at, last_order_at = t.last_order_at
     from (
       select o.customer_id,
              sum(o.current_total_price) filter (where o.cancelled_at is null) as spend,
              count(*) filter (where o.cancelled_at is null) as order_count,
              min(o.created_at) filter (where o.cancelled_at is null) as first_order_at,
              max(o.created_at) filter (where o.cancelled_at is null) as last_order_at
       from orders o where o.shop = $1 and o.customer_id is not null group by o.customer_id
     ) t
     where c.shop = $1 and c.id = t.customer_id`,
    [shop],
  );
}
