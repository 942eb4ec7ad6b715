import { expect, it } from "vitest";
import { productFacts, variants } from "../../db/schema/index";
import { resourceTitles } from "../../app/recipes/resource-titles.server";
import {
  LiveReadUnavailable,
  type LiveCatalogReader,
  type LiveProduct,
} from "../../app/recipes/engine/services";
import type { ResourceRef } from "../../app/utils/schema-form";
import { describeEachDatabase } from "../helpers/database";

const SHOP = "titles-a.myshopify.com";
const OTHER_SHOP = "titles-b.myshopify.com";
// Above 2^53: a number would round it, and the label would be filed under another id.
const BIG_VARIANT = "9007199254740993";
const MUG = "8412650000001";
const TEE = "8412650000002";
const GONE = "8412659999999";

/** Shopify's live catalog as the Admin API answers it: these resources, or no answer at all. */
function shopifyKnows(
  known: {
    products?: Record<string, string>;
    collections?: Record<string, string>;
  },
  { unavailable = false } = {},
): LiveCatalogReader & { asked: string[] } {
  const asked: string[] = [];
  const answer = <T>(what: string, ids: string[], value: () => T) => {
    asked.push(`${what}:${ids.join(",")}`);
    if (unavailable) return Promise.reject(new LiveReadUnavailable("throttled"));
    return Promise.resolve(value());
  };
  return {
    asked,
    variants: (_shop, ids) => answer("variants", ids, () => new Map()),
    products: (_shop, ids) =>
      answer("products", ids, () => {
        const found = new Map<string, LiveProduct>();
        for (const id of ids)
          if (known.products?.[id])
            found.set(id, { id, title: known.products[id]!, tags: [], collectionIds: [] });
        return found;
      }),
    collections: (_shop, ids) =>
      answer("collections", ids, () => {
        const found = new Map<string, string | null>();
        for (const id of ids) if (known.collections?.[id]) found.set(id, known.collections[id]!);
        return found;
      }),
    skus: () => Promise.resolve(new Set()),
  };
}

describeEachDatabase("titles of the resources settings name", (suite) => {
  const db = () => suite.use().database.db;

  it("names variants 'Product — Variant' from the read model, and a product Shopify knows by its title, without asking Shopify for what we hold", async () => {
    await db()
      .insert(variants)
      .values([
        { shop: SHOP, id: BIG_VARIANT, productId: MUG, title: "Speckled white" },
        { shop: SHOP, id: "45118200000030", productId: TEE, title: "Default Title" },
        // Another shop's row for the same id is not this shop's variant.
        { shop: OTHER_SHOP, id: "45118200000031", productId: MUG, title: "Elsewhere" },
      ]);
    await db()
      .insert(productFacts)
      .values([
        { shop: SHOP, productId: MUG, title: "Ceramic mug" },
        { shop: SHOP, productId: TEE, title: "Logo tee" },
      ]);
    const catalog = shopifyKnows({ products: { "8412650000003": "Pour-over kettle" } });
    const refs: ResourceRef[] = [
      { type: "variant", id: BIG_VARIANT },
      { type: "variant", id: "45118200000030" },
      { type: "product", id: MUG },
      { type: "product", id: "8412650000003" },
    ];
    expect(await resourceTitles(db(), SHOP, refs, catalog)).toEqual({
      [`variant/${BIG_VARIANT}`]: { title: "Ceramic mug — Speckled white", known: true },
      "variant/45118200000030": { title: "Logo tee", known: true },
      [`product/${MUG}`]: { title: "Ceramic mug", known: true },
      "product/8412650000003": { title: "Pour-over kettle", known: true },
    });
    // Only what the read model lacks went to Shopify.
    expect(catalog.asked).toEqual(["products:8412650000003"]);

    const elsewhere = await resourceTitles(
      db(),
      SHOP,
      [{ type: "variant", id: "45118200000031" }],
      shopifyKnows({}),
    );
    expect(elsewhere["variant/45118200000031"]).toEqual({
      title: "A product variant that is no longer in your store",
      known: false,
    });
  });

  it("says a product or collection is no longer in the store when Shopify has no such id, and names collections Shopify knows", async () => {
    const labels = await resourceTitles(
      db(),
      SHOP,
      [
        { type: "product", id: GONE },
        { type: "collection", id: "31000000001" },
        { type: "collection", id: "31000000002" },
      ],
      shopifyKnows({ collections: { "31000000001": "Brewing gear" } }),
    );
    expect(labels).toEqual({
      [`product/${GONE}`]: { title: "A product that is no longer in your store", known: false },
      "collection/31000000001": { title: "Brewing gear", known: true },
      "collection/31000000002": {
        title: "A collection that is no longer in your store",
        known: false,
      },
    });
  });

  it("says Shopify could not name it just now when the live read is withheld, never showing the id", async () => {
    const refs: ResourceRef[] = [
      { type: "product", id: GONE },
      { type: "variant", id: "45118299999999" },
      { type: "collection", id: "31000000003" },
    ];
    for (const catalog of [shopifyKnows({}, { unavailable: true }), undefined]) {
      const labels = await resourceTitles(db(), SHOP, refs, catalog);
      expect(labels).toEqual({
        [`product/${GONE}`]: {
          title: "A product whose name Shopify could not give us just now",
          known: false,
        },
        "variant/45118299999999": {
          title: "A product variant whose name Shopify could not give us just now",
          known: false,
        },
        "collection/31000000003": {
          title: "A collection whose name Shopify could not give us just now",
          known: false,
        },
      });
      for (const label of Object.values(labels)) expect(label.title).not.toMatch(/\d{5,}/);
    }
  });
});
