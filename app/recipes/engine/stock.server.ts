import { sql } from "drizzle-orm";
import { variantStockChecks } from "../../../db/schema/index";
import type { Database } from "../../db.server";
import { linkVariantToInventoryItem } from "../../models/read-model.server";
import { log } from "../../utils/log.server";
import { idText, idTextOrNull, type ShopifyId } from "../../utils/shopify-id";
import type { StockLevel } from "./context";
import { LiveReadUnavailable, type LiveCatalogReader, type LiveVariant } from "./services";

/**
 * Cached stock of variants: the sum of their inventory levels (kept by webhooks) and the last live
 * read, one row per variant id. `shop` and `variantIds` are the SQL parameters to use (the
 * checkout's offer endpoint embeds this in its one query).
 */
export function cachedStockSql(shop: string, variantIds: string): string {
  return `select v.id as variant_id,
                rv.product_id as product_id,
                sum(l.available) as available,
                count(l.available)::int as known,
                count(l.inventory_item_id)::int as levels,
                min(l.refreshed_at) as refreshed_at,
                c.available as checked_available,
                c.checked_at as checked_at
           from unnest(${variantIds}::bigint[]) as v(id)
           left join variants rv on rv.shop = ${shop} and rv.id = v.id
           left join inventory_levels l on l.shop = ${shop} and l.inventory_item_id = rv.inventory_item_id
           left join variant_stock_checks c on c.shop = ${shop} and c.variant_id = v.id
          group by v.id, rv.product_id, c.available, c.checked_at`;
}

/** A row of cachedStockSql (timestamps as Date or JSON strings) as a level: the newer of the two sources wins. */
export function cachedStockLevel(row: Record<string, any>): StockLevel {
  const variantId = idText(row.variant_id);
  const productId = idTextOrNull(row.product_id);
  const levelsAt =
    row.levels > 0 && row.known === row.levels && row.refreshed_at
      ? new Date(row.refreshed_at)
      : null;
  const checkedAt = row.checked_at ? new Date(row.checked_at) : null;
  const useLevels = levelsAt && (!checkedAt || levelsAt >= checkedAt);
  if (useLevels)
    return {
      variantId,
      productId,
      available: Number(row.available),
      source: "cache",
      checkedAt: levelsAt,
    };
  if (checkedAt)
    return {
      variantId,
      productId,
      available: row.checked_available === null ? null : Number(row.checked_available),
      source: "cache",
      checkedAt,
    };
  return { variantId, productId, available: null, source: "unknown", checkedAt: null };
}

/** Too old to decide on (the shop's inventory age limit): read live. */
export function isStale(level: StockLevel, nowMs: number, maxAgeMs: number): boolean {
  return !level.checkedAt || nowMs - level.checkedAt.getTime() > maxAgeMs;
}

/** Where one shop's stock is read from, and how old a cached level may be. */
export interface StockSource {
  database: Database;
  shop: string;
  now: Date;
  /** The shop's inventory age limit. */
  maxAgeMs: number;
  /** Absent: no live reads (stale levels are used, and said so). */
  catalog: LiveCatalogReader | undefined;
}

/**
 * Stock per variant. The read model (inventory levels summed over locations, or an earlier
 * live read) is used when its oldest piece is younger than the shop's limit; otherwise one
 * batched Admin read (3 cost points per variant) refreshes every stale variant at once.
 */
export async function readStock(
  source: StockSource,
  variantIds: ShopifyId[],
): Promise<Map<ShopifyId, StockLevel>> {
  const { database, shop, now, maxAgeMs, catalog } = source;
  const ids = [...new Set(variantIds)].sort();
  const result = new Map<ShopifyId, StockLevel>();
  if (ids.length === 0) return result;
  const cached = await database.executeSql(cachedStockSql("$1", "$2"), [shop, ids], {
    prepare: true,
  });
  const stale: ShopifyId[] = [];
  for (const row of cached.rows) {
    const level = cachedStockLevel(row);
    if (isStale(level, now.getTime(), maxAgeMs)) stale.push(level.variantId);
    result.set(level.variantId, level);
  }
  if (stale.length === 0) return result;
  const markStale = (note: string) => {
    for (const id of stale) {
      const level = result.get(id)!;
      result.set(id, { ...level, source: level.checkedAt ? "stale" : "unknown", note });
    }
  };
  if (!catalog) {
    markStale("no live stock reader");
    return result;
  }
  try {
    const live = await catalog.variants(shop, stale);
    const checkedAt = now;
    for (const id of stale) {
      const variant = live.get(id);
      result.set(
        id,
        variant
          ? {
              variantId: id,
              productId: variant.productId,
              available: variant.available,
              source: "live",
              checkedAt,
            }
          : {
              variantId: id,
              available: null,
              source: "unknown",
              checkedAt,
              note: "Shopify has no such variant",
            },
      );
    }
    await rememberLiveVariants(database, shop, [...live.values()], checkedAt);
  } catch (error) {
    if (!(error instanceof LiveReadUnavailable)) throw error;
    log.info(`[recipes] ${shop}: live stock read skipped: ${error.message}`);
    markStale(error.message);
  }
  return result;
}

async function rememberLiveVariants(
  database: Database,
  shop: string,
  live: LiveVariant[],
  checkedAt: Date,
) {
  if (live.length === 0) return;
  await database.db
    .insert(variantStockChecks)
    .values(live.map((v) => ({ shop, variantId: v.id, available: v.available, checkedAt })))
    .onConflictDoUpdate({
      target: [variantStockChecks.shop, variantStockChecks.variantId],
      set: { available: sql`excluded.available`, checkedAt: sql`excluded.checked_at` },
    });
  // Learning the variant ↔ inventory item link lets later inventory webhooks join.
  for (const v of live) {
    if (v.inventoryItemId) {
      await linkVariantToInventoryItem(database.db, shop, {
        id: v.id,
        productId: v.productId,
        inventoryItemId: v.inventoryItemId,
        sku: v.sku,
        title: v.title,
        price: v.price,
      });
    }
  }
}
