import { getDatabase } from "./db.server";
import { env } from "./env.server";
import { scheduleRetention } from "./jobs/retention.server";
import { resealSessionTokens } from "./models/session-storage.server";
import { createRuntime, getRuntime, setRuntime, type Runtime } from "./runtime.server";
import { log } from "./utils/log.server";

/**
 * Everything the web process needs before it takes traffic: a valid environment, a migrated
 * database with every Shopify token sealed under the newest key, the job queue, and (unless
 * WORKERS=external on PostgreSQL) the job workers.
 * Called by server.js before it listens.
 */
export async function boot(): Promise<Runtime> {
  const config = env();
  const runtime = await getRuntime();
  // Tokens stored before sealing, or sealed with a key since rotated out of first place.
  const resealed = await resealSessionTokens(runtime.database.db);
  if (resealed > 0)
    log.info(
      `[boot] sealed the Shopify tokens of ${resealed} sessions with key "${config.ENCRYPTION_KEYS[0]!.id}"`,
    );
  // The daily purge of expired data (docs/privacy.md); its key is the date, so each boot of the day is a no-op.
  await scheduleRetention(runtime.queue, runtime.clock.now());
  log.info(
    `[boot] database: ${runtime.database.kind === "postgres" ? "PostgreSQL" : `PGlite at ${config.PGLITE_DATA_DIR}`} (migrated); workers: ${runtime.workers ? "in this process" : "external (npm run worker)"}`,
  );
  return runtime;
}

/** `npm run worker`: job workers only, as their own process (PostgreSQL). */
export async function runWorker(): Promise<Runtime> {
  const config = env();
  if (!config.DATABASE_URL) {
    throw new Error(
      "npm run worker needs DATABASE_URL=postgres://…: PGlite is one process per data directory, so on PGlite `npm start` runs the workers itself.",
    );
  }
  const runtime = await createRuntime(await getDatabase(), {
    workers: true,
    concurrency: config.WORKER_CONCURRENCY,
    shopBurstJobs: config.SHOP_BURST_JOBS,
    ownsDatabase: true,
  });
  // The process runtime is this one (anything asking getRuntime() shares its queue and pools).
  setRuntime(runtime);
  await scheduleRetention(runtime.queue, runtime.clock.now());
  log.info(`[worker] running ${config.WORKER_CONCURRENCY} jobs at a time per task`);
  return runtime;
}
