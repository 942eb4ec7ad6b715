/**
 * `npm run bench -- segment-sync`: syncs a 100,000-customer segment into a Klaviyo list in the
 * Klaviyo fake (its own process, spec rate limits on), through the real segment sync service,
 * then a second identical sync and a 1 % churn sync. Counts every request the app sends (all,
 * and writes), wall time and the app process's peak RSS, beside the naive one-request-per-profile
 * figure. Targets (issue 5): ≤ 10 write requests and ≤ 30 in all for the 100k sync.
 */
import { spawn } from "node:child_process";
import { migrateDatabase, openDatabase } from "../app/db.server";
import { setVendorEndpoints } from "../app/integrations/config.server";
import { connectKlaviyo } from "../app/integrations/connections.server";
import { klaviyoClientFor } from "../app/integrations/delivery/execute.server";
import { ensureKlaviyoList } from "../app/integrations/klaviyo/lists.server";
import { VendorRetryableError } from "../app/integrations/http.server";
import {
  syncSegmentForShop,
  type SegmentMember,
  type SegmentSyncResult,
} from "../app/integrations/klaviyo/segment-sync.server";
import { getIntegration } from "../app/models/integrations.server";
import { machine, writeResult } from "./lib";

const SIZE = Number(process.env.BENCH_SEGMENT_SIZE ?? 100_000);
const SHOP = "bench-shop.myshopify.com";
const LIST = "Switchboard win-back 90 days";
const KEY = "pk_bench_0000000000000000000000000000000";
/** Klaviyo's steady budget for POST /api/profile-import (per minute): the naive path's ceiling. */
const PROFILE_IMPORT_PER_MINUTE = 750;

/** The Klaviyo fake in a child process, so the RSS measured here is the app's alone. */
async function startFakeProcess() {
  const script = `
    const { startKlaviyoFake } = await import("./sandbox/fakes/klaviyo.ts");
    const fake = await startKlaviyoFake({ apiKeys: { ${JSON.stringify(KEY)}: { accountName: "Bench Store" } }, recordLimit: 1000 });
    console.log("FAKE " + fake.url);
    process.on("SIGTERM", async () => { await fake.close(); process.exit(0); });
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      const match = /FAKE (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) =>
      reject(new Error(`Klaviyo fake exited (${code}) before listening`)),
    );
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => (child.once("exit", () => resolve()), child.kill("SIGTERM"))),
  };
}

interface Counter {
  all: number;
  writes: number;
  byOperation: Record<string, number>;
}

function countingFetch(counter: Counter): typeof fetch {
  return async (input, init) => {
    const method = (init?.method ?? "GET").toUpperCase();
    const path = new URL(String(input instanceof Request ? input.url : input)).pathname.replace(
      /\/(?=[0-9a-z]*[0-9A-Z])[0-9A-Za-z]{6,}(?=\/|$)/g,
      "/{id}",
    );
    counter.all++;
    if (method !== "GET") counter.writes++;
    counter.byOperation[`${method} ${path}`] = (counter.byOperation[`${method} ${path}`] ?? 0) + 1;
    return fetch(input, init);
  };
}

async function measure<T>(counter: Counter, run: () => Promise<T>) {
  const before = {
    all: counter.all,
    writes: counter.writes,
    byOperation: { ...counter.byOperation },
  };
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  try {
    const result = await run();
    const byOperation = Object.fromEntries(
      Object.entries(counter.byOperation)
        .map(([op, n]) => [op, n - (before.byOperation[op] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    );
    return {
      result,
      klaviyoRequests: counter.all - before.all,
      klaviyoWriteRequests: counter.writes - before.writes,
      byOperation,
      wallMs: Math.round(performance.now() - started),
      peakRssMb: Math.round((Math.max(peak, process.memoryUsage().rss) / 2 ** 20) * 10) / 10,
      rssBeforeMb: Math.round((rssBefore / 2 ** 20) * 10) / 10,
    };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * A sync as its job runs it: a retryable failure (a 429, a 5xx, a dropped connection) means
 * "run it again", which resumes from what was recorded. Retried requests are counted.
 */
let retries = 0;
async function sync(
  db: Parameters<typeof syncSegmentForShop>[0],
  members: SegmentMember[],
): Promise<SegmentSyncResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await syncSegmentForShop(db, { shop: SHOP, list: LIST, members });
    } catch (error) {
      if (!(error instanceof VendorRetryableError) || attempt >= 5) throw error;
      retries++;
      console.log(`sync attempt ${attempt} failed (${error.message}); running it again`);
      await new Promise((r) => setTimeout(r, 1_000 * attempt));
    }
  }
}

function segment(from: number, to: number): SegmentMember[] {
  return Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return {
      email: `customer-${String(i).padStart(6, "0")}@example.com`,
      externalId: String(7_000_000_000 + i),
      firstName: `First${i}`,
      lastName: `Last${i}`,
    };
  });
}

export async function segmentSyncBenchmark(): Promise<void> {
  const fake = await startFakeProcess();
  const database = await openDatabase({ dataDir: "memory://" });
  await migrateDatabase(database);
  const counter: Counter = { all: 0, writes: 0, byOperation: {} };
  setVendorEndpoints({
    klaviyoBaseUrl: fake.url,
    fetch: countingFetch(counter),
    timeoutMs: 30_000,
  });
  try {
    const db = database.db;
    // Setup, done once when a merchant turns the recipe on: connect (key check) and the list.
    const setup = await measure(counter, async () => {
      const connected = await connectKlaviyo(db, SHOP, KEY);
      if (!connected.ok) throw new Error(`connect failed: ${connected.message}`);
      return ensureKlaviyoList(
        db,
        klaviyoClientFor((await getIntegration(db, SHOP, "klaviyo"))!),
        SHOP,
        LIST,
      );
    });
    console.log(`setup (key check + list): ${setup.klaviyoRequests} requests`);

    const members = segment(0, SIZE);
    const lastCallId = async () =>
      (await database.executeSql("select coalesce(max(id), 0)::int as id from delivery_attempts"))
        .rows[0].id as number;
    const firstCall = await lastCallId();
    const initial = await measure(counter, () => sync(db, members));
    // Time spent waiting on Klaviyo (from delivery_attempts), to tell it from our own work.
    const { rows: vendorTime } = await database.executeSql(
      "select operation, count(*)::int as calls, sum(latency_ms)::int as ms from delivery_attempts where id > $1 and id <= $2 group by operation order by operation",
      [firstCall, await lastCallId()],
    );
    const initialRetries = retries;
    console.log(
      `initial sync of ${SIZE}: ${initial.klaviyoRequests} requests (${initial.klaviyoWriteRequests} writes), ${initial.wallMs} ms, peak RSS ${initial.peakRssMb} MB`,
    );
    const unchanged = await measure(counter, () => sync(db, members));
    const churn = Math.round(SIZE / 100);
    const churned = await measure(counter, () => sync(db, segment(churn, SIZE + churn)));
    console.log(
      `unchanged re-sync: ${unchanged.klaviyoRequests} requests; 1 % churn: ${churned.klaviyoRequests} requests (${churned.klaviyoWriteRequests} writes)`,
    );

    // Check the list really holds the segment (not counted above).
    const client = klaviyoClientFor((await getIntegration(db, SHOP, "klaviyo"))!);
    const listId = initial.result.listId;
    const counted = await client.findListByName(LIST);
    const strip = <T extends { result: unknown }>(m: T) => {
      const { result: _result, ...rest } = m;
      return rest;
    };
    const result = {
      name: "segment-sync",
      segmentSize: SIZE,
      klaviyoRequests: initial.klaviyoRequests,
      klaviyoWriteRequests: initial.klaviyoWriteRequests,
      wallMs: initial.wallMs,
      peakRssMb: initial.peakRssMb,
      rssBeforeMb: initial.rssBeforeMb,
      byOperation: initial.byOperation,
      vendorTimeMs: Object.fromEntries(
        vendorTime.map((r) => [r.operation, { calls: r.calls, ms: r.ms }]),
      ),
      syncRetries: initialRetries,
      synced: {
        added: initial.result.added,
        failed: initial.result.failed.length,
        bulkImportJobs: initial.result.bulkImportJobs,
        listFound: counted?.id === listId,
      },
      targets: {
        maxWriteRequests: 10,
        maxRequests: 30,
        met: initial.klaviyoWriteRequests <= 10 && initial.klaviyoRequests <= 30,
      },
      naive: {
        description: "one POST /api/profile-import (or list add) per profile",
        klaviyoRequests: SIZE,
        klaviyoWriteRequests: SIZE,
        minutesAtRateLimit: Math.round((SIZE / PROFILE_IMPORT_PER_MINUTE) * 10) / 10,
      },
      setup: {
        ...strip(setup),
        note: "once per shop: key check (6 requests) and finding/creating the list; not part of a sync",
      },
      unchangedResync: strip(unchanged),
      onePercentChurn: {
        added: churned.result.added,
        removed: churned.result.removed,
        ...strip(churned),
      },
      notes: [
        "Klaviyo fake in its own process with the OpenAPI document's per-endpoint rate limits; peakRssMb is the app process only (PGlite in memory included).",
        "Requests are counted at the app's fetch, so retries are counted too (syncRetries: whole-sync reruns after a retryable failure, as its job would do).",
      ],
      machine: machine(),
    };
    writeResult("segment-sync", result);
    if (!result.targets.met) process.exitCode = 1;
  } finally {
    setVendorEndpoints(undefined);
    await database.close();
    await fake.stop();
  }
}
