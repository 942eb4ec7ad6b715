import { env } from "../../env.server";
import { purgeExpiredShopData, shopDomainsAfter } from "../../models/retention.server";
import { dropStaleHeldWork, HELD_MAX_AGE_DAYS } from "../../recipes/held-work.server";
import { log } from "../../utils/log.server";
import { purgeExpiredDataTask } from "../contracts";
import { defineTask } from "../define-task";
import { scheduleRetention } from "../retention.server";

/** Shops per page of the day's walk (one insert of their jobs per page). */
const SHOPS_PER_PAGE = 500;

/**
 * The daily purge (docs/decisions/015-retention.md). The day's walk (no shop in the payload)
 * schedules the next day's, then enqueues one job per shop; a shop's job deletes its expired
 * webhook events, recipe runs and vendor call records in batches of at most 1,000 rows, and
 * hands what it did not finish to a next round, so no job runs long. A shop's first round also
 * drops work held for a disconnected integration that waited too long (held-work.server.ts).
 */
export const purgeExpiredData = defineTask({
  ...purgeExpiredDataTask,
  retry: {
    retryLimit: 5,
    retryDelaySeconds: 30,
    retryDelayMaxSeconds: 900,
    expireInSeconds: 10 * 60,
  },
  async run(payload, { database, clock, queue, signal }) {
    if (!payload.shop) {
      // First, so a walk that fails half-way (and retries) never breaks the chain of days.
      await scheduleRetention(queue, new Date(`${payload.date}T12:00:00Z`), {
        includeToday: false,
      });
      let after = "";
      for (;;) {
        const shops = await shopDomainsAfter(database.executeSql, after, SHOPS_PER_PAGE);
        if (shops.length === 0) break;
        await queue.enqueueMany(
          purgeExpiredDataTask,
          shops.map((shop) => ({ date: payload.date, shop })),
        );
        after = shops[shops.length - 1]!;
      }
      return;
    }
    const config = env();
    if (payload.round === 1) {
      const dropped = await dropStaleHeldWork(database, payload.shop, clock.now());
      if (dropped > 0)
        log.info(
          `[retention] ${payload.shop}: dropped ${dropped} held actions older than ${HELD_MAX_AGE_DAYS} days`,
        );
    }
    const result = await purgeExpiredShopData(database.executeSql, payload.shop, {
      now: clock.now(),
      policy: {
        webhookDays: config.WEBHOOK_RETENTION_DAYS,
        runDays: config.RECIPE_RUN_RETENTION_DAYS,
      },
      signal,
    });
    log.info(
      `[retention] ${payload.shop} ${payload.date} round ${payload.round}: deleted ${result.webhookEvents} webhook events, ${result.recipeRuns} recipe runs, ${result.deliveryAttempts} vendor calls in ${result.batches} batches${result.complete ? "" : "; more next round"}`,
    );
    if (!result.complete)
      await queue.enqueue(purgeExpiredDataTask, { ...payload, round: payload.round + 1 });
  },
});
