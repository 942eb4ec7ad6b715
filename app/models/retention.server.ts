import type { ExecuteSql } from "../db.server";

/**
 * Retention: what the daily purge deletes, one shop at a time, in small batches
 * (docs/decisions/015-retention.md, docs/privacy.md). Each batch is one autocommitted statement
 * that deletes at most `batchSize` rows picked in the order of an index that starts with the
 * shop, so it locks only the rows it deletes, for milliseconds: webhook acks keep inserting into
 * webhook_events meanwhile.
 */

export interface RetentionPolicy {
  /** Days a webhook event (its raw payload) is kept. */
  webhookDays: number;
  /** Days a recipe run and a vendor call record are kept. */
  runDays: number;
}

export interface PurgeOptions {
  /** The clock's now: rows stamped before `now − days` are expired. */
  now: Date;
  policy: RetentionPolicy;
  /** Rows per statement (at most MAX_BATCH_SIZE). */
  batchSize?: number;
  /**
   * Full batches per call, over all tables: past it the rest is left for the next call (each
   * table still gets its first statement, so a call makes at most maxBatches + 2).
   */
  maxBatches?: number;
  /** Wait between two full batches, so the purge never hogs the database. */
  pauseMs?: number;
  /** Stop between batches (the worker is shutting down). */
  signal?: AbortSignal;
}

export interface PurgeResult {
  webhookEvents: number;
  recipeRuns: number;
  deliveryAttempts: number;
  batches: number;
  /** false when the batch budget ran out (or the signal fired) before every expired row was gone. */
  complete: boolean;
}

export const MAX_BATCH_SIZE = 1_000;
const DAY_MS = 86_400_000;

type Purged = "webhookEvents" | "recipeRuns" | "deliveryAttempts";

/**
 * One batch per table: `$1` shop, `$2` cutoff, `$3` batch size. The inner select finds the
 * batch through an index that starts with the shop (its `(shop, <stamp> desc)` one, from the
 * oldest end, once a shop has more expired rows than a batch); `id = any(array(…))` then
 * deletes them by primary key, never by a join that could scan the whole table.
 */
export const RETENTION_PURGES: {
  table: Purged;
  days: (policy: RetentionPolicy) => number;
  text: string;
}[] = [
  {
    table: "webhookEvents",
    days: (policy) => policy.webhookDays,
    // Kept: events not settled yet ('received': stored, waiting for or in processing), and any
    // event a dead letter not yet retried names (a failed process-webhook job, or a run-recipes
    // job on it): Activity's Retry runs it again from the stored payload.
    text: `with gone as (
             delete from webhook_events where id = any(array(
               select e.id from webhook_events e
                where e.shop = $1 and e.received_at < $2 and e.status <> 'received'
                  and not exists (
                    select 1 from dead_letters d
                     where d.shop = e.shop and d.replayed_at is null and d.payload ->> 'eventId' = e.id::text)
                order by e.received_at
                limit $3))
             returning 1)
           select count(*)::int as n from gone`,
  },
  {
    table: "recipeRuns",
    days: (policy) => policy.runDays,
    text: `with gone as (
             delete from recipe_runs where id = any(array(
               select id from recipe_runs where shop = $1 and created_at < $2 order by created_at limit $3))
             returning 1)
           select count(*)::int as n from gone`,
  },
  {
    table: "deliveryAttempts",
    days: (policy) => policy.runDays,
    text: `with gone as (
             delete from delivery_attempts where id = any(array(
               select id from delivery_attempts where shop = $1 and at < $2 order by at limit $3))
             returning 1)
           select count(*)::int as n from gone`,
  },
];

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Deletes one shop's expired webhook events, recipe runs and vendor call records, batch by batch. */
export async function purgeExpiredShopData(
  executeSql: ExecuteSql,
  shop: string,
  options: PurgeOptions,
): Promise<PurgeResult> {
  const batchSize = Math.min(options.batchSize ?? MAX_BATCH_SIZE, MAX_BATCH_SIZE);
  const maxBatches = options.maxBatches ?? 100;
  const pauseMs = options.pauseMs ?? 50;
  const result: PurgeResult = {
    webhookEvents: 0,
    recipeRuns: 0,
    deliveryAttempts: 0,
    batches: 0,
    complete: true,
  };
  for (const purge of RETENTION_PURGES) {
    const cutoff = new Date(options.now.getTime() - purge.days(options.policy) * DAY_MS);
    for (;;) {
      const { rows } = await executeSql(purge.text, [shop, cutoff, batchSize], { prepare: true });
      result.batches += 1;
      const deleted = Number(rows[0]?.n ?? 0);
      result[purge.table] += deleted;
      if (deleted < batchSize) break;
      // A full batch: there may be more.
      if (result.batches >= maxBatches || options.signal?.aborted)
        return { ...result, complete: false };
      if (pauseMs > 0) await pause(pauseMs);
    }
  }
  return result;
}

/** One page of the shops the purge walks (installed or not: an uninstalled shop's data stays until shop/redact). */
export async function shopDomainsAfter(
  executeSql: ExecuteSql,
  after: string,
  limit: number,
): Promise<string[]> {
  const { rows } = await executeSql(
    `select domain from shops where domain > $1 order by domain limit $2`,
    [after, limit],
    { prepare: true },
  );
  return rows.map((row: { domain: string }) => row.domain);
}
