/** What the post-purchase page shows of the offered variant: titles, price and an image. Cost ~3. */
export const OFFER_VARIANT_QUERY = `#graphql
  query SwitchboardOfferVariant($id: ID!) {
    productVariant(id: $id) {
      id
      title
      price
      image { url }
      product { id title featuredImage { url } }
    }
  }`;

export const OFFER_VARIANT_COST = 3;
