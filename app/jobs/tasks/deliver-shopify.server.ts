import { runDelivery } from "../../integrations/delivery/execute.server";
import { defineDeliveryTask } from "./define-delivery-task.server";

/** One Shopify side effect (tags on an order or customer), through the shop's offline access. */
export const deliverShopify = defineDeliveryTask("shopify", {
  run: (key, payload, helpers) => runDelivery("shopify", key, payload, helpers),
});
