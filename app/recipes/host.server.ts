import { eq } from "drizzle-orm";
import { integrations } from "../../db/schema/index";
import type { Database } from "../db.server";
import { shopifyCatalog } from "../integrations/shopify-admin/catalog.server";
import { deliveryExecutor } from "./dispatch.server";
import type { EngineServices } from "./engine/services";
import { RECIPES } from "./registry";

/**
 * The engine wired to this app: the registry's recipes, deliveries through the integrations,
 * live catalog reads through the Admin API, and follow-ups as delayed run-recipes jobs.
 */
export function engineServices(database: Database): EngineServices {
  return {
    recipes: RECIPES,
    executor: deliveryExecutor,
    catalog: shopifyCatalog,
    async connections(shop) {
      const rows = await database.db.select({ vendor: integrations.vendor }).from(integrations).where(eq(integrations.shop, shop));
      return new Set(rows.map((r) => r.vendor as string));
    },
    async scheduleFollowUp(executeSql, shop, recipeId, followUp) {
      // Imported when needed: the task module itself builds these services.
      const { followUpPayload, runRecipes } = await import("../jobs/tasks/run-recipes.server");
      const { getRuntime } = await import("../runtime.server");
      const { queue } = await getRuntime();
      await queue.enqueue(runRecipes, followUpPayload(shop, recipeId, followUp), { executeSql, startAfter: followUp.at });
    },
  };
}
