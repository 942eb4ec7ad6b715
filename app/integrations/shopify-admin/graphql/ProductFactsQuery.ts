/** Tags and (up to 10) collections of up to 50 products. Cost: 13 per product. */
export const PRODUCT_FACTS_QUERY = `#graphql
  query SwitchboardProductFacts($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product {
        id
        title
        tags
        collections(first: 10) { nodes { id } }
      }
    }
  }`;

/** Requested cost per product id (nodes: 1 + collections connection 2 + 10 × 1). */
export const PRODUCT_FACTS_COST_PER_ID = 13;
