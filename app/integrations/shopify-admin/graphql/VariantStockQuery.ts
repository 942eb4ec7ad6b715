/**
 * Stock of up to 100 variants in one call: inventoryQuantity (sellable units over all
 * locations) plus the ids that link the variant to inventory webhooks. Cost: 3 per variant.
 */
export const VARIANT_STOCK_QUERY = `#graphql
  query SwitchboardVariantStock($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on ProductVariant {
        id
        sku
        title
        price
        inventoryQuantity
        product { id }
        inventoryItem { id }
      }
    }
  }`;

/** Requested cost per variant id (nodes: 1 + product 1 + inventoryItem 1). */
export const VARIANT_STOCK_COST_PER_ID = 3;
