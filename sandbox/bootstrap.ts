/**
 * Gets the app's database ready for the sandbox shop before the app process opens it (PGlite
 * allows one process per data directory, so this runs first and closes the database again):
 *
 * 1. migrations, as the app's boot would run them;
 * 2. the shop's offline session, with the Shopify Admin fake's access token, stored through the
 *    app's own session storage — what token exchange would have stored at install;
 * 3. the install, through the app's `recordInstall` (what the afterAuth hook records), and on a
 *    new store the history import the install starts (it runs once the app's workers start);
 * 4. Klaviyo and Gorgias connections, through the app's own `connectKlaviyo` / `connectGorgias`
 *    against the fakes: the same key checks, the Gorgias HTTP-integration registration and the
 *    encrypted credentials the Integrations screen produces.
 *
 * The vendor fakes keep their data in memory, so each run starts with empty accounts: the
 * connections are deleted and made again every run, which also forgets the lists and ticket
 * states the app learnt from the previous run's fakes. Sessions and the install are kept.
 */
import { Session } from "@shopify/shopify-api";
import { migrateDatabase, openDatabase, setDatabase } from "../app/db.server";
import { setVendorEndpoints } from "../app/integrations/config.server";
import { connectGorgias, connectKlaviyo } from "../app/integrations/connections.server";
import { startHistoryImport } from "../app/integrations/shopify-admin/history-import.server";
import { JobQueue } from "../app/jobs/queue.server";
import { TASKS } from "../app/jobs/tasks.server";
import { deleteIntegration } from "../app/models/integrations.server";
import { DatabaseSessionStorage } from "../app/models/session-storage.server";
import { findShop, recordInstall } from "../app/models/shops.server";
import { systemClock } from "../app/utils/clock";
import { refuseInProduction } from "./guard";
import { SANDBOX_SCOPES } from "./config";
import type { SandboxShop } from "./store/types";

export interface BootstrapOptions {
  /** The app's PGlite data directory. */
  dataDir: string;
  shop: Pick<SandboxShop, "domain" | "name" | "currency" | "ianaTimezone" | "planDisplayName">;
  /** The Shopify Admin fake's token for the shop. */
  accessToken: string;
  /** The app's public URL (Gorgias calls it back there). */
  appUrl: string;
  klaviyo?: { baseUrl: string; apiKey: string };
  gorgias?: { apiUrl: string; domain: string; email: string; apiKey: string };
  /** Days of history a new store's import reads (the app's HISTORY_IMPORT_DAYS; default 365). */
  historyImportDays?: number;
}

export interface BootstrapReport {
  /** False when the session was already there (a resumed sandbox). */
  sessionCreated: boolean;
  installedBefore: boolean;
  klaviyo: { ok: true; account: string | null } | { ok: false; message: string } | null;
  gorgias: { ok: true; webhookRegistered: boolean } | { ok: false; message: string } | null;
}

export async function bootstrapSandboxDatabase(
  options: BootstrapOptions,
): Promise<BootstrapReport> {
  refuseInProduction("The sandbox bootstrap");
  const database = await openDatabase({ dataDir: options.dataDir });
  try {
    await migrateDatabase(database);
    const db = database.db;
    const shop = options.shop.domain;

    // The app's session storage reads the process database; point it at this one meanwhile.
    setDatabase(database);
    const storage = new DatabaseSessionStorage();
    const id = `offline_${shop}`;
    const existing = await storage.loadSession(id);
    if (!existing || existing.accessToken !== options.accessToken) {
      await storage.storeSession(
        new Session({
          id,
          shop,
          state: "",
          isOnline: false,
          scope: SANDBOX_SCOPES,
          accessToken: options.accessToken,
        }),
      );
    }

    const installedBefore = Boolean(await findShop(db, shop));
    await recordInstall(db, shop, systemClock.now(), {
      name: options.shop.name,
      currency: options.shop.currency,
      ianaTimezone: options.shop.ianaTimezone,
      plan: options.shop.planDisplayName,
    });

    const report: BootstrapReport = {
      sessionCreated: !existing,
      installedBefore,
      klaviyo: null,
      gorgias: null,
    };
    setVendorEndpoints({
      ...(options.klaviyo ? { klaviyoBaseUrl: options.klaviyo.baseUrl } : {}),
      ...(options.gorgias ? { gorgiasBaseUrl: options.gorgias.apiUrl } : {}),
    });
    if (options.klaviyo) {
      await deleteIntegration(db, shop, "klaviyo");
      const result = await connectKlaviyo(db, shop, options.klaviyo.apiKey);
      report.klaviyo = result.ok
        ? { ok: true, account: result.value.accountName }
        : { ok: false, message: result.message };
    }
    // Jobs queued here (the history import, the import of open tickets that connecting Gorgias
    // queues) run once the app's workers start.
    const queue = await JobQueue.start(database, TASKS, { supervise: false });
    try {
      if (!installedBefore)
        await startHistoryImport(db, queue, shop, systemClock.now(), {
          days: options.historyImportDays ?? 365,
        });
      if (options.gorgias) {
        await deleteIntegration(db, shop, "gorgias");
        const { domain, email, apiKey } = options.gorgias;
        const result = await connectGorgias(
          db,
          queue,
          shop,
          { domain, email, apiKey },
          { appUrl: options.appUrl },
        );
        report.gorgias = result.ok
          ? { ok: true, webhookRegistered: result.value.webhookRegistered }
          : { ok: false, message: result.message };
      }
    } finally {
      await queue.stop({ timeoutMs: 1_000 });
    }
    return report;
  } finally {
    setVendorEndpoints(undefined);
    setDatabase(undefined);
    await database.close();
  }
}
