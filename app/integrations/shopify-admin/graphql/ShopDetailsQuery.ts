/**
 * What the app records about a shop at install: the name merchants see, the currency its money
 * is in, the time zone its days start in, and its plan. Cost: 2.
 */
export const SHOP_DETAILS_QUERY = `#graphql
  query SwitchboardShopDetails {
    shop {
      name
      currencyCode
      ianaTimezone
      plan { displayName }
    }
  }`;
