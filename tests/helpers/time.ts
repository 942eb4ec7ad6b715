import type { Clock } from "../../app/utils/clock";

/**
 * Test time. Fixtures are dated relative to the clock the code under test reads (the runtime's,
 * `runtime().clock.now()`), never to a calendar date: the suite must pass on any day, and under
 * `faketime` (see docs/testing.md).
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** `days` calendar days from `base` (negative: before it), at `time` UTC ("15:00"). */
export function dayAt(base: Date, days: number, time = "00:00"): Date {
  const [hours = 0, minutes = 0] = time.split(":").map(Number);
  return new Date(
    Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), base.getUTCDate() + days, hours, minutes),
  );
}

/** YYYY-MM-DD (UTC), as the recipes write dates in their reasons. */
export const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** An instant `ms` after `base`. */
export const after = (base: Date, ms: number) => new Date(base.getTime() + ms);

/** This machine's clock moved by `offsetMs`: a server whose clock disagrees with the database's. */
export function skewedClock(offsetMs: number): Clock {
  return { now: () => new Date(Date.now() + offsetMs) };
}
