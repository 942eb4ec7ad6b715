import { and, eq, inArray } from "drizzle-orm";
import { productFacts, variants } from "../../db/schema/index";
import type { Db } from "../db.server";
import {
  resourceKey,
  type ResourceLabel,
  type ResourceRef,
  type ResourceType,
} from "../utils/schema-form";
import type { ShopifyId } from "../utils/shopify-id";
import { LiveReadUnavailable, type LiveCatalogReader } from "./engine/services";

/**
 * Titles of the products, variants and collections a recipe's settings name, so the settings
 * form shows "Ceramic pour-over — White" where the stored value is a Shopify id. The read model
 * first (variants, product facts); one batched Admin read for the rest (collections always,
 * since we hold no collection titles). What Shopify does not know, or could not be asked about
 * just now, gets a sentence saying so, never the id.
 */

const WORD: Record<ResourceType, string> = {
  product: "product",
  variant: "product variant",
  collection: "collection",
};

/** Shopify answered and has no such resource. */
export const goneLabel = (type: ResourceType): ResourceLabel => ({
  title: `A ${WORD[type]} that is no longer in your store`,
  known: false,
});

/** Shopify could not be asked (throttled, offline, the read budget kept for other work). */
export const unreachableLabel = (type: ResourceType): ResourceLabel => ({
  title: `A ${WORD[type]} whose name Shopify could not give us just now`,
  known: false,
});

/** "Default Title" is what Shopify calls the only variant of a product without options. */
const variantTitle = (product: string, variant: string | null) =>
  variant && variant !== "Default Title" ? `${product} — ${variant}` : product;

type Lookup<T> = { found: Map<ShopifyId, T>; unreachable: boolean };

async function live<T>(read: () => Promise<Map<ShopifyId, T>> | undefined): Promise<Lookup<T>> {
  try {
    const found = await read();
    return found ? { found, unreachable: false } : { found: new Map(), unreachable: true };
  } catch (error) {
    if (error instanceof LiveReadUnavailable) return { found: new Map(), unreachable: true };
    throw error;
  }
}

export async function resourceTitles(
  db: Db,
  shop: string,
  refs: ResourceRef[],
  catalog: LiveCatalogReader | undefined,
): Promise<Record<string, ResourceLabel>> {
  const idsOf = (type: ResourceType) => [
    ...new Set(refs.filter((r) => r.type === type).map((r) => r.id)),
  ];
  const variantIds = idsOf("variant");
  const productIds = idsOf("product");
  const collectionIds = idsOf("collection");
  const labels: Record<string, ResourceLabel> = {};

  // Variants: the read model, then Shopify for those it has not seen.
  const variantRows = new Map<
    ShopifyId,
    { productId: ShopifyId | null; title: string | null; price?: string | null }
  >();
  if (variantIds.length) {
    const rows = await db
      .select({
        id: variants.id,
        productId: variants.productId,
        title: variants.title,
        price: variants.price,
      })
      .from(variants)
      .where(and(eq(variants.shop, shop), inArray(variants.id, variantIds)));
    for (const row of rows) variantRows.set(row.id, row);
  }
  const unseenVariants = variantIds.filter((id) => !variantRows.has(id));
  const liveVariants = unseenVariants.length
    ? await live(() => catalog?.variants(shop, unseenVariants))
    : { found: new Map(), unreachable: false };
  for (const [id, variant] of liveVariants.found) variantRows.set(id, variant);

  // Products (those picked, and those the variants belong to): product facts, then Shopify.
  const wantedProducts = [
    ...new Set([
      ...productIds,
      ...[...variantRows.values()].flatMap((v) => (v.productId ? [v.productId] : [])),
    ]),
  ];
  const productTitles = new Map<ShopifyId, string>();
  if (wantedProducts.length) {
    const rows = await db
      .select({ id: productFacts.productId, title: productFacts.title })
      .from(productFacts)
      .where(and(eq(productFacts.shop, shop), inArray(productFacts.productId, wantedProducts)));
    for (const row of rows) if (row.title) productTitles.set(row.id, row.title);
  }
  const untitled = wantedProducts.filter((id) => !productTitles.has(id));
  const liveProducts = untitled.length
    ? await live(() => catalog?.products(shop, untitled))
    : { found: new Map(), unreachable: false };
  for (const [id, product] of liveProducts.found)
    if (product.title) productTitles.set(id, product.title);

  for (const id of productIds) {
    const title = productTitles.get(id);
    labels[resourceKey("product", id)] = title
      ? { title, known: true }
      : liveProducts.unreachable
        ? unreachableLabel("product")
        : goneLabel("product");
  }
  for (const id of variantIds) {
    const variant = variantRows.get(id);
    const product = variant?.productId ? productTitles.get(variant.productId) : undefined;
    const price = variant?.price ? { price: variant.price } : {};
    labels[resourceKey("variant", id)] = product
      ? { title: variantTitle(product, variant!.title), known: true, ...price }
      : variant?.title && variant.title !== "Default Title"
        ? { title: variant.title, known: true, ...price }
        : variant
          ? unreachableLabel("variant")
          : liveVariants.unreachable
            ? unreachableLabel("variant")
            : goneLabel("variant");
  }

  if (collectionIds.length) {
    const collections = await live(() => catalog?.collections(shop, collectionIds));
    for (const id of collectionIds) {
      const title = collections.found.get(id);
      labels[resourceKey("collection", id)] = title
        ? { title, known: true }
        : collections.unreachable
          ? unreachableLabel("collection")
          : goneLabel("collection");
    }
  }
  return labels;
}
