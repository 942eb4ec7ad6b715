import {
  LiveReadUnavailable,
  type LiveCatalogReader,
  type LiveProduct,
  type LiveVariant,
} from "../../recipes/engine/services";
import { parseShopifyId, shopifyGid, type ShopifyId } from "../../utils/shopify-id";
import { adminRequest, AdminRequestError } from "./client.server";
import { COLLECTIONS_QUERY } from "./graphql/CollectionsQuery";
import { PRODUCT_FACTS_COST_PER_ID, PRODUCT_FACTS_QUERY } from "./graphql/ProductFactsQuery";
import { VARIANT_STOCK_COST_PER_ID, VARIANT_STOCK_QUERY } from "./graphql/VariantStockQuery";
import { VARIANTS_BY_SKU_QUERY } from "./graphql/VariantsBySkuQuery";

const chunks = <T>(items: T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, i * size + size),
  );

/** Every failure of an optional read means "use what you have". */
async function read<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AdminRequestError) throw new LiveReadUnavailable(error.message);
    throw error;
  }
}

/** The recipes' live reads of the shop's catalog, batched and cost-aware. */
export const shopifyCatalog: LiveCatalogReader = {
  variants: (shop, ids) =>
    read(async () => {
      const found = new Map<ShopifyId, LiveVariant>();
      for (const batch of chunks(ids, 100)) {
        const { data } = await adminRequest(
          shop,
          VARIANT_STOCK_QUERY,
          { ids: batch.map((id) => shopifyGid("ProductVariant", id)) },
          { estimatedCost: batch.length * VARIANT_STOCK_COST_PER_ID, optional: true },
        );
        for (const node of data.nodes ?? []) {
          const id = node?.id ? parseShopifyId(String(node.id), "ProductVariant") : null;
          if (!node || !id) continue;
          found.set(id, {
            id,
            productId: node.product?.id ? parseShopifyId(String(node.product.id)) : null,
            inventoryItemId: node.inventoryItem?.id
              ? parseShopifyId(String(node.inventoryItem.id))
              : null,
            sku: node.sku ?? null,
            title: node.title ?? null,
            price: node.price === undefined || node.price === null ? null : String(node.price),
            available: typeof node.inventoryQuantity === "number" ? node.inventoryQuantity : null,
          });
        }
      }
      return found;
    }),

  products: (shop, ids) =>
    read(async () => {
      const found = new Map<ShopifyId, LiveProduct>();
      for (const batch of chunks(ids, 50)) {
        const { data } = await adminRequest(
          shop,
          PRODUCT_FACTS_QUERY,
          { ids: batch.map((id) => shopifyGid("Product", id)) },
          { estimatedCost: batch.length * PRODUCT_FACTS_COST_PER_ID, optional: true },
        );
        for (const node of data.nodes ?? []) {
          const id = node?.id ? parseShopifyId(String(node.id), "Product") : null;
          if (!node || !id) continue;
          found.set(id, {
            id,
            title: node.title ?? null,
            tags: Array.isArray(node.tags) ? node.tags.map(String) : [],
            collectionIds: (node.collections?.nodes ?? []).flatMap(
              (c) => parseShopifyId(String(c.id), "Collection") ?? [],
            ),
          });
        }
      }
      return found;
    }),

  collections: (shop, ids) =>
    read(async () => {
      const found = new Map<ShopifyId, string | null>();
      for (const batch of chunks(ids, 100)) {
        const { data } = await adminRequest(
          shop,
          COLLECTIONS_QUERY,
          { ids: batch.map((id) => shopifyGid("Collection", id)) },
          { estimatedCost: batch.length },
        );
        for (const node of data.nodes ?? []) {
          const id = node?.id ? parseShopifyId(String(node.id), "Collection") : null;
          if (node && id) found.set(id, node.title ?? null);
        }
      }
      return found;
    }),

  skus: (shop, skus) =>
    read(async () => {
      const found = new Set<string>();
      for (const batch of chunks(skus, 20)) {
        const query = batch.map((sku) => `sku:"${sku.replace(/["\\]/g, "")}"`).join(" OR ");
        const first = Math.min(100, batch.length * 5);
        const { data } = await adminRequest(
          shop,
          VARIANTS_BY_SKU_QUERY,
          { query, first },
          { estimatedCost: 2 + first },
        );
        for (const node of data.productVariants?.nodes ?? [])
          if (node.sku && batch.includes(node.sku)) found.add(node.sku);
      }
      return found;
    }),
};
