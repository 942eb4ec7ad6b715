/**
 * Times as the merchant reads them: every screen and every sentence the server computes formats
 * dates and times here, in the shop's IANA time zone (shops.iana_timezone, from the install's
 * shop lookup) and the shop's locale, so the server's render and the browser's agree whatever
 * zone either runs in. Pure (no server code): components, loaders and recipes share it.
 *
 * - `dateTime(at)` "Dec 5, 2026, 2:39 PM" — the one format for an instant;
 * - `date(at)` "Dec 5, 2026" — the one format for a day;
 * - `when(at, now)` "3 minutes ago", "in 2 hours" while within RECENT_MS of now, else `dateTime`;
 * - `clock(at)` "2:39 PM PST" — a bare time of day always names its zone;
 * - `day("2026-12-05")` "Dec 5" — a chart's day (a local date, not an instant).
 *
 * Calendar days are the shop's: `localDate(at)` is the YYYY-MM-DD the shop's wall calendar shows
 * at `at`, `startOfDay(date)` and `atLocal(date, hour)` the instants a local date and hour begin
 * (23- and 25-hour days included). A zone this runtime does not know falls back to UTC, and
 * `zoneLabel` then says "UTC".
 */

export const DEFAULT_LOCALE = "en-US";
/** Within this of now, an instant reads as relative ("3 hours ago"); beyond it, as a date-time. */
export const RECENT_MS = 12 * 3_600_000;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface ShopTimeSettings {
  /** IANA zone (America/New_York); null or unknown: UTC. */
  timeZone: string | null | undefined;
  /** BCP 47 (en-US, fr-FR); null or unknown: DEFAULT_LOCALE. */
  locale?: string | null;
}

export interface ShopTime {
  /** The zone actually used (UTC when the shop's is unknown or invalid). */
  timeZone: string;
  locale: string;
  dateTime(at: Date | string): string;
  date(at: Date | string): string;
  /** Relative within RECENT_MS of `now`, else `dateTime`. */
  when(at: Date | string, now: Date | string): string;
  /** Always relative: "3 minutes ago", "in 2 hours", "yesterday", "in 5 days". */
  relative(at: Date | string, now: Date | string): string;
  /** A time of day with its zone: "2:39 PM PST". */
  clock(at: Date | string): string;
  /** The zone's short name at `at` ("PST", "GMT+13", "UTC"), for "Times in …" captions. */
  zoneLabel(at: Date | string): string;
  /** A local date (YYYY-MM-DD) as a short axis label: "Dec 5". */
  day(localDate: string): string;
  /** A local date (YYYY-MM-DD) as `date` formats days: "Dec 5, 2026". */
  dayLong(localDate: string): string;
  /** The shop's calendar date at `at`, YYYY-MM-DD. */
  localDate(at: Date | string): string;
  /** The instant the shop's day `localDate` begins. */
  startOfDay(localDate: string): Date;
  /** The instant the shop's clock reads `hour`:`minute` on `localDate`. */
  atLocal(localDate: string, hour: number, minute?: number): Date;
}

const toDate = (at: Date | string) => (typeof at === "string" ? new Date(at) : at);

const formats = new Map<string, Intl.DateTimeFormat>();
function cached(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formats.set(key, format);
  }
  return format;
}

/** The zone if this runtime knows it, else UTC. */
export function resolveTimeZone(zone: string | null | undefined): string {
  if (!zone) return "UTC";
  try {
    return cached("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return "UTC";
  }
}

export function resolveLocale(locale: string | null | undefined): string {
  if (!locale) return DEFAULT_LOCALE;
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
function parseLocalDate(localDate: string): [number, number, number] {
  const match = DATE_RE.exec(localDate);
  if (!match) throw new RangeError(`Not a YYYY-MM-DD date: ${localDate}`);
  return [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
}

/** YYYY-MM-DD `days` after `localDate` (calendar arithmetic, no zone). */
export function addDays(localDate: string, days: number): string {
  const [y, m, d] = parseLocalDate(localDate);
  return new Date(Date.UTC(y, m, d + days)).toISOString().slice(0, 10);
}

/** The wall-clock fields of `at` in `timeZone`, read back as if they were UTC. */
function wallClockMs(at: Date, timeZone: string): number {
  const parts = cached("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
}

/** How far `timeZone`'s wall clock is ahead of UTC at `at`, in ms. */
function offsetMs(at: Date, timeZone: string): number {
  const whole = new Date(Math.floor(at.getTime() / 1000) * 1000);
  return wallClockMs(whole, timeZone) - whole.getTime();
}

const times = new Map<string, ShopTime>();

/** The shop's time, made once per zone and locale (recipes ask for it on every event). */
export function shopTime(settings: ShopTimeSettings): ShopTime {
  const key = `${settings.timeZone ?? ""}|${settings.locale ?? ""}`;
  let time = times.get(key);
  if (!time) {
    time = makeShopTime(settings);
    times.set(key, time);
  }
  return time;
}

function makeShopTime(settings: ShopTimeSettings): ShopTime {
  const timeZone = resolveTimeZone(settings.timeZone);
  const locale = resolveLocale(settings.locale);
  const dateTimeFormat = cached(locale, { timeZone, dateStyle: "medium", timeStyle: "short" });
  const dateFormat = cached(locale, { timeZone, dateStyle: "medium" });
  const clockFormat = cached(locale, {
    timeZone,
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  });
  const zoneFormat = cached(locale, { timeZone, timeZoneName: "short" });
  const dayFormat = cached(locale, { timeZone: "UTC", month: "short", day: "numeric" });
  const dayLongFormat = cached(locale, { timeZone: "UTC", dateStyle: "medium" });
  const relativeFormat = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });

  const localDate = (at: Date | string) =>
    new Date(wallClockMs(toDate(at), timeZone)).toISOString().slice(0, 10);

  const atLocal = (day: string, hour: number, minute = 0) => {
    const [y, m, d] = parseLocalDate(day);
    const wall = Date.UTC(y, m, d, hour, minute);
    // The offset at the wall time read as UTC is the right one except near a change; a second
    // pass with the offset found settles it (a wall time a spring-forward skips lands an hour
    // off, on a real instant; the scan hour is never in such a gap).
    const first = wall - offsetMs(new Date(wall), timeZone);
    const second = wall - offsetMs(new Date(first), timeZone);
    return new Date(second);
  };

  const relative = (at: Date | string, now: Date | string) => {
    const diff = toDate(at).getTime() - toDate(now).getTime();
    const size = Math.abs(diff);
    if (size < 45_000) return relativeFormat.format(0, "second");
    if (size < 45 * MINUTE_MS)
      return relativeFormat.format(Math.round(diff / MINUTE_MS) || Math.sign(diff), "minute");
    if (size < 22 * HOUR_MS) return relativeFormat.format(Math.round(diff / HOUR_MS), "hour");
    // Days by the shop's calendar: "yesterday" is the shop's yesterday.
    const days = Math.round((Date.parse(localDate(at)) - Date.parse(localDate(now))) / DAY_MS);
    return relativeFormat.format(days, "day");
  };

  return {
    timeZone,
    locale,
    dateTime: (at) => dateTimeFormat.format(toDate(at)),
    date: (at) => dateFormat.format(toDate(at)),
    relative,
    when: (at, now) =>
      Math.abs(toDate(at).getTime() - toDate(now).getTime()) < RECENT_MS
        ? relative(at, now)
        : dateTimeFormat.format(toDate(at)),
    clock: (at) => clockFormat.format(toDate(at)),
    zoneLabel: (at) =>
      timeZone === "UTC"
        ? "UTC"
        : (zoneFormat.formatToParts(toDate(at)).find((p) => p.type === "timeZoneName")?.value ??
          timeZone),
    day: (day) => {
      const [y, m, d] = parseLocalDate(day);
      return dayFormat.format(new Date(Date.UTC(y, m, d)));
    },
    dayLong: (day) => {
      const [y, m, d] = parseLocalDate(day);
      return dayLongFormat.format(new Date(Date.UTC(y, m, d)));
    },
    localDate,
    startOfDay: (day) => atLocal(day, 0),
    atLocal,
  };
}

/** The last `days` local dates ending with `now`'s, oldest first, and the instants bounding them. */
export function shopDays(
  time: ShopTime,
  now: Date,
  days: number,
): { dates: string[]; bounds: Date[] } {
  const today = time.localDate(now);
  const dates = Array.from({ length: days }, (_, i) => addDays(today, i - (days - 1)));
  const bounds = [...dates, addDays(today, 1)].map((d) => time.startOfDay(d));
  return { dates, bounds };
}

/**
 * A time zone as people name it ("Pacific Time", "heure normale du Japon"), for "Times in …"
 * captions; the zone's id when the platform has no name for it.
 */
export function zoneName(timeZone: string, locale = "en-US"): string {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return "UTC";
  try {
    // The generic name does not depend on the date: any instant gives it.
    return (
      new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "longGeneric" })
        .formatToParts(new Date(0))
        .find((part) => part.type === "timeZoneName")?.value ?? timeZone
    );
  } catch {
    return timeZone;
  }
}
