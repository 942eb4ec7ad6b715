import { and, eq, inArray, sql } from "drizzle-orm";
import { productFacts } from "../../../db/schema/index";
import type { Db } from "../../db.server";
import { log } from "../../utils/log.server";
import type { ShopifyId } from "../../utils/shopify-id";
import type { ProductFacts } from "./context";
import { LiveReadUnavailable, type LiveCatalogReader } from "./services";

/** Product facts are re-read from Shopify after a day. */
export const PRODUCT_FACTS_MAX_AGE_MS = 86_400_000;

/** Where one shop's product facts are read from. */
export interface ProductFactsSource {
  db: Db;
  shop: string;
  now: Date;
  /** Absent: the cache is all there is, however old. */
  catalog: LiveCatalogReader | undefined;
}

/** Tags and collections of products, from a day-old cache or one batched Admin read. */
export async function readProductFacts(
  source: ProductFactsSource,
  productIds: ShopifyId[],
): Promise<Map<ShopifyId, ProductFacts>> {
  const { db, shop, now, catalog } = source;
  const ids = [...new Set(productIds)].sort();
  const result = new Map<ShopifyId, ProductFacts>();
  if (ids.length === 0) return result;
  const rows = await db
    .select()
    .from(productFacts)
    .where(and(eq(productFacts.shop, shop), inArray(productFacts.productId, ids)));
  const fresh = new Set<ShopifyId>();
  for (const row of rows) {
    result.set(row.productId, {
      productId: row.productId,
      title: row.title,
      tags: row.tags,
      collectionIds: row.collectionIds,
    });
    if (now.getTime() - row.fetchedAt.getTime() < PRODUCT_FACTS_MAX_AGE_MS)
      fresh.add(row.productId);
  }
  const missing = ids.filter((id) => !fresh.has(id));
  if (missing.length === 0 || !catalog) return result;
  try {
    const live = await catalog.products(shop, missing);
    const fetchedAt = now;
    for (const product of live.values())
      result.set(product.id, {
        productId: product.id,
        title: product.title,
        tags: product.tags,
        collectionIds: product.collectionIds,
      });
    if (live.size > 0) {
      await db
        .insert(productFacts)
        .values(
          [...live.values()].map((p) => ({
            shop,
            productId: p.id,
            title: p.title,
            tags: p.tags,
            collectionIds: p.collectionIds,
            fetchedAt,
          })),
        )
        .onConflictDoUpdate({
          target: [productFacts.shop, productFacts.productId],
          set: {
            title: sql`excluded.title`,
            tags: sql`excluded.tags`,
            collectionIds: sql`excluded.collection_ids`,
            fetchedAt: sql`excluded.fetched_at`,
          },
        });
    }
  } catch (error) {
    if (!(error instanceof LiveReadUnavailable)) throw error;
    log.info(`[recipes] ${shop}: product facts read skipped: ${error.message}`);
  }
  return result;
}
