import type { Database } from "./db.server";
import { getDatabase } from "./db.server";
import { env } from "./env.server";
import { JobQueue, type JobQueueOptions } from "./jobs/queue.server";
import { TASKS } from "./jobs/tasks.server";
import { provideAfterInstall } from "./shopify.server";
import { onInstalled } from "./install.server";
import type { TaskDefinition } from "./jobs/define-task";
import { systemClock, type Clock } from "./utils/clock";
import { log } from "./utils/log.server";
import { requeueWaitingEvents, WebhookIngest } from "./webhooks/ingest.server";

/** The long-lived parts of a process: database, job queue, webhook ingest, maybe workers. */
export interface Runtime {
  database: Database;
  queue: JobQueue;
  ingest: WebhookIngest;
  /** The one source of "now" for this process's calendar decisions. */
  clock: Clock;
  workers: boolean;
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

export interface RuntimeOptions extends JobQueueOptions {
  /** Run job workers in this process. */
  workers: boolean;
  concurrency?: number;
  /** Close the database on stop (the process owns it). */
  ownsDatabase?: boolean;
  /** Defaults to every registered task. */
  tasks?: TaskDefinition<any>[];
}

export async function createRuntime(database: Database, options: RuntimeOptions): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const queue = await JobQueue.start(database, options.tasks ?? TASKS, {
    supervise: options.workers,
    ...options,
    clock,
  });
  if (options.workers) {
    const requeued = await requeueWaitingEvents(database, queue);
    if (requeued > 0)
      log.info(`[runtime] ${requeued} stored webhook events were waiting; their jobs are queued`);
    await queue.work({ concurrency: options.concurrency ?? 4 });
  }
  const ingest = new WebhookIngest(database, queue);
  return {
    database,
    queue,
    ingest,
    clock,
    workers: options.workers,
    async stop({ timeoutMs } = {}) {
      await queue.stop({ timeoutMs });
      if (options.ownsDatabase) await database.close();
    },
  };
}

declare global {
  var __switchboardRuntime: Promise<Runtime> | undefined;
}

/**
 * The process runtime from the environment. Workers run here unless WORKERS=external on
 * PostgreSQL; on PGlite they always do (one process per data directory).
 */
export function getRuntime(): Promise<Runtime> {
  globalThis.__switchboardRuntime ??= (async () => {
    const config = env();
    // The logger starts from the raw LOG_LEVEL; the validated one is the process's.
    log.level = config.LOG_LEVEL;
    const database = await getDatabase();
    const workers = config.WORKERS === "in-process" || database.kind === "pglite";
    if (config.WORKERS === "external" && database.kind === "pglite") {
      log.warn(
        "[runtime] WORKERS=external needs PostgreSQL; on PGlite workers run in this process",
      );
    }
    return createRuntime(database, {
      workers,
      concurrency: config.WORKER_CONCURRENCY,
      shopBurstJobs: config.SHOP_BURST_JOBS,
      ownsDatabase: true,
    });
  })();
  return globalThis.__switchboardRuntime;
}

// afterAuth (app/shopify.server.ts) records installs with this process's runtime.
provideAfterInstall(async (installed) => {
  const { database, queue, clock } = await getRuntime();
  await onInstalled(
    { database, queue, clock, historyImportDays: env().HISTORY_IMPORT_DAYS },
    installed,
  );
});

export function setRuntime(runtime: Runtime | undefined): void {
  globalThis.__switchboardRuntime = runtime ? Promise.resolve(runtime) : undefined;
}
