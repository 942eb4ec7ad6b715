import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { gorgiasTickets, shops, webhookEvents } from "../../../db/schema/index";
import type { Database } from "../../db.server";
import { planStanding } from "../../models/billing.server";
import { enabledRecipeIds } from "../../models/recipe-settings.server";
import type { RecipeEvent } from "../../recipes/engine/define-recipe";
import {
  persistEvaluations,
  runRecipesOnEvent,
  type Evaluation,
} from "../../recipes/engine/run-recipes.server";
import { reconcileSegmentsOf, scheduleDailyScans } from "../../recipes/hand-off.server";
import { engineServices } from "../../recipes/host.server";
import { RECIPES } from "../../recipes/registry";
import { scheduledNow, type Clock } from "../../utils/clock";
import { shopTime } from "../../utils/shop-time";
import { log } from "../../utils/log.server";
import { isKnownTopic, TOPIC_SCHEMAS } from "../../webhooks/payloads";
import { defineTask, type TaskHelpers } from "../define-task";
import { runRecipesSourceId, runRecipesTask, type runRecipesPayload } from "../contracts";
import { RetryableError } from "../errors";

/** Recipes the daily scan is for: those that scan, and those whose segments it reconciles. */
const dailyRecipeIds = new Set(
  RECIPES.filter((r) => r.triggers.some((t) => t.type === "daily") || r.segments).map((r) => r.id),
);

/** The engine event a job payload stands for (null: nothing to run on any more). */
export async function recipeEventOf(
  database: Database,
  p: z.output<typeof runRecipesPayload>,
): Promise<RecipeEvent | null> {
  switch (p.type) {
    case "webhook": {
      const [row] = await database.db
        .select({
          topic: webhookEvents.topic,
          payload: webhookEvents.payload,
          status: webhookEvents.status,
        })
        .from(webhookEvents)
        .where(and(eq(webhookEvents.id, p.eventId), eq(webhookEvents.shop, p.shop)));
      if (!row || row.status !== "processed" || !isKnownTopic(row.topic)) return null;
      // A redacted event no longer parses: nothing to run on.
      const parsed = TOPIC_SCHEMAS[row.topic].safeParse(row.payload);
      if (!parsed.success) return null;
      return {
        type: "webhook",
        topic: row.topic,
        eventId: p.eventId,
        data: parsed.data,
      } as RecipeEvent;
    }
    case "ticket": {
      const [ticket] = await database.db
        .select({ email: gorgiasTickets.customerEmail })
        .from(gorgiasTickets)
        .where(and(eq(gorgiasTickets.shop, p.shop), eq(gorgiasTickets.ticketId, p.ticketId)));
      if (!ticket) return null;
      return {
        type: "ticket",
        ticketId: p.ticketId,
        email: ticket.email,
        status: p.status,
        changedAt: new Date(p.at),
      };
    }
    case "daily":
      return { type: "daily", date: p.date };
    case "follow-up":
      return {
        type: "follow-up",
        name: p.name,
        subject: p.subject,
        data: p.data,
        dueAt: new Date(p.dueAt),
        attempt: p.attempt,
      };
  }
}

/**
 * Runs the shop's enabled recipes on one event (a processed webhook, a ticket change, the daily
 * scan, a due follow-up) and records what they did. Safe to run twice.
 */
export const runRecipes = defineTask({
  ...runRecipesTask,
  retry: { retryLimit: 6, retryDelaySeconds: 5, retryDelayMaxSeconds: 600, expireInSeconds: 120 },
  // A run takes milliseconds against a 120 s lease; on a busy day every webhook makes one.
  fetchRounds: 4,
  async run(payload, helpers: TaskHelpers) {
    const { database } = helpers;
    const [shopRow] = await database.db
      .select({ uninstalledAt: shops.uninstalledAt, timeZone: shops.ianaTimezone })
      .from(shops)
      .where(eq(shops.domain, payload.shop));
    if (shopRow?.uninstalledAt) return;
    if (payload.type === "daily") {
      const enabled = await enabledRecipeIds(database.db, payload.shop);
      if (!enabled.some((id) => dailyRecipeIds.has(id))) return;
      // The next local day's scan, from this scan's own date (not the clock's).
      await scheduleDailyScans(
        helpers.queue,
        payload.shop,
        { today: payload.date, time: shopTime({ timeZone: shopRow?.timeZone }) },
        { includeToday: false },
      );
      // Scans stay scheduled for recipes paused by the plan (an upgrade brings them back), but
      // only the recipes that run under it keep segments.
      const standing = await planStanding(
        database.db,
        payload.shop,
        helpers.clock.now(),
        new Set(RECIPES.map((r) => r.id)),
      );
      const on = new Set(standing.recipes.running);
      await reconcileSegmentsOf(
        helpers.queue,
        payload.shop,
        RECIPES.filter((r) => on.has(r.id)),
        { date: payload.date },
      );
    }
    const event = await recipeEventOf(database, payload);
    if (!event) return;
    const services = engineServices(database, helpers.queue);
    const only = payload.type === "follow-up" ? payload.recipe : undefined;
    const now = evaluationTime(event, helpers.clock);
    const summary = await runRecipesOnEvent(database, payload.shop, event, services, { only, now });
    if (only && summary.evaluations.length === 0)
      await recordSwitchedOff(database, payload.shop, only, event, services, now);
    if (summary.retryable.length > 0) {
      const failed = summary.retryable[0]!;
      throw new RetryableError(
        `${failed.recipe.id} failed on ${failed.eventKey}: ${failed.error?.message}`,
      );
    }
    log.debug(
      `[recipes] ${payload.shop} ${runRecipesSourceId(payload)}: ${summary.evaluations.map((e) => `${e.recipe.id}=${e.outcome}`).join(" ") || "no recipe listened"}`,
    );
  },
});

/**
 * The "now" a run sees: the clock's, except that a follow-up never runs before its due time
 * (the queue starts it by the database's clock, which may be a little ahead of ours).
 */
export function evaluationTime(event: RecipeEvent, clock: Clock): Date {
  return event.type === "follow-up" ? scheduledNow(clock, event.dueAt) : clock.now();
}

/** A follow-up came due for a recipe that was switched off since: say so in Activity. */
async function recordSwitchedOff(
  database: Database,
  shopDomain: string,
  recipeId: string,
  event: RecipeEvent,
  services: ReturnType<typeof engineServices>,
  now: Date,
) {
  const recipe = RECIPES.find((r) => r.id === recipeId);
  if (!recipe || event.type !== "follow-up") return;
  const evaluation: Evaluation = {
    recipe,
    eventKey: `follow-up/${event.name}/${event.subject}/${event.attempt}`,
    trigger: `follow-up:${event.name}`,
    result: { skip: "the recipe was switched off after this was scheduled" },
    actions: [],
    outcome: "skipped",
    reasons: ["the recipe was switched off after this was scheduled"],
    durationMs: 0,
    at: now,
  };
  await persistEvaluations(database, shopDomain, [evaluation], services, now);
}
