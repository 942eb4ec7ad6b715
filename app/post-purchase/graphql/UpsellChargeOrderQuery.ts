/**
 * The order a committed edit changed, as far as confirming a post-purchase charge needs it: its
 * customer, when it was created and its lines (variant, quantity, unit price and discounts in
 * the shop's currency). A post-purchase order has a handful of lines. Cost ~25.
 */
export const UPSELL_CHARGE_ORDER_QUERY = `#graphql
  query SwitchboardUpsellChargeOrder($id: ID!) {
    order(id: $id) {
      id
      createdAt
      customer { id }
      lineItems(first: 20) {
        nodes {
          quantity
          variant { id }
          originalUnitPriceSet { shopMoney { amount } }
          discountAllocations { allocatedAmountSet { shopMoney { amount } } }
        }
      }
    }
  }`;

export const UPSELL_CHARGE_ORDER_COST = 25;
