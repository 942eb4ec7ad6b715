import { and, eq, sql } from "drizzle-orm";
import { gapReports, orders } from "../../../db/schema/index";
import type { Db } from "../../db.server";
import { computeGapReportTask, type Enqueuer } from "../../jobs/contracts";
import { shopTime } from "../../utils/shop-time";
import type { GapReportState, WindowDays } from "./types";

/** A cached report older than this is shown with a "being refreshed" note (the schedule is daily). */
export const STALE_AFTER_MS = 26 * 3_600_000;

/** What the screen shows for one shop and window: the cached report, or why there is none yet. */
export async function loadGapReportState(
  db: Db,
  shop: string,
  { windowDays, now, timeZone }: { windowDays: WindowDays; now: Date; timeZone: string | null },
): Promise<GapReportState> {
  const [row] = await db
    .select()
    .from(gapReports)
    .where(and(eq(gapReports.shop, shop), eq(gapReports.windowDays, windowDays)));
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
    since: since.toISOString(),
    sinceDisplay: shopTime({ timeZone }).when(since, now),
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
  { windowDays, now }: { windowDays: WindowDays; now: Date },
): Promise<void> {
  await db
    .insert(gapReports)
    .values({ shop, windowDays, requestedAt: now })
    .onConflictDoUpdate({
      target: [gapReports.shop, gapReports.windowDays],
      set: { requestedAt: now },
    });
  await queue.enqueue(computeGapReportTask, {
    shop,
    windowDays,
    requestedAt: now.toISOString(),
  });
}
