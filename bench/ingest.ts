/**
 * `npm run bench -- ingest`: sustained signed orders/create webhooks against the built server
 * (`node server.js`, in-process workers), evenly paced, on PostgreSQL and on PGlite.
 * Measures ack latency, throughput and errors, then ack → processed from the database, and
 * checks nothing was lost or processed twice.
 */
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { migrateDatabase, openDatabase, type Database } from "../app/db.server";
import { orderPayload } from "../tests/fixtures/shopify-payloads";
import {
  machine,
  processCpuMs,
  progress,
  startServer,
  summarize,
  writeBarChart,
  writeResult,
} from "./lib";
import { rawHttpConnection, type RawHttpConnection } from "./raw-http";

const SECRET = "bench-secret";
const SHOP = "bench-shop.myshopify.com";
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
/** PostgreSQL: seconds at RATE before the measured run (not in its latencies; in its lost/twice checks). */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const POSTGRES_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";

/** A few KB, like a real orders/create with a handful of line items; 500 distinct customers (repeat buyers past 500 orders). */
function body(i: number): string {
  const fixture = orderPayload({ id: 9_000_000_000 + i, name: `#B${i}` });
  const email = `buyer${i}@example.com`;
  const base = {
    ...fixture,
    email,
    contact_email: email,
    customer: { ...fixture.customer, id: 7_500_000_000 + i, email },
  };
  const lineItems = Array.from({ length: 8 }, (_, k) => ({
    ...base.line_items[0],
    id: 20_000_000 + i * 10 + k,
    title: `Bench item ${k} ${randomBytes(60).toString("hex")}`,
  }));
  return JSON.stringify({ ...base, line_items: lineItems });
}

/**
 * Fires RATE signed orders/create per second, evenly spaced, for `seconds`; returns each ack's
 * latency. Requests are signed and serialised before the clock starts and sent as raw HTTP/1.1
 * over keep-alive connections, so the load generator (on the same 2 cores as the app and
 * PostgreSQL) costs as little CPU as it can. Orders are numbered from `firstOrder`, so a warm-up
 * and the measured run never share one.
 */
async function drive(
  port: number,
  {
    seconds = SECONDS,
    firstOrder = 0,
    rate = RATE,
  }: { seconds?: number; firstOrder?: number; rate?: number } = {},
) {
  const total = rate * seconds;
  const bodies = Array.from({ length: Math.min(total, 500) }, (_, i) => body(i));
  const requests = Array.from({ length: total }, (_, i) => {
    const order = firstOrder + i;
    const payload =
      order < bodies.length
        ? bodies[order]!
        : bodies[order % bodies.length]!.replace(
            /"id":9\d+,"admin/,
            `"id":${9_000_000_000 + order},"admin`,
          );
    const head = [
      "POST /webhooks/orders/create HTTP/1.1",
      `Host: 127.0.0.1:${port}`,
      "Content-Type: application/json",
      `Content-Length: ${Buffer.byteLength(payload)}`,
      "X-Shopify-Topic: orders/create",
      `X-Shopify-Shop-Domain: ${SHOP}`,
      "X-Shopify-API-Version: 2026-10",
      `X-Shopify-Webhook-Id: ${randomUUID()}`,
      `X-Shopify-Triggered-At: ${new Date().toISOString()}`,
      `X-Shopify-Hmac-Sha256: ${createHmac("sha256", SECRET).update(payload).digest("base64")}`,
    ].join("\r\n");
    return Buffer.from(`${head}\r\n\r\n${payload}`);
  });
  // At most 64 connections (as an HTTP agent would keep); beyond that a request waits its turn,
  // and its latency counts the wait.
  const idle = Array.from({ length: 64 }, () => rawHttpConnection(port));
  const all = [...idle];
  const queued: ((connection: RawHttpConnection) => void)[] = [];
  const release = (connection: RawHttpConnection) => {
    const next = queued.shift();
    if (next) next(connection);
    else idle.push(connection);
  };
  const latencies: number[] = [];
  /** Each request's send time (ms since the run started), to find when the slow ones happened. */
  const sentAt: number[] = [];
  let errors = 0;
  let done = 0;
  const statuses: Record<number, number> = {};
  const tick = progress(
    `  ${rate}/s for ${seconds}s${firstOrder === 0 && seconds !== SECONDS ? " (warm-up)" : ""}`,
    total,
  );
  const send = async (i: number) => {
    const started = process.hrtime.bigint();
    sentAt[i] = performance.now() - runStarted;
    const connection =
      idle.pop() ?? (await new Promise<RawHttpConnection>((resolve) => queued.push(resolve)));
    const { status } = await connection.request(requests[i]!);
    latencies[i] = Number(process.hrtime.bigint() - started) / 1e6;
    release(connection);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status !== 200) errors++;
    tick(++done);
  };

  const inflight: Promise<void>[] = [];
  const runStarted = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const loop = () => {
      const due = Math.min(total, Math.floor(((performance.now() - runStarted) / 1000) * rate) + 1);
      while (next < due) inflight.push(send(next++));
      if (next >= total) return resolve();
      setTimeout(loop, 1);
    };
    loop();
  });
  await Promise.all(inflight);
  const wallSeconds = (performance.now() - runStarted) / 1000;
  for (const connection of all) connection.close();
  return {
    total,
    latencies,
    perSecond: perSecondP99(sentAt, latencies),
    errors,
    statuses,
    throughput: Math.round(total / wallSeconds),
  };
}

/** Ack p99 of the requests sent in each second of the run: shows whether slow acks are spread out or bunched. */
function perSecondP99(sentAt: number[], latencies: number[]): number[] {
  const seconds: number[][] = [];
  sentAt.forEach((at, i) => (seconds[Math.floor(at / 1000)] ??= []).push(latencies[i]!));
  return Array.from(seconds, (window) => summarize(window ?? []).p99);
}

/** Queued → started of the process-webhook jobs of events after `afterEventId` (pg-boss's own timestamps). */
async function jobStartLatencies(database: Database, afterEventId: number) {
  const { rows } = await database.executeSql(
    `select extract(epoch from (j.started_on - j.created_on)) * 1000 as ms
       from pgboss.job j join webhook_events e on e.id = (j.data->>'eventId')::bigint
      where j.name = 'process-webhook' and j.started_on is not null and e.id > $1 and e.webhook_id not like 'past-%'`,
    [afterEventId],
  );
  return summarize(rows.map((row) => Number(row.ms)));
}

async function processingStats(database: Database, expected: number, afterEventId = 0) {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const { rows } = await database.executeSql(
      `select count(*)::int as stored, count(*) filter (where status = 'processed')::int as processed,
              count(*) filter (where attempts > 1)::int as reprocessed from webhook_events where shop = $1 and webhook_id not like 'past-%' and id > $2`,
      [SHOP, afterEventId],
    );
    const { stored, processed, reprocessed } = rows[0];
    if (processed >= expected || Date.now() > deadline) {
      const { rows: timings } = await database.executeSql(
        `select extract(epoch from (processed_at - received_at)) * 1000 as ms from webhook_events where shop = $1 and status = 'processed' and webhook_id not like 'past-%' and id > $2`,
        [SHOP, afterEventId],
      );
      return {
        stored,
        processed,
        reprocessed,
        ackToProcessedMs: summarize(timings.map((r) => Number(r.ms))),
      };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * A store big enough to send 500 orders a second on Black Friday has history: 100,000 customers,
 * their orders and a month of processed webhooks. It does not start from empty tables (which
 * would also mislead the planner into scanning them; cached plans are replanned once
 * autovacuum's ANALYZE sees the growth).
 */
async function seedHistory(url: string) {
  const database = await openDatabase({ url });
  try {
    await migrateDatabase(database);
    await database.executeSql(
      `insert into customers (shop, id, email, order_count, lifetime_spend)
       select '${SHOP}', 7400000000 + g, 'past' || g || '@example.com', 1, 84.00 from generate_series(1, 100000) g`,
    );
    await database.executeSql(
      `insert into orders (shop, id, name, email, customer_id, currency, total_price, current_total_price, financial_status, created_at, source_updated_at)
       select '${SHOP}', 8000000000 + g, '#P' || g, 'past' || g || '@example.com', 7400000000 + g, 'USD', 84.00, 84.00, 'paid',
              now() - interval '30 days' + (g % 30) * interval '1 day', now() - interval '30 days' + (g % 30) * interval '1 day'
         from generate_series(1, 100000) g`,
    );
    await database.executeSql(
      `insert into webhook_events (shop, topic, webhook_id, api_version, payload, status, attempts, received_at, processed_at)
       select '${SHOP}', 'orders/create', 'past-' || g, '2026-10', jsonb_build_object('id', 8000000000 + g), 'processed', 1,
              now() - interval '30 days' + (g % 30) * interval '1 day', now() - interval '30 days' + (g % 30) * interval '1 day'
         from generate_series(1, 50000) g`,
    );
    await database.executeSql("analyze");
    // The history was written long ago: on disk, not ~100 MB of dirty pages that the kernel would
    // flush 30 s from now, in the middle of the measured run, stalling the acks' WAL flushes.
    await database.executeSql("checkpoint");
  } finally {
    await database.close();
  }
}

/**
 * A production PostgreSQL runs autovacuum, which analyzes pg-boss's job table soon after the
 * warm-up's jobs arrive. A server with autovacuum off (this machine's, for one) never does, and
 * pg-boss's complete statement, planned for an "empty" table, then compares every job of the
 * queue with every completed id: 5–30 ms per batch, growing with the table. Do what autovacuum
 * would have done.
 */
async function analyzeWithoutAutovacuum(admin: pg.Client, url: string) {
  const { rows } = await admin.query("show autovacuum");
  if (rows[0]?.autovacuum !== "off") return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("analyze");
  } finally {
    await client.end();
  }
  console.log(
    "  autovacuum is off on this server: analyzed after the warm-up, as autovacuum would have",
  );
}

async function runPostgres() {
  const name = `sbbench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  try {
    await seedHistory(url.toString());
    // Production topology on PostgreSQL: the web process acks, a worker process processes.
    const env = {
      DATABASE_URL: url.toString(),
      WORKERS: "external",
      DATABASE_POOL_SIZE: "20",
      LOG_LEVEL: "warn",
    };
    const server = await startServer(SECRET, env);
    const workerCount = Number(process.env.BENCH_WORKERS ?? 1);
    const workers = await Promise.all(
      Array.from({ length: workerCount }, () =>
        startServer(
          SECRET,
          { ...env, WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? "16" },
          "worker.js",
        ),
      ),
    );
    // A server on Black Friday is warm: pooled connections open, plans cached, code compiled.
    const warmup = await drive(server.port, { seconds: WARMUP_SECONDS });
    await analyzeWithoutAutovacuum(admin, url.toString());
    // CPU per webhook, per process (stable under load, where latency is not).
    const backends = async () =>
      (await admin.query(`select pid from pg_stat_activity where datname = $1`, [name])).rows.map(
        (r) => Number(r.pid),
      );
    const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0);
    const before = {
      web: cpuOf([server.pid]),
      workers: cpuOf(workers.map((w) => w.pid)),
      postgres: cpuOf(await backends()),
      client: process.cpuUsage(),
    };
    const load = await drive(server.port, { firstOrder: warmup.total });
    const clientCpu = process.cpuUsage(before.client);
    const database = await openDatabase({ url: url.toString() });
    const processing = await processingStats(
      database,
      warmup.total - warmup.errors + load.total - load.errors,
    );
    const perEvent = (ms: number) => Math.round((ms / load.total) * 1000) / 1000;
    const cpuMsPerWebhook = {
      web: perEvent(cpuOf([server.pid]) - before.web),
      workers: perEvent(cpuOf(workers.map((w) => w.pid)) - before.workers),
      // Backends that ended during the run are not counted; the pools keep theirs open.
      postgres: perEvent(cpuOf(await backends()) - before.postgres),
      loadGenerator: perEvent((clientCpu.user + clientCpu.system) / 1000),
    };
    const jobStartUnderLoadMs = await jobStartLatencies(database, 0);
    // A quiet hour: one webhook every 250 ms. Each job must start within tens of milliseconds
    // (LISTEN/NOTIFY wakes the worker; no batch gathers, no polling interval).
    const lastLoadEvent = Number(
      (await database.executeSql("select max(id) as id from webhook_events")).rows[0].id,
    );
    const quiet = await drive(server.port, {
      seconds: 10,
      rate: 4,
      firstOrder: warmup.total + load.total,
    });
    const { ackToProcessedMs: quietAckToProcessedMs } = await processingStats(
      database,
      quiet.total - quiet.errors,
      lastLoadEvent,
    );
    const quietJobStartMs = await jobStartLatencies(database, lastLoadEvent);
    await server.stop();
    await Promise.all(workers.map((worker) => worker.stop()));
    await database.close();
    return {
      warmup,
      load,
      processing,
      cpuMsPerWebhook,
      jobStartUnderLoadMs,
      quiet: {
        requested: quiet.total,
        errors: quiet.errors,
        ackMs: summarize(quiet.latencies),
        jobStartMs: quietJobStartMs,
        ackToProcessedMs: quietAckToProcessedMs,
      },
    };
  } finally {
    // BENCH_KEEP_DATABASE=1 keeps it for a look at the plans (EXPLAIN, pg_stat_user_tables) afterwards.
    if (process.env.BENCH_KEEP_DATABASE) console.log(`  kept database ${name}`);
    else await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function runPglite() {
  const dir = mkdtempSync(path.join(tmpdir(), "switchboard-bench-"));
  try {
    const seed = await openDatabase({ dataDir: dir });
    await migrateDatabase(seed);
    await seed.close();
    const server = await startServer(SECRET, { PGLITE_DATA_DIR: dir });
    const load = await drive(server.port);
    // PGlite is one process per directory: let the server finish processing, stop it, then read.
    await new Promise((r) => setTimeout(r, 5_000));
    await server.stop();
    const database = await openDatabase({ dataDir: dir });
    const processing = await processingStats(database, 0);
    await database.close();
    return { warmup: { total: 0, errors: 0 }, load, processing, cpuMsPerWebhook: null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(
  label: string,
  run: Awaited<ReturnType<typeof runPostgres>> | Awaited<ReturnType<typeof runPglite>>,
) {
  const { warmup, load, processing, cpuMsPerWebhook } = run;
  const ack = summarize(load.latencies);
  return {
    database: label,
    workerProcesses: label === "postgres" ? Number(process.env.BENCH_WORKERS ?? 1) : 0,
    requested: load.total,
    warmupRequests: warmup.total,
    throughputPerSecond: load.throughput,
    errors: load.errors + warmup.errors,
    statuses: load.statuses,
    ackMs: ack,
    ackP99PerSecondMs: load.perSecond,
    stored: processing.stored,
    processed: processing.processed,
    lost: warmup.total - warmup.errors + load.total - load.errors - processing.stored,
    processedMoreThanOnce: processing.reprocessed,
    ackToProcessedMs: processing.ackToProcessedMs,
    cpuMsPerWebhook,
    ...("quiet" in run ? { jobStartUnderLoadMs: run.jobStartUnderLoadMs, quiet: run.quiet } : {}),
  };
}

export async function ingestBenchmark() {
  console.log(
    `ingest: ${RATE} signed orders/create per second for ${SECONDS} s (~${(body(0).length / 1024).toFixed(1)} KB each)`,
  );
  const databases = (process.env.BENCH_DATABASES ?? "postgres,pglite").split(",");
  const results = [];
  if (databases.includes("postgres")) {
    console.log("PostgreSQL:");
    results.push(report("postgres", await runPostgres()));
    console.log(JSON.stringify(results.at(-1), null, 2));
  }
  if (databases.includes("pglite")) {
    console.log("PGlite:");
    results.push(report("pglite", await runPglite()));
    console.log(JSON.stringify(results.at(-1), null, 2));
  }
  const postgres = results.find((result) => result.database === "postgres");
  if (postgres) {
    writeBarChart("ingest-ack-p99", {
      title: `Webhook ack p99 per second, ${RATE}/s on PostgreSQL (${new Date().toISOString().slice(0, 10)})`,
      unit: "ms",
      values: postgres.ackP99PerSecondMs,
      target: 25,
    });
  }
  writeResult("ingest", {
    benchmark: "ingest",
    machine: machine(),
    rate: RATE,
    seconds: SECONDS,
    targets: {
      ackP99Ms: 25,
      ackToProcessedP95Ms: 250,
      errors: 0,
      lost: 0,
      processedMoreThanOnce: 0,
    },
    results,
  });
}
