/** Variants whose SKU is one of a few (`sku:"A" OR sku:"B"`). Cost: 2 + first. */
export const VARIANTS_BY_SKU_QUERY = `#graphql
  query SwitchboardVariantsBySku($query: String!, $first: Int!) {
    productVariants(first: $first, query: $query) {
      nodes { id sku }
    }
  }`;
