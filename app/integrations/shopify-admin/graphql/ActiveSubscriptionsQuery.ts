/**
 * The app's active subscriptions with their lines: the usage line's id is what usage records
 * are created on, and its capped amount's currency is the one they must be in. Cost: ~5.
 */
export const ACTIVE_SUBSCRIPTIONS_QUERY = `#graphql
  query SwitchboardActiveSubscriptions {
    currentAppInstallation {
      activeSubscriptions {
        id
        lineItems {
          id
          plan {
            pricingDetails {
              __typename
              ... on AppUsagePricing {
                cappedAmount { currencyCode }
              }
            }
          }
        }
      }
    }
  }`;
