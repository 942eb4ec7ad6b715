import type { ExecuteSql } from "../db.server";
import { isDeliveryKind, type DeliveryActionInput } from "../integrations/delivery/actions";
import { deliveryKey, requestDelivery } from "../integrations/delivery/request.server";
import { errorMessage } from "../jobs/errors";
import type { Enqueuer } from "../jobs/contracts";
import type { RecipeAction } from "./engine/define-recipe";
import type { ActionExecutor } from "./engine/services";

/**
 * Where recipe actions become deliveries: Klaviyo, Gorgias and Shopify actions through the
 * integrations' `requestDelivery`, offer decisions nowhere (the run records them). Keys are the
 * deliveries' idempotency keys, derived from shop + recipe + source (+ kind, target,
 * discriminator).
 */

function deliveryInput(shop: string, recipeId: string, action: RecipeAction): DeliveryActionInput {
  return {
    ...(action.data as object),
    shop,
    recipe: recipeId,
    source: action.source,
    ...(action.discriminator ? { discriminator: action.discriminator } : {}),
  } as DeliveryActionInput;
}

/** The executor the engine hands actions to, requesting deliveries on `queue`. */
export const deliveryExecutor = (queue: Enqueuer): ActionExecutor => ({
  prepare(shop, recipeId, action) {
    try {
      if (isDeliveryKind(action.kind)) {
        return { key: deliveryKey(deliveryInput(shop, recipeId, action)) };
      }
      if (action.kind === "offer")
        return {
          key: `offer:${shop}:${recipeId}:${action.source}${action.discriminator ? `:${action.discriminator}` : ""}`,
        };
      return { error: `unknown action kind "${action.kind}"` };
    } catch (error) {
      return { error: `it could not be sent: ${errorMessage(error)}` };
    }
  },
  delivers: (action) => action.kind !== "offer",
  async requested(executeSql, keys) {
    const { rows } = await executeSql(
      `select idempotency_key from deliveries where idempotency_key = any($1::text[])`,
      [keys],
    );
    return new Set(rows.map((r) => r.idempotency_key as string));
  },
  async request(executeSql: ExecuteSql, shop, recipeId, actions) {
    for (const action of actions) {
      if (isDeliveryKind(action.kind))
        await requestDelivery({ queue, executeSql }, deliveryInput(shop, recipeId, action));
    }
  },
  async hold(executeSql: ExecuteSql, shop, recipeId, actions, at) {
    for (const action of actions) {
      if (isDeliveryKind(action.kind))
        await requestDelivery({ queue, executeSql }, deliveryInput(shop, recipeId, action), {
          heldAt: at,
        });
    }
  },
});
