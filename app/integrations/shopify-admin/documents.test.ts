import { parse, getOperationAST } from "graphql";
import { describe, expect, it } from "vitest";
import {
  loadAdminSchema,
  requestedQueryCost,
  validateAdminDocument,
} from "../../../sandbox/fakes/shopify-admin";
import { COLLECTIONS_QUERY } from "./graphql/CollectionsQuery";
import { HISTORY_STOCK_BULK_QUERY, historyOrdersBulkQuery } from "./graphql/HistoryBulkQueries";
import { PRODUCT_FACTS_COST_PER_ID, PRODUCT_FACTS_QUERY } from "./graphql/ProductFactsQuery";
import { SHOP_DETAILS_QUERY } from "./graphql/ShopDetailsQuery";
import { TAGS_ADD_MUTATION } from "./graphql/TagsAddMutation";
import { VARIANT_STOCK_COST_PER_ID, VARIANT_STOCK_QUERY } from "./graphql/VariantStockQuery";
import { VARIANTS_BY_SKU_QUERY } from "./graphql/VariantsBySkuQuery";

const DOCUMENTS = {
  SwitchboardTagsAdd: TAGS_ADD_MUTATION,
  SwitchboardVariantStock: VARIANT_STOCK_QUERY,
  SwitchboardProductFacts: PRODUCT_FACTS_QUERY,
  SwitchboardCollections: COLLECTIONS_QUERY,
  SwitchboardVariantsBySku: VARIANTS_BY_SKU_QUERY,
  SwitchboardHistoryOrders: historyOrdersBulkQuery(new Date()),
  SwitchboardHistoryStock: HISTORY_STOCK_BULK_QUERY,
  SwitchboardShopDetails: SHOP_DETAILS_QUERY,
};

const cost = (source: string, variables: Record<string, unknown>) => {
  const document = parse(source);
  return requestedQueryCost(
    loadAdminSchema().schema,
    document,
    getOperationAST(document)!,
    variables,
  );
};

describe("Admin GraphQL documents the recipes send", () => {
  for (const [name, source] of Object.entries(DOCUMENTS)) {
    it(`${name} is valid against the Admin schema`, () => {
      expect(validateAdminDocument(source).map((e) => e.message)).toEqual([]);
      expect(source).toContain(name);
    });
  }

  it("costs what the client budgets for", () => {
    const ids = (n: number, type: string) =>
      Array.from({ length: n }, (_, i) => `gid://shopify/${type}/${i + 1}`);
    expect(cost(VARIANT_STOCK_QUERY, { ids: ids(100, "ProductVariant") })).toBe(
      100 * VARIANT_STOCK_COST_PER_ID,
    );
    expect(cost(PRODUCT_FACTS_QUERY, { ids: ids(50, "Product") })).toBe(
      50 * PRODUCT_FACTS_COST_PER_ID,
    );
    // The largest batches stay well under Shopify's 1,000-point ceiling for one query.
    expect(100 * VARIANT_STOCK_COST_PER_ID).toBeLessThan(1000);
    expect(50 * PRODUCT_FACTS_COST_PER_ID).toBeLessThan(1000);
    expect(cost(SHOP_DETAILS_QUERY, {})).toBe(2);
    expect(cost(TAGS_ADD_MUTATION, { id: "gid://shopify/Order/1", tags: ["white-glove"] })).toBe(
      10,
    );
  });
});
