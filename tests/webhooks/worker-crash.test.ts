import "../helpers/shopify";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Database } from "../../app/db.server";
import { createRuntime, setRuntime } from "../../app/runtime.server";
import { orders, webhookEvents } from "../../db/schema/index";
import { jobIdForKey } from "../../app/jobs/queue.server";
import { orderPayload, SHOP } from "../fixtures/shopify-payloads";
import { createTestDatabase, databaseKinds } from "../helpers/database";
import { deliver } from "../helpers/webhooks";

/** Starts tests/helpers/worker-child.ts and resolves once it printed `line` (a regex). */
function startChild(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/worker-child.ts"], {
    env: { ...process.env, ...env, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const tick = () => {
        if (pattern.test(output)) return resolve();
        if (child.exitCode !== null)
          return reject(
            new Error(`worker exited (${child.exitCode}) before ${pattern}:\n${output}`),
          );
        if (Date.now() - started > timeoutMs)
          return reject(new Error(`worker never printed ${pattern}:\n${output}`));
        setTimeout(tick, 20);
      };
      tick();
    });
  return { child, waitFor, output: () => output };
}

const exited = (child: ChildProcess) =>
  new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));

async function kill9(child: ChildProcess) {
  child.kill("SIGKILL");
  await exited(child);
}

async function stopGracefully(child: ChildProcess) {
  child.kill("SIGTERM");
  await exited(child);
}

/** Stores a delivery and its job with no worker running, using the same lease the children use. */
async function storeDelivery(database: Database, webhookId: string, orderId: number) {
  const runtime = await createRuntime(database, {
    workers: false,
    retryOverrides: { expireInSeconds: 2, retryDelaySeconds: 1, retryDelayMaxSeconds: 1 },
  });
  setRuntime(runtime);
  try {
    expect(
      (await deliver("orders/create", orderPayload({ id: orderId }), { webhookId })).status,
    ).toBe(200);
  } finally {
    setRuntime(undefined);
    await runtime.stop();
  }
}

async function readOutcome(database: Database, webhookId: string, orderId: number) {
  const [event] = await database.db
    .select()
    .from(webhookEvents)
    .where(eq(webhookEvents.webhookId, webhookId));
  const stored = await database.db
    .select()
    .from(orders)
    .where(eq(orders.id, String(orderId)));
  const { rows } = await database.executeSql(`select state from pgboss.job where id = $1`, [
    jobIdForKey(`process-webhook:${SHOP}:${webhookId}`),
  ]);
  return { event, stored, jobState: rows[0]?.state as string | undefined };
}

describe.each(databaseKinds())("a worker killed with SIGKILL mid-job [%s]", (kind) => {
  it.each(["before", "after"] as const)(
    "reruns the job after its lease when killed %s doing the work; the event is processed exactly once",
    async (hold) => {
      const webhookId = `crash-${kind}-${hold}`;
      const orderId = hold === "before" ? 5_300_000_000_001 : 5_300_000_000_002;
      if (kind === "postgres") {
        const test = await createTestDatabase("postgres");
        try {
          await storeDelivery(test.database, webhookId, orderId);
          const first = startChild({
            CHILD_DATABASE_URL: test.url!,
            CHILD_DATABASE_DIRECT_URL: test.directUrl ?? "",
            CHILD_HOLD: hold,
          });
          await first.waitFor(/holding \d+/);
          await kill9(first.child);
          const second = startChild({
            CHILD_DATABASE_URL: test.url!,
            CHILD_DATABASE_DIRECT_URL: test.directUrl ?? "",
            CHILD_HOLD: "none",
          });
          await second.waitFor(/done \d+/);
          await stopGracefully(second.child);
          const outcome = await readOutcome(test.database, webhookId, orderId);
          expect(outcome.event).toMatchObject({ status: "processed", attempts: 1 });
          expect(outcome.stored).toHaveLength(1);
          expect(outcome.jobState).toBe("completed");
        } finally {
          await test.destroy();
        }
        return;
      }
      // PGlite: one process per data directory, so the parent hands the directory over.
      const dir = mkdtempSync(path.join(tmpdir(), "switchboard-crash-"));
      try {
        const seed = await openDatabase({ dataDir: dir });
        await migrateDatabase(seed);
        await storeDelivery(seed, webhookId, orderId);
        await seed.close();
        const first = startChild({ CHILD_PGLITE_DIR: dir, CHILD_HOLD: hold });
        await first.waitFor(/holding \d+/);
        await kill9(first.child);
        const second = startChild({ CHILD_PGLITE_DIR: dir, CHILD_HOLD: "none" });
        await second.waitFor(/done \d+/);
        await stopGracefully(second.child);
        const after = await openDatabase({ dataDir: dir });
        try {
          const outcome = await readOutcome(after, webhookId, orderId);
          expect(outcome.event).toMatchObject({ status: "processed", attempts: 1 });
          expect(outcome.stored).toHaveLength(1);
          expect(outcome.jobState).toBe("completed");
        } finally {
          await after.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
