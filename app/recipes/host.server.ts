import type { Database } from "../db.server";
import { shopifyCatalog } from "../integrations/shopify-admin/catalog.server";
import { runRecipesTask, type Enqueuer, type RunRecipesPayload } from "../jobs/contracts";
import { connectedIntegrations } from "../models/integrations.server";
import { deliveryExecutor } from "./dispatch.server";
import type { FollowUp } from "./engine/define-recipe";
import type { EngineServices } from "./engine/services";
import { RECIPES } from "./registry";

/**
 * The engine wired to this app: the registry's recipes, deliveries through the integrations,
 * live catalog reads through the Admin API, and follow-ups as delayed run-recipes jobs, all on
 * the queue it is given.
 */
export function engineServices(database: Database, queue: Enqueuer): EngineServices {
  return {
    recipes: RECIPES,
    executor: deliveryExecutor(queue),
    catalog: shopifyCatalog,
    connections: (shop) => connectedIntegrations(database.db, shop),
    async scheduleFollowUp(executeSql, shop, recipeId, followUp) {
      await queue.enqueue(runRecipesTask, followUpPayload(shop, recipeId, followUp), {
        executeSql,
        startAfter: followUp.at,
      });
    },
  };
}

export function followUpPayload(
  shop: string,
  recipeId: string,
  followUp: FollowUp,
): RunRecipesPayload {
  return {
    type: "follow-up",
    shop,
    recipe: recipeId,
    name: followUp.name,
    subject: followUp.subject,
    dueAt: followUp.at.toISOString(),
    attempt: followUp.attempt ?? 1,
    data: followUp.data ?? {},
  };
}
