import { and, eq, sql } from "drizzle-orm";
import { gapReports, orders } from "../../../db/schema/index";
import type { Db } from "../../db.server";
import { computeGapReportTask, type Enqueuer } from "../../jobs/contracts";
import { DEFAULT_LOCALE, intlLocale, type Locale } from "../../i18n/locale";
import { addDays, shopTime, type ShopTime } from "../../utils/shop-time";
import { DEFAULT_WINDOW_DAYS, type GapReport, type GapReportState, type WindowDays } from "./types";

/** A cached report older than this is shown with a "being refreshed" note (the schedule is daily). */
export const STALE_AFTER_MS = 26 * 3_600_000;

/** What the screen shows for one shop and window: the cached report, or why there is none yet. */
export async function loadGapReportState(
  db: Db,
  shop: string,
  {
    windowDays,
    now,
    timeZone,
    locale = DEFAULT_LOCALE,
  }: { windowDays: WindowDays; now: Date; timeZone: string | null; locale?: Locale },
): Promise<GapReportState> {
  const [row] = await db
    .select()
    .from(gapReports)
    .where(
      and(
        eq(gapReports.shop, shop),
        eq(gapReports.windowDays, windowDays),
        eq(gapReports.locale, locale),
      ),
    );
  if (row?.report && row.computedAt) {
    const stale =
      now.getTime() - row.computedAt.getTime() > STALE_AFTER_MS ||
      (row.requestedAt !== null && row.requestedAt > row.computedAt);
    return { status: "ready", report: row.report, stale };
  }
  const [anyOrder] = await db
    .select({ one: sql<number>`1` })
    .from(orders)
    .where(eq(orders.shop, shop))
    .limit(1);
  if (!anyOrder) return { status: "no-orders", importUrl: "/app" };
  const since = row?.requestedAt ?? now;
  return {
    status: "computing",
    requested: row?.requestedAt != null,
    lastError: row?.lastError ?? null,
    since: since.toISOString(),
    sinceDisplay: shopTime({ timeZone, locale: intlLocale(locale) }).when(since, now),
  };
}

/**
 * Asks for a fresh report: marks the request (so the screen shows it is being computed) and
 * enqueues the computation; the same instant asked twice is one job.
 */
export async function requestGapReport(
  db: Db,
  queue: Enqueuer,
  shop: string,
  {
    windowDays,
    now,
    locale = DEFAULT_LOCALE,
  }: { windowDays: WindowDays; now: Date; locale?: Locale },
): Promise<void> {
  await db
    .insert(gapReports)
    .values({ shop, windowDays, locale, requestedAt: now })
    .onConflictDoUpdate({
      target: [gapReports.shop, gapReports.windowDays, gapReports.locale],
      set: { requestedAt: now },
    });
  await queue.enqueue(computeGapReportTask, {
    shop,
    windowDays,
    locale,
    requestedAt: now.toISOString(),
  });
}

/** Caches a computed report: the screen reads it from now on, and the last error is cleared. */
export async function storeGapReport(
  db: Db,
  shop: string,
  report: GapReport,
  computedAt: Date,
  locale: Locale = DEFAULT_LOCALE,
): Promise<void> {
  await db
    .insert(gapReports)
    .values({ shop, windowDays: report.window.days, locale, report, computedAt, lastError: null })
    .onConflictDoUpdate({
      target: [gapReports.shop, gapReports.windowDays, gapReports.locale],
      set: { report, computedAt, lastError: null },
    });
}

/** Why the last computation failed, kept beside the previous report (which stays shown). */
export async function storeGapReportError(
  db: Db,
  shop: string,
  windowDays: WindowDays,
  error: string,
  locale: Locale = DEFAULT_LOCALE,
): Promise<void> {
  await db
    .insert(gapReports)
    .values({ shop, windowDays, locale, lastError: error })
    .onConflictDoUpdate({
      target: [gapReports.shop, gapReports.windowDays, gapReports.locale],
      set: { lastError: error },
    });
}

/**
 * The daily report runs at this hour of the shop's clock: before the daily scans
 * (DAILY_SCAN_LOCAL_HOUR), so the merchant's morning starts with yesterday counted.
 */
export const GAP_REPORT_LOCAL_HOUR = 6;

/**
 * Keeps the default window's report computed daily, in each language it is read in (each
 * language's run schedules its own next one): queues the run of the local date after
 * `today` at GAP_REPORT_LOCAL_HOUR. Its key is that instant, so every run (scheduled or asked
 * for) that schedules the same next day queues one job.
 */
export async function scheduleDailyGapReport(
  queue: Enqueuer,
  shop: string,
  { today, time, locale = DEFAULT_LOCALE }: { today: string; time: ShopTime; locale?: Locale },
): Promise<void> {
  const at = time.atLocal(addDays(today, 1), GAP_REPORT_LOCAL_HOUR);
  await queue.enqueue(
    computeGapReportTask,
    { shop, windowDays: DEFAULT_WINDOW_DAYS, locale, requestedAt: at.toISOString() },
    { startAfter: at },
  );
}
