/**
 * Bills one usage charge on the subscription's usage line. Shopify answers a repeated
 * `idempotencyKey` with the record it already made, so a retry never bills twice. Cost: 10.
 */
export const APP_USAGE_RECORD_CREATE_MUTATION = `#graphql
  mutation SwitchboardAppUsageRecordCreate(
    $subscriptionLineItemId: ID!
    $price: MoneyInput!
    $description: String!
    $idempotencyKey: String!
  ) {
    appUsageRecordCreate(
      subscriptionLineItemId: $subscriptionLineItemId
      price: $price
      description: $description
      idempotencyKey: $idempotencyKey
    ) {
      appUsageRecord { id }
      userErrors { field message }
    }
  }`;
