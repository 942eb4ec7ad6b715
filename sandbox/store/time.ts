/** Timestamps: the store keeps UTC ISO strings without milliseconds, as Admin GraphQL returns them. */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** `2026-10-05T18:21:03Z` */
export function isoUtc(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The same instant in the shop's time zone with its UTC offset (`2026-10-05T11:21:03-07:00`),
 * the way REST resources and webhook payloads spell timestamps.
 */
export function toShopLocal(utc: string, timeZone: string): string {
  const ms = Date.parse(utc);
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms)))
    parts[part.type] = part.value;
  const local = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  const offsetMinutes = Math.round(
    (Date.parse(`${local}Z`) - Math.floor(ms / 1000) * 1000) / 60_000,
  );
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${local}${sign}${hh}:${mm}`;
}

/** Same as toShopLocal but null-safe. */
export function toShopLocalOrNull(utc: string | null, timeZone: string): string | null {
  return utc === null ? null : toShopLocal(utc, timeZone);
}
