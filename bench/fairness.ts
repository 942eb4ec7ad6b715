/**
 * `npm run bench -- fairness`: one shop's flash sale (BENCH_BURST orders/create, default 20,000)
 * stored through the ingest path in one go, then another shop's steady trickle while the workers
 * drain it. Measures the steady shop's enqueue → processed (p50/p95/p99) with the fair queue
 * (the default SHOP_BURST_JOBS) and, for comparison, first come first served (no allowance
 * ever exceeded), on PostgreSQL and on PGlite. One process, in-process workers.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrateDatabase, openDatabase, type Database } from "../app/db.server";
import { DEFAULT_SHOP_BURST_JOBS } from "../app/jobs/shop-volume";
import { createRuntime } from "../app/runtime.server";
import { burstAndTrickle } from "../tests/helpers/fairness";
import { machine, summarize, writeResult } from "./lib";

const BURST = Number(process.env.BENCH_BURST ?? 20_000);
const STEADY = Number(process.env.BENCH_STEADY ?? 100);
const EVERY_MS = Number(process.env.BENCH_STEADY_EVERY_MS ?? 50);
const CONCURRENCY = Number(process.env.WORKER_CONCURRENCY ?? 4);
const POSTGRES_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";

const MODES = {
  fair: DEFAULT_SHOP_BURST_JOBS,
  // An allowance no shop reaches: every job at priority 0, oldest first (the queue before this).
  fifo: Number.MAX_SAFE_INTEGER,
} as const;

async function measure(database: Database, kind: string, mode: keyof typeof MODES) {
  await migrateDatabase(database);
  const runtime = await createRuntime(database, {
    workers: true,
    concurrency: CONCURRENCY,
    shopBurstJobs: MODES[mode],
  });
  try {
    const result = await burstAndTrickle(runtime, {
      burst: BURST,
      steady: STEADY,
      everyMs: EVERY_MS,
      drainTimeoutMs: 180_000,
    });
    const steady = summarize(result.steadyMs);
    const run = {
      database: kind,
      mode,
      shopBurstJobs: mode === "fair" ? MODES.fair : null,
      p50Ms: Math.round(steady.p50),
      p95Ms: Math.round(steady.p95),
      p99Ms: Math.round(steady.p99),
      maxMs: Math.round(steady.max),
      steadyProcessed: result.steadyProcessed,
      steadyMeasured: steady.count,
      burstProcessed: result.burstProcessed,
      burstAckMs: Math.round(result.burstAckMs),
      burstDrainMs: Math.round(result.burstDrainMs),
      burstWaitingAtSteadyStart: result.burstWaitingAtSteadyStart,
      steadySendMs: Math.round(result.steadySendMs),
      overtaken: result.overtaken,
    };
    console.log(
      `  ${kind} ${mode}: steady p50 ${run.p50Ms} ms, p95 ${run.p95Ms} ms, p99 ${run.p99Ms} ms; ` +
        `burst acked in ${run.burstAckMs} ms, drained in ${run.burstDrainMs} ms`,
    );
    return run;
  } finally {
    await runtime.stop({ timeoutMs: 5_000 });
  }
}

async function onPostgres(mode: keyof typeof MODES) {
  const name = `sbbench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  try {
    const database = await openDatabase({ url: url.toString() });
    try {
      return await measure(database, "postgres", mode);
    } finally {
      await database.close();
    }
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function onPglite(mode: keyof typeof MODES) {
  const database = await openDatabase({ dataDir: "memory://" });
  try {
    return await measure(database, "pglite", mode);
  } finally {
    await database.close();
  }
}

export async function fairnessBenchmark(): Promise<void> {
  const databases = (process.env.BENCH_DATABASES ?? "postgres,pglite").split(",");
  const modes = (process.env.BENCH_FAIRNESS_MODES ?? "fair,fifo").split(
    ",",
  ) as (keyof typeof MODES)[];
  const runs = [];
  for (const kind of databases) {
    for (const mode of modes) {
      console.log(`${kind}, ${mode}: ${BURST} burst, ${STEADY} steady every ${EVERY_MS} ms`);
      runs.push(await (kind === "pglite" ? onPglite(mode) : onPostgres(mode)));
    }
  }
  const headline = runs.find((run) => run.mode === "fair") ?? runs[0]!;
  writeResult("fairness", {
    machine: machine(),
    burst: BURST,
    steady: STEADY,
    steadyEveryMs: EVERY_MS,
    workerConcurrency: CONCURRENCY,
    target: { p95Ms: 2_000 },
    // The headline: the fair queue on the first database measured.
    p50Ms: headline.p50Ms,
    p95Ms: headline.p95Ms,
    p99Ms: headline.p99Ms,
    runs,
  });
}
