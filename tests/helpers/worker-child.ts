/**
 * A worker process for crash tests: `node --import tsx tests/helpers/worker-child.ts`.
 * Env: CHILD_DATABASE_URL (and CHILD_DATABASE_DIRECT_URL behind PgBouncer) or CHILD_PGLITE_DIR; CHILD_HOLD=before|after|none holds each
 * process-webhook job (before running it, or after its work but before the job completes)
 * so the parent can kill -9 this process at a known point. CHILD_CONCURRENCY sets its workers
 * (default 2) and CHILD_EXPIRE_SECONDS each job's lease (default 2); KLAVIYO_API_URL and
 * GORGIAS_API_URL point its vendor clients at the parent's fakes. Prints "ready", "holding <eventId>" and "done <eventId>" lines.
 */
import { migrateDatabase, openDatabase } from "../../app/db.server";
import { TASKS } from "../../app/jobs/tasks.server";
import { processWebhook } from "../../app/jobs/tasks/process-webhook.server";
import { createRuntime } from "../../app/runtime.server";

const hold = process.env.CHILD_HOLD ?? "none";
const database = await openDatabase({
  url: process.env.CHILD_DATABASE_URL || undefined,
  directUrl: process.env.CHILD_DATABASE_DIRECT_URL || undefined,
  dataDir: process.env.CHILD_PGLITE_DIR,
});
await migrateDatabase(database);
const holdForever = () => new Promise(() => undefined);
const held = {
  ...processWebhook,
  async run(
    payload: Parameters<typeof processWebhook.run>[0],
    helpers: Parameters<typeof processWebhook.run>[1],
  ) {
    if (hold === "before") {
      console.log(`holding ${payload.eventId}`);
      await holdForever();
    }
    await processWebhook.run(payload, helpers);
    if (hold === "after") {
      console.log(`holding ${payload.eventId}`);
      await holdForever();
    }
    console.log(`done ${payload.eventId}`);
  },
};
const runtime = await createRuntime(database, {
  workers: true,
  concurrency: Number(process.env.CHILD_CONCURRENCY ?? 2),
  superviseIntervalSeconds: 1,
  retryOverrides: {
    expireInSeconds: Number(process.env.CHILD_EXPIRE_SECONDS ?? 2),
    retryDelaySeconds: 1,
    retryDelayMaxSeconds: 1,
  },
  tasks: TASKS.map((task) => (task.name === processWebhook.name ? held : task)),
  ownsDatabase: true,
});
console.log("ready");
process.on("SIGTERM", async () => {
  await runtime.stop({ timeoutMs: 1_000 });
  process.exit(0);
});
