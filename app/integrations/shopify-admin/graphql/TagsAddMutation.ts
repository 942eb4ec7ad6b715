/** Adds tags to an order or customer (tags already there are left alone). Cost: 10. */
export const TAGS_ADD_MUTATION = `#graphql
  mutation SwitchboardTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      node { id }
      userErrors { field message }
    }
  }`;
