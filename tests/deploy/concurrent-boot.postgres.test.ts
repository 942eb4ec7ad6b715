import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../app/db.server";
import { TASKS } from "../../app/jobs/tasks.server";
import { freePort } from "../helpers/app-server";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

const JOURNAL = JSON.parse(readFileSync(path.resolve("db/migrations/meta/_journal.json"), "utf8"))
  .entries as { tag: string }[];

/** A copy of db/migrations holding only the first `count` migrations (an older release's). */
function migrationsUpTo(count: number): string {
  const folder = mkdtempSync(path.join(tmpdir(), "switchboard-migrations-"));
  cpSync(path.resolve("db/migrations"), folder, { recursive: true });
  const journalPath = path.join(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: unknown[] };
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

interface Started {
  name: string;
  child: ChildProcess;
  port: number;
  output(): string;
}

const baseEnv = (url: string): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_ENV: "test",
  SHOPIFY_API_KEY: API_KEY,
  SHOPIFY_API_SECRET: API_SECRET_KEY,
  DATABASE_URL: url,
  WORKERS: "external",
  LOG_LEVEL: "info",
});

function start(name: string, script: string, env: NodeJS.ProcessEnv, port: number): Started {
  let output = "";
  const child = spawn(process.execPath, [script], {
    cwd: process.cwd(),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return { name, child, port, output: () => output };
}

/** Resolves when the process's /readyz answers 200; throws with its output if it exits or takes too long. */
async function ready(process_: Started, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (process_.child.exitCode !== null)
      throw new Error(`${process_.name} exited ${process_.child.exitCode}:\n${process_.output()}`);
    if (Date.now() > deadline)
      throw new Error(`${process_.name} not ready in time:\n${process_.output()}`);
    const answer = await fetch(`http://127.0.0.1:${process_.port}/readyz`).catch(() => undefined);
    if (answer?.status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(process_: Started): Promise<void> {
  if (process_.child.exitCode !== null) return;
  const exited = new Promise((r) => process_.child.once("exit", r));
  process_.child.kill("SIGTERM");
  await exited;
}

/**
 * A release rolled out as an orchestrator does it: one web process (`node server.js`, workers
 * external) and two workers (`node worker.js`) started at the same moment on one database.
 */
describe("web and worker processes booting together on one PostgreSQL database", () => {
  let test: TestDatabase | undefined;
  let processes: Started[] = [];

  beforeAll(() => {
    // The build is shared by the three processes: made once here, not raced by them.
    const built = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", "await (await import('./scripts/build.js')).loadBuild()"],
      { env: baseEnv(""), encoding: "utf8" },
    );
    expect(built.status, `${built.stdout}${built.stderr}`).toBe(0);
  }, 300_000);

  afterEach(async () => {
    await Promise.all(processes.map(stop));
    processes = [];
    await test?.destroy();
    test = undefined;
  });

  async function bootThree(url: string): Promise<void> {
    const [web, workerA, workerB] = await Promise.all([freePort(), freePort(), freePort()]);
    processes = [
      start(
        "web",
        "server.js",
        { ...baseEnv(url), PORT: String(web!), SHOPIFY_APP_URL: `http://localhost:${web}` },
        web!,
      ),
      start("worker 1", "worker.js", { ...baseEnv(url), HEALTH_PORT: String(workerA!) }, workerA!),
      start("worker 2", "worker.js", { ...baseEnv(url), HEALTH_PORT: String(workerB!) }, workerB!),
    ];
    await Promise.all(processes.map((p) => ready(p)));
  }

  async function expectMigratedOnce(): Promise<void> {
    const { rows } = await test!.database.executeSql(
      "select hash, count(*)::int as times from drizzle.__drizzle_migrations group by hash",
    );
    // Every migration of this release is recorded, none of them twice.
    expect(rows).toHaveLength(JOURNAL.length);
    expect(rows.every((row) => row.times === 1)).toBe(true);
    const versions = await test!.database.executeSql("select version from pgboss.version");
    expect(versions.rows).toHaveLength(1);
    const queues = await test!.database.executeSql("select name from pgboss.queue");
    expect(queues.rows.map((row) => row.name).sort()).toEqual(
      TASKS.map((task) => task.name).sort(),
    );
    for (const process_ of processes) {
      const lines = process_.output().split("\n");
      // No warning or error logged, no losing side of a race.
      expect(
        lines.filter((line) =>
          /"level":"(warn|error|fatal)"|already exists|duplicate key/i.test(line),
        ),
      ).toEqual([]);
      expect(process_.child.exitCode).toBeNull();
    }
  }

  it("on an empty database: all three become ready, and each migration and the queue schema are applied once", async () => {
    test = await createTestDatabase("postgres", { migrate: false });
    await bootThree(test.url!);
    await expectMigratedOnce();
    // Each process, web and workers, serves Prometheus its metrics beside its probes.
    for (const process_ of processes) {
      const answer = await fetch(`http://127.0.0.1:${process_.port}/metrics`);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toMatch(/^switchboard_queue_depth\{task="process-webhook"\} 0$/m);
    }
  }, 240_000);

  it("on a database an older release migrated: all three become ready, and the newer migrations are applied once", async () => {
    test = await createTestDatabase("postgres", { migrate: false });
    const older = migrationsUpTo(JOURNAL.length - 4);
    try {
      await migrateDatabase(test.database, older);
    } finally {
      rmSync(older, { recursive: true, force: true });
    }
    const before = await test.database.executeSql(
      "select count(*)::int as n from drizzle.__drizzle_migrations",
    );
    expect(before.rows[0].n).toBe(JOURNAL.length - 4);
    await bootThree(test.url!);
    await expectMigratedOnce();
  }, 240_000);
});
