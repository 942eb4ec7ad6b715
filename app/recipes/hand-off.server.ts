import type { Db, ExecuteSql } from "../db.server";
import { enqueueWebhookRun, runRecipes } from "../jobs/tasks/run-recipes.server";
import { enabledRecipeIds } from "../models/recipe-settings.server";
import { drizzleExecuteSql } from "../utils/drizzle-execute-sql.server";
import { log } from "../utils/log.server";
import type { RecipeTrigger } from "./engine/define-recipe";
import { RECIPES } from "./registry";

/**
 * Where the rest of the app meets the recipe engine. Each entry point checks cheaply whether any
 * of the shop's enabled recipes listens, and if so enqueues a run-recipes job; the engine runs
 * in that job, so a slow or failing recipe never holds up webhook processing.
 */

/** The process's job queue (imported late: runtime.server imports every task, which import this). */
async function queue() {
  const { getRuntime } = await import("../runtime.server");
  return (await getRuntime()).queue;
}

function listeningRecipes(enabled: string[], matches: (trigger: RecipeTrigger) => boolean): string[] {
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
export async function handOffToRecipes(event: ProcessedEvent): Promise<void> {
  const enabled = await enabledRecipeIds(event.tx, event.shop);
  if (enabled.length === 0) return;
  const listening = listeningRecipes(enabled, (t) => t.type === "webhook" && (t.topics as readonly string[]).includes(event.topic));
  if (listening.length === 0) return;
  await enqueueWebhookRun(await queue(), drizzleExecuteSql(event.tx), event.shop, event.eventId);
}

/**
 * A worker's batch of webhook events was applied to the read model (called inside that batch's
 * transaction): one read of the shops' enabled recipes, one insert of every run-recipes job.
 */
export async function handOffManyToRecipes(executeSql: ExecuteSql, events: { shop: string; topic: string; eventId: number }[]): Promise<void> {
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
    return on && listeningRecipes(on, (t) => t.type === "webhook" && (t.topics as readonly string[]).includes(event.topic)).length > 0;
  });
  if (runs.length === 0) return;
  await (await queue()).enqueueMany(runRecipes, runs.map((event) => ({ type: "webhook" as const, shop: event.shop, eventId: event.eventId })), { executeSql });
}

/** Gorgias said a ticket opened or closed (after its state was stored). */
export async function handOffTicketChange(db: Db, shop: string, change: { ticketId: number; status: "open" | "closed"; updatedAt: Date }): Promise<void> {
  try {
    const enabled = await enabledRecipeIds(db, shop);
    if (listeningRecipes(enabled, (t) => t.type === "ticket").length === 0) return;
    await (await queue()).enqueue(runRecipes, { type: "ticket", shop, ticketId: change.ticketId, status: change.status, at: change.updatedAt.toISOString() });
  } catch (error) {
    // The ticket state is stored and the suppression guard reads it directly; only the
    // recipe's Klaviyo sync is lost, so Gorgias still gets its 200.
    log.error(`[recipes] ${shop}: could not hand ticket ${change.ticketId} to the recipes: ${error instanceof Error ? error.message : String(error)}`);
  }
}
