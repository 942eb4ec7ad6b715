import { eq, sql } from "drizzle-orm";
import { orders, shops } from "../../../db/schema/index";
import { computeGapReport as computeReport } from "../../models/gap-report/gap-report.server";
import {
  scheduleDailyGapReport,
  storeGapReport,
  storeGapReportError,
} from "../../models/gap-report/gap-report-state.server";
import { DEFAULT_WINDOW_DAYS } from "../../models/gap-report/types";
import type { Locale } from "../../i18n/locale";
import { shopTime } from "../../utils/shop-time";
import { computeGapReportTask } from "../contracts";
import { defineTask } from "../define-task";

/**
 * Computes a shop's automation-gap report for one window and caches it (gap_reports), when the
 * merchant asks and daily for the default window: each default-window run queues the next
 * local day's. A failed attempt records why beside the last good report, then retries.
 */
/** Why the attempt failed, as the screen shows it above the last good report. */
function failureMessage(locale: Locale, message: string): string {
  return locale === "fr"
    ? `Le rapport n’a pas pu être calculé : ${message}`
    : `The report could not be computed: ${message}`;
}

export const computeGapReport = defineTask({
  ...computeGapReportTask,
  retry: { retryLimit: 3, retryDelaySeconds: 30, expireInSeconds: 300 },
  async run({ shop, windowDays, locale, requestedAt }, { database, clock, queue }) {
    const { db } = database;
    const [shopRow] = await db
      .select({ uninstalledAt: shops.uninstalledAt, timeZone: shops.ianaTimezone })
      .from(shops)
      .where(eq(shops.domain, shop));
    if (!shopRow || shopRow.uninstalledAt) return;
    if (windowDays === DEFAULT_WINDOW_DAYS) {
      const time = shopTime({ timeZone: shopRow.timeZone });
      await scheduleDailyGapReport(queue, shop, {
        today: time.localDate(new Date(requestedAt)),
        time,
        locale,
      });
    }
    // A store with no orders yet has nothing to grade: the screen says so instead.
    const [anyOrder] = await db
      .select({ one: sql<number>`1` })
      .from(orders)
      .where(eq(orders.shop, shop))
      .limit(1);
    if (!anyOrder) return;
    try {
      const now = clock.now();
      const report = await computeReport(db, shop, { windowDays, now, locale });
      await storeGapReport(db, shop, report, now, locale);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await storeGapReportError(db, shop, windowDays, failureMessage(locale, message), locale);
      throw error;
    }
  },
});
