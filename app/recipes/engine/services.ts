import type { ExecuteSql } from "../../db.server";
import type { ShopifyId } from "../../utils/shopify-id";
import type { AnyRecipe, FollowUp, RecipeAction } from "./define-recipe";

/**
 * What the engine needs from the rest of the app, passed in (app/recipes/host.server.ts wires
 * the real ones; tests and the benchmark may wire others). The engine itself imports no vendor
 * client and no task.
 */

/** A variant as Shopify reports it live. `available` is inventoryQuantity (all locations). */
export interface LiveVariant {
  id: ShopifyId;
  productId: ShopifyId | null;
  inventoryItemId: ShopifyId | null;
  sku: string | null;
  title: string | null;
  price: string | null;
  available: number | null;
}

export interface LiveProduct {
  id: ShopifyId;
  title: string | null;
  tags: string[];
  collectionIds: ShopifyId[];
}

/** A live read that was not made (throttled, budget kept for other work) or failed. */
export class LiveReadUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LiveReadUnavailable";
  }
}

/** Reads the catalog from Shopify (Admin GraphQL). Missing ids are simply absent. */
export interface LiveCatalogReader {
  variants(shop: string, ids: ShopifyId[]): Promise<Map<ShopifyId, LiveVariant>>;
  products(shop: string, ids: ShopifyId[]): Promise<Map<ShopifyId, LiveProduct>>;
  /** Those of `ids` that exist, with their titles. */
  collections(shop: string, ids: ShopifyId[]): Promise<Map<ShopifyId, string | null>>;
  skus(shop: string, skus: string[]): Promise<Set<string>>;
}

/** Turns actions into deliveries. Knows the vendors; the engine does not. */
export interface ActionExecutor {
  /**
   * Validates the action and returns the idempotency key it is (or will be) delivered under,
   * deterministic from shop + recipe + source; or why it cannot be sent.
   */
  prepare(
    shop: string,
    recipeId: string,
    action: RecipeAction,
  ): { key: string } | { error: string };
  /** Whether the action produces a delivery (false: it is only recorded, e.g. an offer decision). */
  delivers(action: RecipeAction): boolean;
  /** Those of `keys` that were requested before (a replayed event). */
  requested(executeSql: ExecuteSql, keys: string[]): Promise<Set<string>>;
  /** Requests the deliveries inside the caller's transaction. */
  request(
    executeSql: ExecuteSql,
    shop: string,
    recipeId: string,
    actions: RecipeAction[],
  ): Promise<void>;
  /**
   * Records the deliveries as waiting (no job) inside the caller's transaction: their
   * integration is not connected. Reconnecting it delivers them, under the same keys.
   */
  hold(
    executeSql: ExecuteSql,
    shop: string,
    recipeId: string,
    actions: RecipeAction[],
    at: Date,
  ): Promise<void>;
}

export interface EngineServices {
  recipes: readonly AnyRecipe[];
  executor: ActionExecutor;
  /** Absent: no live reads (stale cache is used, and said so). */
  catalog?: LiveCatalogReader;
  /** The integrations a shop has connected ("klaviyo", "gorgias"). */
  connections(shop: string): Promise<Set<string>>;
  /** Enqueues a recipe's follow-up to run at `followUp.at`, inside the caller's transaction. */
  scheduleFollowUp(
    executeSql: ExecuteSql,
    shop: string,
    recipeId: string,
    followUp: FollowUp,
  ): Promise<void>;
}
