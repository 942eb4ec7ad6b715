import { and, asc, desc, eq, gte, inArray, isNotNull, lt, sql } from "drizzle-orm";
import {
  checkouts,
  customers,
  fulfillments,
  inventoryLevels,
  orders,
  variants,
} from "../../../db/schema/index";
import type { Db } from "../../db.server";
import type { ShopifyId } from "../../utils/shopify-id";
import {
  checkoutView,
  customerView,
  fulfillmentView,
  orderView,
  variantView,
} from "./views.server";

/** The read model's reads behind a recipe's context, one query each (SharedContext memoizes them). */

export async function readOrder(db: Db, shop: string, id: ShopifyId) {
  const [row] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.shop, shop), eq(orders.id, id)));
  return row ? orderView(row) : undefined;
}

export async function readOrdersOfCustomer(
  db: Db,
  shop: string,
  customerId: ShopifyId,
  { since, before, limit }: { since?: Date; before?: Date; limit: number },
) {
  const rows = await db
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.shop, shop),
        eq(orders.customerId, customerId),
        since ? gte(orders.createdAt, since) : undefined,
        before ? lt(orders.createdAt, before) : undefined,
      ),
    )
    .orderBy(desc(orders.createdAt))
    .limit(limit);
  return rows.map(orderView);
}

export async function readCustomer(db: Db, shop: string, id: ShopifyId) {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.shop, shop), eq(customers.id, id)));
  return row ? customerView(row) : undefined;
}

export async function readCustomerByEmail(db: Db, shop: string, email: string) {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.shop, shop), sql`lower(${customers.email}) = ${email.toLowerCase()}`))
    .orderBy(desc(customers.lastOrderAt))
    .limit(1);
  return row ? customerView(row) : undefined;
}

export async function readLapsedCustomers(
  db: Db,
  shop: string,
  lastOrderBefore: Date,
  limit: number,
) {
  const rows = await db
    .select()
    .from(customers)
    .where(
      and(
        eq(customers.shop, shop),
        isNotNull(customers.lastOrderAt),
        lt(customers.lastOrderAt, lastOrderBefore),
      ),
    )
    .orderBy(asc(customers.lastOrderAt))
    .limit(limit);
  return rows.map(customerView);
}

export async function readFulfillment(db: Db, shop: string, id: ShopifyId) {
  const [row] = await db
    .select()
    .from(fulfillments)
    .where(and(eq(fulfillments.shop, shop), eq(fulfillments.id, id)));
  return row ? fulfillmentView(row) : undefined;
}

export async function readCheckout(db: Db, shop: string, token: string) {
  const [row] = await db
    .select()
    .from(checkouts)
    .where(and(eq(checkouts.shop, shop), eq(checkouts.token, token)));
  return row ? checkoutView(row) : undefined;
}

export async function readFulfillmentsOfOrder(db: Db, shop: string, orderId: ShopifyId) {
  const rows = await db
    .select()
    .from(fulfillments)
    .where(and(eq(fulfillments.shop, shop), eq(fulfillments.orderId, orderId)))
    .orderBy(asc(fulfillments.id));
  return rows.map(fulfillmentView);
}

export async function readVariant(db: Db, shop: string, id: ShopifyId) {
  const [row] = await db
    .select()
    .from(variants)
    .where(and(eq(variants.shop, shop), eq(variants.id, id)));
  return row ? variantView(row) : undefined;
}

export async function readVariantsOfInventoryItem(
  db: Db,
  shop: string,
  inventoryItemId: ShopifyId,
) {
  const rows = await db
    .select()
    .from(variants)
    .where(and(eq(variants.shop, shop), eq(variants.inventoryItemId, inventoryItemId)));
  return rows.map(variantView);
}

export async function readVariantsBySku(db: Db, shop: string, skus: string[]) {
  if (skus.length === 0) return [];
  const rows = await db
    .select()
    .from(variants)
    .where(and(eq(variants.shop, shop), inArray(variants.sku, skus)));
  return rows.map(variantView);
}

export async function readVariantsOfProduct(db: Db, shop: string, productId: ShopifyId) {
  const rows = await db
    .select()
    .from(variants)
    .where(and(eq(variants.shop, shop), eq(variants.productId, productId)))
    .orderBy(asc(variants.id))
    .limit(100);
  return rows.map(variantView);
}

/** Sum of an inventory item's cached levels over locations; null when no level is known. */
export async function readCachedAvailable(db: Db, shop: string, inventoryItemId: ShopifyId) {
  const [row] = await db
    .select({
      total: sql<string | null>`sum(${inventoryLevels.available})`,
      known: sql<number>`count(${inventoryLevels.available})::int`,
    })
    .from(inventoryLevels)
    .where(
      and(eq(inventoryLevels.shop, shop), eq(inventoryLevels.inventoryItemId, inventoryItemId)),
    );
  return row && row.known > 0 ? Number(row.total) : null;
}
