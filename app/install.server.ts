import type { Database } from "./db.server";
import {
  lookUpShopDetails,
  type AdminGraphql,
} from "./integrations/shopify-admin/shop-details.server";
import { startHistoryImport } from "./integrations/shopify-admin/history-import.server";
import { syncShopDetailsTask, type Enqueuer } from "./jobs/contracts";
import { scheduleDailyGapReport } from "./models/gap-report/gap-report-state.server";
import { getHistoryImport } from "./models/history-imports.server";
import { recordInstall } from "./models/shops.server";
import type { Clock } from "./utils/clock";
import { shopTime } from "./utils/shop-time";
import { log } from "./utils/log.server";

/** What an install needs from the process: the composition root hands it to afterAuth. */
export interface InstallServices {
  database: Database;
  queue: Enqueuer;
  clock: Clock;
  /** Days of order history a new install imports (HISTORY_IMPORT_DAYS). */
  historyImportDays: number;
}

export interface Installed {
  shop: string;
  /** The shop's Admin GraphQL, authorized with the offline token just obtained. */
  graphql: AdminGraphql;
}

/**
 * Everything an install or reinstall does, called once from afterAuth (app/shopify.server.ts)
 * after Shopify granted the offline token: look the shop up, record the install with what
 * Shopify said, and start what a new install starts. A failed lookup does not fail the install:
 * it is logged and asked again by the sync-shop-details task, so the shop's currency and time
 * zone are never left unknown for good (and nothing assumes USD meanwhile). A first install, or
 * a reinstall, starts the history import; afterAuth also runs when a lost session is restored by
 * token exchange, and that must not import the store again.
 */
export async function onInstalled(services: InstallServices, installed: Installed) {
  const { database, queue, clock } = services;
  const now = clock.now();
  const lookup = await lookUpShopDetails(installed.graphql);
  const row = await recordInstall(
    database.db,
    installed.shop,
    now,
    lookup.ok ? lookup.details : {},
  );
  const installedNow = row.installedAt.getTime() === now.getTime();
  if (installedNow || !(await getHistoryImport(database.db, installed.shop))) {
    await startHistoryImport(database.db, queue, installed.shop, now, {
      days: services.historyImportDays,
    });
  }
  // The daily gap report, from the shop's next morning (each run queues the next).
  const time = shopTime({ timeZone: row.ianaTimezone });
  await scheduleDailyGapReport(queue, installed.shop, { today: time.localDate(now), time });
  if (!lookup.ok) {
    log.warn(
      `[install] shop details lookup failed shop=${installed.shop}: ${lookup.reason}; the sync-shop-details task asks again`,
    );
    await queue.enqueue(syncShopDetailsTask, {
      shop: installed.shop,
      installedAt: row.installedAt.toISOString(),
    });
  }
}
