import type { Db, ExecuteSql } from "../db.server";
import { reconcileSegmentsTask, runRecipesTask, type Enqueuer } from "../jobs/contracts";
import { enabledRecipeIds } from "../models/recipe-settings.server";
import { drizzleExecuteSql } from "../utils/drizzle-execute-sql.server";
import { log } from "../utils/log.server";
import { addDays, type ShopTime } from "../utils/shop-time";
import type { AnyRecipe, RecipeTrigger } from "./engine/define-recipe";
import { RECIPES } from "./registry";

/**
 * Where the rest of the app meets the recipe engine. Each entry point checks cheaply whether any
 * of the shop's enabled recipes listens, and if so enqueues a run-recipes job on the queue it is
 * given; the engine runs in that job, so a slow or failing recipe never holds up webhook
 * processing.
 */

function listeningRecipes(
  enabled: string[],
  matches: (trigger: RecipeTrigger) => boolean,
): string[] {
  const on = new Set(enabled);
  return RECIPES.filter((r) => on.has(r.id) && r.triggers.some(matches)).map((r) => r.id);
}

export interface ProcessedEvent {
  /** The transaction that applied the event to the read model: the job commits with it. */
  tx: Db;
  shop: string;
  topic: string;
  eventId: number;
}

/** A webhook event was applied to the read model (called inside process-webhook's transaction). */
export async function handOffToRecipes(queue: Enqueuer, event: ProcessedEvent): Promise<void> {
  const enabled = await enabledRecipeIds(event.tx, event.shop);
  if (enabled.length === 0) return;
  const listening = listeningRecipes(
    enabled,
    (t) => t.type === "webhook" && (t.topics as readonly string[]).includes(event.topic),
  );
  if (listening.length === 0) return;
  await queue.enqueue(
    runRecipesTask,
    { type: "webhook", shop: event.shop, eventId: event.eventId },
    { executeSql: drizzleExecuteSql(event.tx) },
  );
}

/**
 * A worker's batch of webhook events was applied to the read model (called inside that batch's
 * transaction): one read of the shops' enabled recipes, one insert of every run-recipes job.
 */
export async function handOffManyToRecipes(
  queue: Enqueuer,
  executeSql: ExecuteSql,
  events: { shop: string; topic: string; eventId: number }[],
): Promise<void> {
  if (events.length === 0) return;
  const shopsInBatch = [...new Set(events.map((e) => e.shop))];
  const { rows } = await executeSql(
    `select shop, recipe_id from recipe_settings where enabled and shop = any(array(select jsonb_array_elements_text($1::jsonb)))`,
    [JSON.stringify(shopsInBatch)],
    { prepare: true },
  );
  const enabled = new Map<string, string[]>();
  for (const row of rows) enabled.set(row.shop, [...(enabled.get(row.shop) ?? []), row.recipe_id]);
  const runs = events.filter((event) => {
    const on = enabled.get(event.shop);
    return (
      on &&
      listeningRecipes(
        on,
        (t) => t.type === "webhook" && (t.topics as readonly string[]).includes(event.topic),
      ).length > 0
    );
  });
  if (runs.length === 0) return;
  await queue.enqueueMany(
    runRecipesTask,
    runs.map((event) => ({ type: "webhook" as const, shop: event.shop, eventId: event.eventId })),
    { executeSql },
  );
}

/** Gorgias said a ticket opened or closed (after its state was stored). */
export async function handOffTicketChange(
  queue: Enqueuer,
  db: Db,
  shop: string,
  change: { ticketId: number; status: "open" | "closed"; updatedAt: Date },
): Promise<void> {
  try {
    const enabled = await enabledRecipeIds(db, shop);
    if (listeningRecipes(enabled, (t) => t.type === "ticket").length === 0) return;
    await queue.enqueue(runRecipesTask, {
      type: "ticket",
      shop,
      ticketId: change.ticketId,
      status: change.status,
      at: change.updatedAt.toISOString(),
    });
  } catch (error) {
    // The ticket state is stored and the suppression guard reads it directly; only the
    // recipe's Klaviyo sync is lost, so Gorgias still gets its 200.
    log.error(
      `[recipes] ${shop}: could not hand ticket ${change.ticketId} to the recipes: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Daily scans run at this hour of the shop's own clock (08:00 in its time zone): the start of the
 * merchant's day, after the night's orders, so what a scan sends (segment moves, reminders) lands
 * in the morning wherever the store is. docs/adding-a-recipe.md ("Daily scans").
 */
export const DAILY_SCAN_LOCAL_HOUR = 8;

/**
 * Keeps a shop's daily scans going, by the shop's calendar: the scan of its local date `today`
 * now (a no-op if it already ran: the job key is `daily/<date>`, one per shop per local day) and
 * the next local date's at DAILY_SCAN_LOCAL_HOUR of the shop's clock (`time`: its zone, UTC
 * until Shopify has told us it). Called when a scanning recipe is switched on (today = the shop's
 * date at the clock's now), and by each scan for the next one (today = the scan's own date, not
 * the clock, so a clock a few seconds off can neither skip a day nor schedule one twice).
 */
export async function scheduleDailyScans(
  queue: Enqueuer,
  shop: string,
  schedule: { today: string; time: ShopTime },
  options: { includeToday?: boolean } = {},
) {
  if (options.includeToday ?? true)
    await queue.enqueue(runRecipesTask, { type: "daily", shop, date: schedule.today });
  const next = addDays(schedule.today, 1);
  await queue.enqueue(
    runRecipesTask,
    { type: "daily", shop, date: next },
    { startAfter: schedule.time.atLocal(next, DAILY_SCAN_LOCAL_HOUR) },
  );
}

/**
 * Starts a reconciliation of each of these recipes' segments (the ones that declare some):
 * `enabled/<epoch ms>` when one is switched on, `saved/<epoch ms>` when its settings change while
 * on, `imported/<epoch ms>` when the store's history import finished, `daily/<date>` from the
 * daily scan. Keyed, so
 * asking twice for the same trigger queues one job.
 */
export async function reconcileSegmentsOf(
  queue: Enqueuer,
  shop: string,
  recipes: readonly AnyRecipe[],
  trigger: { kind: "enabled" | "saved" | "imported"; at: Date } | { date: string },
) {
  const keeping = recipes.filter((r) => r.segments);
  if (keeping.length === 0) return;
  await queue.enqueueMany(
    reconcileSegmentsTask,
    keeping.map((recipe) => ({
      shop,
      recipe: recipe.id,
      trigger:
        "date" in trigger ? `daily/${trigger.date}` : `${trigger.kind}/${trigger.at.getTime()}`,
    })),
  );
}
