/**
 * The store's history, read with Shopify's Bulk Operations API (the import at install). Bulk
 * queries take no variables, so the window is written into the document; each runs as the
 * `query` of `bulkOperationRunQuery` and comes back as JSONL: one line per node, nested
 * connection nodes on their own lines with `__parentId` naming their parent (a line item's
 * parent is its order, an inventory level's its variant). Lists (fulfillments, refunds) and
 * objects (customer) stay inline on their parent's line. At most 5 connections, 2 levels deep.
 */

/**
 * The window's start stands in the document as a placeholder (not interpolated) so the codegen
 * can read the document as written; historyOrdersBulkQuery fills it in.
 */
const SINCE_PLACEHOLDER = "SINCE_ISO_TIMESTAMP";

/** Orders created since the window start, with customer, line items, fulfillments and refunds. */
export const HISTORY_ORDERS_BULK_QUERY = `#graphql
  query SwitchboardHistoryOrders {
    orders(query: "created_at:>='SINCE_ISO_TIMESTAMP'", sortKey: CREATED_AT) {
      edges {
        node {
          id
          name
          email
          currencyCode
          presentmentCurrencyCode
          shippingAddress { countryCodeV2 }
          totalPriceSet { shopMoney { amount } presentmentMoney { amount } }
          subtotalPriceSet { shopMoney { amount } }
          totalTaxSet { shopMoney { amount } }
          currentTotalPriceSet { shopMoney { amount } }
          displayFinancialStatus
          displayFulfillmentStatus
          tags
          cancelledAt
          processedAt
          createdAt
          updatedAt
          customer {
            id
            email
            firstName
            lastName
            phone
            tags
            updatedAt
            emailMarketingConsent { marketingState }
          }
          refunds { id createdAt }
          fulfillments {
            id
            status
            displayStatus
            createdAt
            updatedAt
            estimatedDeliveryAt
            deliveredAt
            trackingInfo { company number url }
          }
          lineItems {
            edges {
              node {
                id
                sku
                title
                quantity
                originalUnitPriceSet { shopMoney { amount } }
                variant { id }
                product { id }
              }
            }
          }
        }
      }
    }
  }`;

/** The orders bulk query for orders created since `since`. */
export function historyOrdersBulkQuery(since: Date): string {
  return HISTORY_ORDERS_BULK_QUERY.replace(SINCE_PLACEHOLDER, since.toISOString());
}

/** Every variant with its inventory item and the item's available quantity at each location. */
export const HISTORY_STOCK_BULK_QUERY = `#graphql
  query SwitchboardHistoryStock {
    productVariants {
      edges {
        node {
          id
          sku
          title
          price
          product { id }
          inventoryItem {
            id
            inventoryLevels {
              edges {
                node {
                  id
                  updatedAt
                  location { id }
                  quantities(names: ["available"]) { name quantity }
                }
              }
            }
          }
        }
      }
    }
  }`;
