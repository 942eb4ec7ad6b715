import { VENDORS, type RunActionRecord, type RunOutcome, type Vendor } from "../../db/schema/index";
import { intlLocale, type Locale } from "../i18n/locale";
import { translator } from "../i18n/messages";
import { shopTime } from "../utils/shop-time";
import { withTransaction, type Database, type ExecuteSql } from "../db.server";
import { enqueueRecordedDelivery } from "../integrations/delivery/request.server";
import type { Enqueuer } from "../jobs/contracts";
import { errorMessage } from "../jobs/errors";
import { vendorName } from "../utils/vendor-names";
import type { AnyRecipe } from "./engine/define-recipe";
import { waitingReason } from "./engine/run-recipes.server";
import { HELD_MAX_AGE_DAYS, listOf, storedHeldReason } from "./integration-copy";
import { messages } from "./integration-copy.messages";
import { recipeText } from "./recipe-text";

/**
 * Work held for an integration that is not connected (docs/integrations.md,
 * "Disconnected integrations"). When a recipe acts while Klaviyo or Gorgias is not connected, its
 * action still passes the guards and is recorded as a `waiting` delivery with no job
 * (app/recipes/engine/run-recipes.server.ts). Reconnecting releases it: the row turns `queued`
 * and its job is enqueued under the key it was recorded with, so it is delivered exactly once
 * however often the merchant reconnects. Work that waited longer than HELD_MAX_AGE_DAYS is
 * dropped instead, with the reason, because a review request or a delay apology a week late does
 * more harm than good; the daily purge drops it too, so Activity says so without a reconnect.
 */

export { HELD_MAX_AGE_DAYS };
const DAY_MS = 86_400_000;

/**
 * Why held work was dropped, as stored (in English) on the delivery and the run; Activity shows
 * it in the admin's language (heldReasonText in integration-copy.ts).
 */
export function droppedReason(vendor: string): string {
  return storedHeldReason("heldDropped", vendor);
}

export interface ReleasedWork {
  /** Queued for delivery now. */
  delivered: number;
  /** Older than HELD_MAX_AGE_DAYS: dropped with droppedReason. */
  dropped: number;
}

function cutoffOf(now: Date): Date {
  return new Date(now.getTime() - HELD_MAX_AGE_DAYS * DAY_MS);
}

/** Claimed rows: their keys, and when the oldest was held (its run is no older). */
interface Claimed {
  keys: string[];
  since: Date | null;
}

function claimed(rows: Record<string, any>[]): Claimed {
  const times = rows.map((r) => new Date(r.created_at as string | Date).getTime());
  return {
    keys: rows.map((r) => r.idempotency_key as string),
    since: times.length ? new Date(Math.min(...times)) : null,
  };
}

async function dropStale(
  executeSql: ExecuteSql,
  shop: string,
  vendor: Vendor,
  now: Date,
): Promise<Claimed> {
  const { rows } = await executeSql(
    `update deliveries set status = 'dropped', last_error = $4, updated_at = now(), completed_at = now()
      where shop = $1 and vendor = $2 and status = 'waiting' and created_at < $3
      returning idempotency_key, created_at`,
    [shop, vendor, cutoffOf(now).toISOString(), droppedReason(vendor)],
  );
  const dropped = claimed(rows);
  // Never sent, so it no longer counts against the customer's frequency cap.
  if (dropped.keys.length > 0)
    await executeSql(
      `delete from recipe_touches where shop = $1 and action_key = any($2::text[])`,
      [shop, dropped.keys],
    );
  return dropped;
}

/**
 * Delivers what waited for `vendor` (just connected), dropping what waited too long. Safe to
 * call again: only rows still `waiting` are claimed, each by one caller.
 */
export async function releaseHeldWork(
  database: Database,
  queue: Enqueuer,
  shop: string,
  vendor: Vendor,
  now: Date,
): Promise<ReleasedWork> {
  return withTransaction(database, async (executeSql) => {
    const dropped = await dropStale(executeSql, shop, vendor, now);
    const { rows } = await executeSql(
      `update deliveries set status = 'queued', updated_at = now()
        where shop = $1 and vendor = $2 and status = 'waiting'
        returning idempotency_key, created_at, attempts`,
      [shop, vendor],
    );
    const queued: Record<string, any>[] = [];
    for (const row of rows) {
      try {
        // Held after its job had run (the vendor was disconnected while it waited its turn):
        // that job's id is spent, so this release gets a job of its own.
        await enqueueRecordedDelivery(
          { queue, executeSql },
          { vendor, shop, idempotencyKey: row.idempotency_key as string },
          Number(row.attempts) > 0 ? `released:${now.getTime()}` : undefined,
        );
        queued.push(row);
      } catch (error) {
        // A key this version cannot run: say so rather than fail the reconnect.
        await executeSql(
          `update deliveries set status = 'dead', last_error = $3, updated_at = now(), completed_at = now()
            where shop = $1 and idempotency_key = $2`,
          [shop, row.idempotency_key, `it could not be sent: ${errorMessage(error)}`],
        );
      }
    }
    const released = claimed(queued);
    await settleRuns(executeSql, shop, vendor, released, dropped);
    return { delivered: released.keys.length, dropped: dropped.keys.length };
  });
}

/** Drops the shop's held work older than HELD_MAX_AGE_DAYS (the daily purge). */
export async function dropStaleHeldWork(
  database: Database,
  shop: string,
  now: Date,
): Promise<number> {
  return withTransaction(database, async (executeSql) => {
    let count = 0;
    for (const vendor of VENDORS) {
      const dropped = await dropStale(executeSql, shop, vendor, now);
      await settleRuns(executeSql, shop, vendor, { keys: [], since: null }, dropped);
      count += dropped.keys.length;
    }
    return count;
  });
}

const PASSED = new Set<RunActionRecord["status"]>(["requested", "decided", "already-requested"]);

/**
 * The runs that held these actions say what became of them: requested (their delivery is
 * queued, Activity shows how it went) or dropped with the reason.
 */
async function settleRuns(
  executeSql: ExecuteSql,
  shop: string,
  vendor: Vendor,
  releasedRows: Claimed,
  droppedRows: Claimed,
) {
  const released = new Set(releasedRows.keys);
  const dropped = new Set(droppedRows.keys);
  const keys = [...released, ...dropped];
  const times = [releasedRows.since, droppedRows.since].filter((t): t is Date => t !== null);
  if (keys.length === 0 || times.length === 0) return;
  // A held delivery is recorded at its run's time, so its run is no older than the oldest.
  const since = new Date(Math.min(...times.map((t) => t.getTime())));
  const { rows } = await executeSql(
    `select id, outcome, actions, reasons from recipe_runs
      where shop = $1 and created_at >= $3 and exists (select 1 from jsonb_array_elements(actions) a
                                  where a->>'status' = 'waiting' and a->>'key' = any($2::text[]))`,
    [shop, keys, since.toISOString()],
  );
  const waiting = waitingReason(vendor);
  for (const row of rows) {
    const actions = (row.actions as RunActionRecord[]).map((a): RunActionRecord => {
      if (a.status !== "waiting" || !a.key) return a;
      if (released.has(a.key)) {
        const { reason: _reason, ...rest } = a;
        return { ...rest, status: "requested" };
      }
      if (dropped.has(a.key)) return { ...a, status: "dropped", reason: droppedReason(vendor) };
      return a;
    });
    const stillWaiting = actions.some((a) => a.status === "waiting" && a.reason === waiting);
    const reasons = (row.reasons as string[]).filter((r) => r !== waiting || stillWaiting);
    if (actions.some((a) => a.status === "dropped") && !reasons.includes(droppedReason(vendor)))
      reasons.push(droppedReason(vendor));
    const outcome: RunOutcome =
      row.outcome !== "waiting" && row.outcome !== "acted"
        ? (row.outcome as RunOutcome)
        : actions.some((a) => PASSED.has(a.status))
          ? "acted"
          : actions.some((a) => a.status === "waiting")
            ? "waiting"
            : "blocked";
    await executeSql(
      `update recipe_runs set actions = $3::jsonb, reasons = $4::text[], outcome = $5 where shop = $1 and id = $2`,
      [shop, row.id, JSON.stringify(actions), reasons, outcome],
    );
  }
}

export interface HeldSummary {
  vendor: Vendor;
  /** Actions waiting and still young enough to be delivered on reconnect. */
  waiting: number;
  /** When the oldest of them was held (null: none). */
  oldest: Date | null;
  /** Waiting actions per recipe id. */
  byRecipe: Record<string, number>;
}

/** What waits for each vendor (only vendors with waiting work), for Home and Integrations. */
export async function heldWork(
  database: Database,
  shop: string,
  now: Date,
): Promise<HeldSummary[]> {
  const { rows } = await database.executeSql(
    `select vendor, recipe, count(*)::int as n, min(created_at) as oldest from deliveries
      where shop = $1 and status = 'waiting' and created_at >= $2
      group by vendor, recipe order by vendor, recipe`,
    [shop, cutoffOf(now).toISOString()],
  );
  const byVendor = new Map<Vendor, HeldSummary>();
  for (const row of rows) {
    const vendor = row.vendor as Vendor;
    const summary = byVendor.get(vendor) ?? { vendor, waiting: 0, oldest: null, byRecipe: {} };
    const n = Number(row.n);
    const oldest = new Date(row.oldest as string | Date);
    summary.waiting += n;
    summary.byRecipe[row.recipe as string] = n;
    if (!summary.oldest || oldest < summary.oldest) summary.oldest = oldest;
    byVendor.set(vendor, summary);
  }
  return [...byVendor.values()];
}

export interface IntegrationGap {
  vendor: Vendor;
  /** The switched-on recipes that need it or have work waiting for it, by their titles (in the admin's language). */
  recipes: { id: string; title: string }[];
  /** Recipes among them that cannot act at all without it (it is in their `requires`). */
  stopped: string[];
  waiting: number;
  /** ISO time the oldest waiting action was held; null when nothing waits yet. */
  oldest: string | null;
}

/**
 * Integrations that are not connected although switched-on recipes need them (or have work
 * waiting for them), with what waits. Pure: the caller reads the enabled recipes, the
 * connections and heldWork.
 */
export function integrationGaps(
  recipes: readonly AnyRecipe[],
  enabled: ReadonlySet<string>,
  connected: ReadonlySet<string>,
  held: readonly HeldSummary[],
  locale: Locale = "en",
): IntegrationGap[] {
  const gaps: IntegrationGap[] = [];
  for (const vendor of VENDORS) {
    if (connected.has(vendor)) continue;
    const summary = held.find((h) => h.vendor === vendor);
    const needing = recipes.filter(
      (r) =>
        enabled.has(r.id) && (r.requires.includes(vendor) || (summary?.byRecipe[r.id] ?? 0) > 0),
    );
    if (needing.length === 0) continue;
    gaps.push({
      vendor,
      recipes: needing.map((r) => ({ id: r.id, title: recipeText(r, locale).title })),
      stopped: needing.filter((r) => r.requires.includes(vendor)).map((r) => r.id),
      waiting: summary?.waiting ?? 0,
      oldest: summary?.oldest?.toISOString() ?? null,
    });
  }
  return gaps;
}

/** Home's critical banner for a gap: what stops, what waits and what reconnecting does. */
export function gapBanner(
  gap: IntegrationGap,
  timeZone: string,
  locale: Locale = "en",
): { title: string; text: string } {
  const t = translator(messages, locale);
  const name = vendorName(gap.vendor);
  const titles = gap.recipes.map((r) => r.title);
  const title = t("gapTitle", { count: titles.length, name, recipes: listOf(titles, locale) });
  const text =
    gap.waiting > 0
      ? t("gapWaiting", {
          count: gap.waiting,
          name,
          since: shopTime({ timeZone, locale: intlLocale(locale) }).dateTime(gap.oldest!),
          days: HELD_MAX_AGE_DAYS,
        })
      : t("gapNothing", { count: titles.length, name, days: HELD_MAX_AGE_DAYS });
  return { title, text };
}
