/** Which of these collection ids exist. Cost: 1 per id. */
export const COLLECTIONS_QUERY = `#graphql
  query SwitchboardCollections($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Collection { id title }
    }
  }`;
