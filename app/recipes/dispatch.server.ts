import type { ExecuteSql } from "../db.server";
import { actionSourceId, deliveryActionSchema, type DeliveryActionInput } from "../integrations/delivery/actions";
import { requestDelivery } from "../integrations/delivery/request.server";
import { shopifyActionKey, shopifyTagsAddAction } from "../integrations/shopify-admin/actions";
import { errorMessage } from "../jobs/errors";
import { requestShopifyDelivery } from "../jobs/tasks/deliver-shopify.server";
import type { RecipeAction } from "./engine/define-recipe";
import type { ActionExecutor } from "./engine/services";

/**
 * Where recipe actions become deliveries: Klaviyo and Gorgias actions through the integrations'
 * `requestDelivery`, Shopify tags through the deliver-shopify task, offer decisions nowhere (the
 * run records them). Keys are the deliveries' idempotency keys, derived from shop + recipe +
 * source (+ kind, target, discriminator).
 */

const DELIVERY_VENDORS: Record<string, string> = {
  "klaviyo-event": "deliver-klaviyo",
  "klaviyo-profile": "deliver-klaviyo",
  "klaviyo-list-add": "deliver-klaviyo",
  "klaviyo-list-remove": "deliver-klaviyo",
  "gorgias-ticket": "deliver-gorgias",
  "gorgias-tag": "deliver-gorgias",
  "gorgias-note": "deliver-gorgias",
};

function vendorInput(shop: string, recipeId: string, action: RecipeAction): DeliveryActionInput {
  return {
    ...(action.data as object),
    shop,
    recipe: recipeId,
    source: action.source,
    ...(action.discriminator ? { discriminator: action.discriminator } : {}),
  } as DeliveryActionInput;
}

function shopifyInput(shop: string, recipeId: string, action: RecipeAction) {
  return shopifyTagsAddAction.parse({
    ...(action.data as object),
    shop,
    recipe: recipeId,
    source: action.source,
    ...(action.discriminator ? { discriminator: action.discriminator } : {}),
  });
}

export const deliveryExecutor: ActionExecutor = {
  prepare(shop, recipeId, action) {
    try {
      const task = DELIVERY_VENDORS[action.kind];
      if (task) {
        const parsed = deliveryActionSchema.parse(vendorInput(shop, recipeId, action));
        return { key: `${task}:${shop}:${actionSourceId(parsed)}` };
      }
      if (action.kind === "shopify-tags-add") return { key: shopifyActionKey(shopifyInput(shop, recipeId, action)) };
      if (action.kind === "offer") return { key: `offer:${shop}:${recipeId}:${action.source}${action.discriminator ? `:${action.discriminator}` : ""}` };
      return { error: `unknown action kind "${action.kind}"` };
    } catch (error) {
      return { error: `it could not be sent: ${errorMessage(error)}` };
    }
  },
  delivers: (action) => action.kind !== "offer",
  async requested(executeSql, keys) {
    const { rows } = await executeSql(`select idempotency_key from deliveries where idempotency_key = any($1::text[])`, [keys]);
    return new Set(rows.map((r) => r.idempotency_key as string));
  },
  async request(executeSql: ExecuteSql, shop, recipeId, actions) {
    // Imported when needed: runtime.server imports every task, and the tasks import this module.
    const { getRuntime } = await import("../runtime.server");
    const { queue } = await getRuntime();
    for (const action of actions) {
      if (DELIVERY_VENDORS[action.kind]) await requestDelivery({ queue, executeSql }, vendorInput(shop, recipeId, action));
      else if (action.kind === "shopify-tags-add") await requestShopifyDelivery(queue, executeSql, shopifyInput(shop, recipeId, action));
    }
  },
};
