import { purgeExpiredDataTask, type Enqueuer } from "./contracts";

/** The daily purge starts at this hour (UTC): the quietest for most stores in the Americas and Europe. */
export const RETENTION_HOUR_UTC = 3;

const dateOf = (at: Date) => at.toISOString().slice(0, 10);

/**
 * Keeps the daily purge going (docs/decisions/015-retention.md): `from`'s day now (a no-op if
 * that day's walk is already queued or done: the job key is the date) and the next day's at
 * RETENTION_HOUR_UTC. Called at boot (from = the clock's now) and by each day's walk for the
 * next one (from = the walk's own date, so a clock a few seconds off neither skips nor repeats a day).
 */
export async function scheduleRetention(
  queue: Enqueuer,
  from: Date,
  options: { includeToday?: boolean } = {},
): Promise<void> {
  if (options.includeToday ?? true)
    await queue.enqueue(purgeExpiredDataTask, { date: dateOf(from) });
  const next = new Date(
    Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 1, RETENTION_HOUR_UTC),
  );
  await queue.enqueue(purgeExpiredDataTask, { date: dateOf(next) }, { startAfter: next });
}
