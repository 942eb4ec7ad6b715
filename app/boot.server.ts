import { env } from "./env.server";
import { resealSessionTokens } from "./models/session-storage.server";
import { getRuntime, type Runtime } from "./runtime.server";
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
  if (resealed > 0) log.info(`[boot] sealed the Shopify tokens of ${resealed} sessions with key "${config.ENCRYPTION_KEYS[0]!.id}"`);
  log.info(
    `[boot] database: ${runtime.database.kind === "postgres" ? "PostgreSQL" : `PGlite at ${config.PGLITE_DATA_DIR}`} (migrated); workers: ${runtime.workers ? "in this process" : "external (npm run worker)"}`,
  );
  return runtime;
}

/** `npm run worker`: job workers only, as their own process (PostgreSQL). */
export async function runWorker(): Promise<Runtime> {
  const config = env();
  if (!config.DATABASE_URL) {
    throw new Error("npm run worker needs DATABASE_URL=postgres://…: PGlite is one process per data directory, so on PGlite `npm start` runs the workers itself.");
  }
  const { getDatabase } = await import("./db.server");
  const { createRuntime, setRuntime } = await import("./runtime.server");
  const runtime = await createRuntime(await getDatabase(), { workers: true, concurrency: config.WORKER_CONCURRENCY, ownsDatabase: true });
  // Jobs that enqueue others (recipes' follow-ups, deliveries) use this process's queue.
  setRuntime(runtime);
  log.info(`[worker] running ${config.WORKER_CONCURRENCY} jobs at a time per task`);
  return runtime;
}
