import { eq } from "drizzle-orm";
import { shops } from "../../../db/schema/index";
import { reconcileKlaviyoSegments } from "../../integrations/klaviyo/reconcile.server";
import type { SegmentSyncOptions } from "../../integrations/klaviyo/segment-sync.server";
import { markDeliveryDeadByKey } from "../../models/deliveries.server";
import { getRecipeSettings } from "../../models/recipe-settings.server";
import { segmentMembers } from "../../models/segments.server";
import { profileOf } from "../../recipes/actions";
import type { SegmentDeclaration, SegmentMemberView } from "../../recipes/engine/define-recipe";
import { withConfig } from "../../recipes/engine/run-recipes.server";
import { findRecipe } from "../../recipes/registry";
import { log } from "../../utils/log.server";
import { jobKey, reconcileSegmentsTask } from "../contracts";
import { defineTask, type TaskDefinition, type TaskHelpers } from "../define-task";
import { TerminalError } from "../errors";
import type { z } from "zod";

type Payload = z.output<typeof reconcileSegmentsTask.payloadSchema>;

/** A member as the Klaviyo profile the list holds: what the read model knows, plus the recipe's properties. */
function profileFor(member: SegmentMemberView, declaration: SegmentDeclaration) {
  const properties = declaration.properties?.(member);
  return {
    ...profileOf({ ...member, id: member.customerId }),
    email: member.email,
    ...(properties && Object.keys(properties).length ? { properties } : {}),
  };
}

/**
 * Reconciles a recipe's declared segments with its Klaviyo lists (see reconcile.server.ts),
 * computed from the read model at the clock's now. Nothing to do when the shop uninstalled or
 * the recipe is off (it was switched off after the job was queued).
 */
export async function runReconciliation(
  payload: Payload,
  helpers: Pick<TaskHelpers, "database" | "clock" | "attempt" | "signal">,
  options?: SegmentSyncOptions,
) {
  const { database } = helpers;
  const db = database.db;
  const [shop] = await db
    .select({ uninstalledAt: shops.uninstalledAt })
    .from(shops)
    .where(eq(shops.domain, payload.shop));
  if (shop?.uninstalledAt) return null;
  const recipe = findRecipe(payload.recipe);
  if (!recipe?.segments)
    throw new TerminalError(`${payload.recipe} is not a recipe that keeps segments`);
  const settings = await getRecipeSettings(db, payload.shop, recipe.id);
  if (!settings?.enabled) return null;
  const loaded = withConfig(recipe, settings.config);
  if (loaded.configError) throw new TerminalError(`${recipe.title}: ${loaded.configError}`);
  const now = helpers.clock.now();
  const segments = [];
  for (const declaration of recipe.segments(loaded.config)) {
    const members = await segmentMembers(db, payload.shop, declaration.rule, now);
    segments.push({
      list: declaration.list,
      members: members.map((m) => profileFor(m, declaration)),
      leaverProperties: declaration.leaverProperties,
    });
  }
  const outcome = await reconcileKlaviyoSegments(
    database,
    {
      shop: payload.shop,
      recipe: recipe.id,
      key: jobKey(reconcileSegmentsTask, payload),
      source: `reconcile/${payload.trigger}`,
      segments,
    },
    { attempt: helpers.attempt, signal: helpers.signal, options },
  );
  if (outcome.status === "reconciled")
    log.info(
      `[segments] ${payload.shop} ${recipe.id} ${payload.trigger}: ${outcome.lists.map((l) => `"${l.list}" +${l.added} -${l.removed} =${l.unchanged}${l.failed ? ` !${l.failed}` : ""}`).join("; ")}`,
    );
  return outcome;
}

export const reconcileSegments: TaskDefinition<typeof reconcileSegmentsTask.payloadSchema> =
  defineTask({
    ...reconcileSegmentsTask,
    // Bulk import jobs take minutes on a big list: the lease covers the longest wait for them.
    retry: {
      retryLimit: 6,
      retryDelaySeconds: 30,
      retryDelayMaxSeconds: 30 * 60,
      expireInSeconds: 20 * 60,
    },
    async run(payload, helpers) {
      await runReconciliation(payload, helpers);
    },
    async onDeadLetter(payload, error, { database }) {
      const parsed = reconcileSegmentsTask.payloadSchema.safeParse(payload);
      if (parsed.success)
        await markDeliveryDeadByKey(
          database.db,
          parsed.data.shop,
          jobKey(reconcileSegmentsTask, parsed.data),
          error,
        );
    },
  });
