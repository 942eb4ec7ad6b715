import {
  runHistoryImportStep,
  shopifyBulkOperations,
} from "../../integrations/shopify-admin/history-import.server";
import { failHistoryImport } from "../../models/history-imports.server";
import { enabledRecipeIds } from "../../models/recipe-settings.server";
import { reconcileSegmentsOf } from "../../recipes/hand-off.server";
import { RECIPES } from "../../recipes/registry";
import { importShopifyHistoryTask } from "../contracts";
import { defineTask } from "../define-task";

export const importShopifyHistory = defineTask({
  ...importShopifyHistoryTask,
  // A step loads for at most HISTORY_MAX_LOAD_MS, then hands over; a retry resumes at the
  // last committed batch.
  retry: { retryLimit: 8, retryDelaySeconds: 5, retryDelayMaxSeconds: 300, expireInSeconds: 600 },
  async run(payload, { database, queue, signal, clock }) {
    const result = await runHistoryImportStep(database, queue, payload, {
      api: shopifyBulkOperations(),
      signal,
    });
    // Lists kept by reconciliation were computed before the history was there: do them again.
    if (result === "done") {
      const on = new Set(await enabledRecipeIds(database.db, payload.shop));
      await reconcileSegmentsOf(
        queue,
        payload.shop,
        RECIPES.filter((r) => on.has(r.id)),
        { kind: "imported", at: clock.now() },
      );
    }
  },
  async onDeadLetter(payload, error, { database }) {
    const parsed = importShopifyHistoryTask.payloadSchema.safeParse(payload);
    if (!parsed.success) return;
    await failHistoryImport(database.db, parsed.data.shop, parsed.data.importId, error);
  },
});
