import { withTransaction } from "../../db.server";
import { adminRequest, type AdminData } from "../../integrations/shopify-admin/client.server";
import { confirmUpsellCharges, type OrderEvidence } from "../../post-purchase/charges.server";
import {
  UPSELL_CHARGE_ORDER_COST,
  UPSELL_CHARGE_ORDER_QUERY,
} from "../../post-purchase/graphql/UpsellChargeOrderQuery";
import { parseShopifyId, shopifyGid } from "../../utils/shopify-id";
import { confirmUpsellChargeTask } from "../contracts";
import { defineTask } from "../define-task";
import { adminFailureAsTaskError } from "./admin-failure.server";
import { TerminalError } from "../errors";

/** The order as the document asks for it (generated, app/types/admin.generated.d.ts). */
type ChargeOrder = NonNullable<AdminData<typeof UPSELL_CHARGE_ORDER_QUERY>["order"]>;

/** Shopify's order in the shape the charge confirmation reads (what a webhook's order says). */
function evidenceOf(order: ChargeOrder, orderId: string): OrderEvidence {
  return {
    id: orderId,
    created_at: new Date(order.createdAt),
    customer: order.customer ? { id: parseShopifyId(order.customer.id, "Customer")! } : null,
    line_items: order.lineItems.nodes.map((line) => ({
      variant_id: line.variant ? parseShopifyId(line.variant.id, "ProductVariant") : null,
      quantity: line.quantity,
      price: line.originalUnitPriceSet.shopMoney.amount,
      price_set: { shop_money: { amount: line.originalUnitPriceSet.shopMoney.amount } },
      discount_allocations: line.discountAllocations.map((allocation) => ({
        amount: allocation.allocatedAmountSet.shopMoney.amount,
        amount_set: { shop_money: { amount: allocation.allocatedAmountSet.shopMoney.amount } },
      })),
    })),
  };
}

/**
 * orders/edited names the added lines by id only: one small Admin read of the order tells their
 * variants, and the offers they confirm are charged (app/post-purchase/charges.server.ts), with
 * the Klaviyo event committed alongside. Harmless to repeat: a charged offer is never charged again.
 */
export const confirmUpsellCharge = defineTask({
  ...confirmUpsellChargeTask,
  async run({ shop, orderId }, { database, queue, clock }) {
    let order: ChargeOrder | null | undefined;
    try {
      ({
        data: { order },
      } = await adminRequest(
        shop,
        UPSELL_CHARGE_ORDER_QUERY,
        { id: shopifyGid("Order", orderId) },
        { estimatedCost: UPSELL_CHARGE_ORDER_COST },
      ));
    } catch (error) {
      throw adminFailureAsTaskError(error, shop);
    }
    if (!order) throw new TerminalError(`Shopify has no order ${orderId}`);
    const evidence = evidenceOf(order, orderId);
    await withTransaction(database, (executeSql) =>
      confirmUpsellCharges({ executeSql, queue }, [{ shop, order: evidence }], clock.now()),
    );
  },
});
