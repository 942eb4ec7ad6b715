import { and, eq, inArray, or } from "drizzle-orm";
import {
  productFacts,
  recipeGuardSettings,
  recipeRuns,
  recipeSettings,
  recipeState,
  recipeTouches,
  variantStockChecks,
} from "../../db/schema/index";
import type { Db } from "../db.server";
import type { ShopifyId } from "../utils/shopify-id";
import { customerKey } from "../recipes/engine/guards.server";

/**
 * What the recipe engine holds on a customer: runs about them or their orders, frequency-cap
 * touches (by customer id, or the hash of a guest's email) and recipe memory (VIP membership,
 * win-back stage, offers made). None of it holds an email, but it is theirs.
 */

function conditions(
  shop: string,
  customer: { id: ShopifyId; email?: string | null },
  orderIds: ShopifyId[],
) {
  const guestKey = customerKey({ email: customer.email });
  return {
    runs: and(
      eq(recipeRuns.shop, shop),
      or(
        eq(recipeRuns.customerId, customer.id),
        orderIds.length ? inArray(recipeRuns.orderId, orderIds) : undefined,
      ),
    ),
    touches: and(
      eq(recipeTouches.shop, shop),
      or(
        eq(recipeTouches.customerId, customer.id),
        guestKey ? eq(recipeTouches.customerKey, guestKey) : undefined,
      ),
    ),
    state: and(
      eq(recipeState.shop, shop),
      or(
        eq(recipeState.customerId, customer.id),
        orderIds.length
          ? inArray(
              recipeState.subject,
              orderIds.map((id) => `order:${id}`),
            )
          : undefined,
      ),
    ),
  };
}

export async function recipeDataOf(
  db: Db,
  shop: string,
  customer: { id: ShopifyId; email?: string | null },
  orderIds: ShopifyId[],
) {
  const where = conditions(shop, customer, orderIds);
  return {
    runs: await db.select().from(recipeRuns).where(where.runs),
    frequencyCapTouches: await db.select().from(recipeTouches).where(where.touches),
    memory: await db.select().from(recipeState).where(where.state),
  };
}

export async function redactRecipeData(
  db: Db,
  shop: string,
  customer: { id: ShopifyId; email?: string | null },
  orderIds: ShopifyId[],
) {
  const where = conditions(shop, customer, orderIds);
  await db.delete(recipeRuns).where(where.runs);
  await db.delete(recipeTouches).where(where.touches);
  await db.delete(recipeState).where(where.state);
}

/** The recipe tables, for shop/redact. */
export const RECIPE_TABLES = {
  recipeRuns,
  recipeTouches,
  recipeState,
  recipeSettings,
  recipeGuardSettings,
  variantStockChecks,
  productFacts,
};
