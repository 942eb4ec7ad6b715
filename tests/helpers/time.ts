import type { Clock } from "../../app/utils/clock";
import { shopTime } from "../../app/utils/shop-time";

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

/** YYYY-MM-DD (UTC): the date keys of jobs (`daily/<date>`) for a shop without a time zone. */
export const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/**
 * A day as recipes write it in their reasons and screens show it ("Dec 5, 2026"), in the shop's
 * zone (`timeZone`; a test shop without one reads UTC).
 */
export const shopDate = (date: Date, timeZone: string | null = null) =>
  shopTime({ timeZone }).date(date);

/** An instant `ms` after `base`. */
export const after = (base: Date, ms: number) => new Date(base.getTime() + ms);

/** This machine's clock moved by `offsetMs`: a server whose clock disagrees with the database's. */
export function skewedClock(offsetMs: number): Clock {
  return { now: () => new Date(Date.now() + offsetMs) };
}
