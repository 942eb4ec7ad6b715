import type { Database } from "../../db.server";
import type { ShopifyId } from "../../utils/shopify-id";
import type { ProductFacts, StockLevel, VariantView } from "./context";
import type { GuardConfig } from "./guards";
import { readVariant } from "./lookups.server";
import { readProductFacts } from "./product-facts.server";
import type { LiveCatalogReader } from "./services";
import { readStock } from "./stock.server";

/**
 * What the checkout's offer decision (app/post-purchase) uses of the engine, and all it may
 * import from it: the cached-stock SQL it embeds in its one query and the reading of its rows,
 * when a level or product facts are too old, the shared guards' rules it applies to the facts it
 * read, and an offer context that reads stock, product facts and variants as a recipe's would.
 */

export type { GuardVerdict, ProductFacts, StockLevel } from "./context";
export { suppressionReason } from "./guard-facts.server";
export { capOf, type GuardConfig } from "./guards";
export { customerKey } from "./guards.server";
export { PRODUCT_FACTS_MAX_AGE_MS } from "./product-facts.server";
export { cachedStockLevel, cachedStockSql, isStale } from "./stock.server";

/** The reads of a recipe's context an offer decision needs, for one shop and one moment. */
export interface OfferContext {
  /** Units available per variant: cached, or read live when older than the shop's limit. */
  stock(variantIds: ShopifyId[]): Promise<Map<ShopifyId, StockLevel>>;
  /** Tags and collections of products: cached for a day, else read live. */
  productFacts(productIds: ShopifyId[]): Promise<Map<ShopifyId, ProductFacts>>;
  /** The read model's variant. */
  variant(id: ShopifyId): Promise<VariantView | undefined>;
}

export function offerContext(
  database: Database,
  shop: string,
  { now, guards, catalog }: { now: Date; guards: GuardConfig; catalog: LiveCatalogReader },
): OfferContext {
  return {
    stock: (variantIds) =>
      readStock(
        { database, shop, now, maxAgeMs: guards.inventoryMaxAgeMinutes * 60_000, catalog },
        variantIds,
      ),
    productFacts: (productIds) =>
      readProductFacts({ db: database.db, shop, now, catalog }, productIds),
    variant: (id) => readVariant(database.db, shop, id),
  };
}
