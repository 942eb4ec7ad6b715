/**
 * `npm run bench -- offer`: the post-purchase offer endpoint (what the checkout extension's
 * ShouldRender calls while the buyer waits) under 50 concurrent requests, on PostgreSQL, with
 * a warm read model (inventory refreshed just now, variants and customers known). Each request
 * carries its own Shopify-signed token for a new purchase; ~10 % of customers are at their
 * upsell cap and ~5 % have an open Gorgias ticket, so every path of the decision runs.
 *
 * The route's own handler is served by node:http in this process (Remix's router and Express
 * are left out; they add a constant ~0.3 ms); the buyers' requests come from a client process of
 * their own (bench/closed-loop-client.ts), as they come from elsewhere in production.
 */
import { fork } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import os from "node:os";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { freePort } from "../tests/helpers/app-server";
import { CATALOG, purchaseToken, seedUpsellShop } from "../tests/helpers/post-purchase";
import type { ClosedLoopResult, ClosedLoopRun } from "./closed-loop-client";
import { machine, summarize, writeResult } from "./lib";

const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);
const CUSTOMERS = 2_000;
const SHOP = "bench-shop.myshopify.com";
const SECRET = "bench-offer-secret";
const TARGET_P95_MS = 30;

export async function offerBenchmark(): Promise<void> {
  // The app reads its environment on first use: set it before loading any app module.
  process.env.SHOPIFY_API_KEY = "bench-offer-key";
  process.env.SHOPIFY_API_SECRET = SECRET;
  process.env.LOG_LEVEL ??= "error";
  const { migrateDatabase, openDatabase, setDatabase } = await import("../app/db.server");
  const { createRuntime, setRuntime } = await import("../app/runtime.server");
  const { action } = await import("../app/routes/api.post-purchase.offer");
  const { customers, gorgiasTickets, recipeTouches } = await import("../db/schema/index");

  const name = `sbbench_offer_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 20 });
  const runtime = await createRuntime(database, { workers: false });
  setDatabase(database);
  setRuntime(runtime);
  let server: http.Server | undefined;
  try {
    await migrateDatabase(database);
    const db = database.db;
    console.log(`  seeding ${CUSTOMERS} customers, catalog and stock on ${name}…`);
    await seedUpsellShop(db, SHOP, { mug: 500, lantern: 500 });
    const customerIds = Array.from({ length: CUSTOMERS }, (_, i) => 8_000_000_000 + i);
    for (let i = 0; i < customerIds.length; i += 500) {
      await db.insert(customers).values(customerIds.slice(i, i + 500).map((id) => ({ shop: SHOP, id, email: `buyer${id}@example.com`, firstName: "Bench" })));
    }
    const capped = customerIds.filter((_, i) => i % 10 === 0);
    await db.insert(recipeTouches).values(
      capped.map((id) => ({ shop: SHOP, customerKey: `id:${id}`, customerId: id, channel: "upsell", recipeId: "post-purchase-upsell", actionKey: `bench-earlier:${id}`, at: new Date(Date.now() - 2 * 86_400_000) })),
    );
    const ticketed = customerIds.filter((_, i) => i % 20 === 7);
    await db.insert(gorgiasTickets).values(ticketed.map((id, i) => ({ shop: SHOP, ticketId: 900_000 + i, customerEmail: `buyer${id}@example.com`, status: "open" as const, sourceUpdatedAt: new Date() })));
    await database.executeSql("analyze");

    const total = WARMUP + REQUESTS;
    console.log(`  signing ${total} purchase tokens…`);
    const bodies: string[] = [];
    for (let i = 0; i < total; i++) {
      const referenceId = `bench-${randomUUID()}`;
      const token = await purchaseToken({ shop: SHOP, referenceId, customerId: customerIds[i % CUSTOMERS]!, lineItems: [{ ...CATALOG.tent }], total: "84.00", secret: SECRET });
      bodies.push(JSON.stringify({ token, shop: SHOP, referenceId }));
    }

    // The route's handler behind node:http, as Remix would call it.
    const port = await freePort();
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const request = new Request(`http://127.0.0.1:${port}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
        const response = await action({ request, params: {}, context: {} });
        res.writeHead(response.status, Object.fromEntries(response.headers)).end(Buffer.from(await response.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
    /** Sends bodies[from, from + count) from a client process of its own, CONCURRENCY at a time. */
    async function drive(from: number, count: number, label: string) {
      const client = fork(fileURLToPath(new URL("./closed-loop-client.ts", import.meta.url)), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
      const done = new Promise<ClosedLoopResult>((resolve, reject) => {
        client.once("message", (m) => resolve(m as ClosedLoopResult));
        client.once("exit", (code) => reject(new Error(`load client exited with ${code}`)));
      });
      const run: ClosedLoopRun = { port, path: "/api/post-purchase/offer", concurrency: CONCURRENCY, bodies: bodies.slice(from, from + count), label, hitMarker: '"offer":{' };
      client.send(run);
      const { seconds, results } = await done;
      return { seconds, results: results.map(([ms, status, offer]) => ({ ms, status, offer })) };
    }

    await drive(0, WARMUP, `warm-up ${WARMUP}`);
    // Other processes on this machine share its cores: say how busy it was.
    const loadAverage = os.loadavg().map((n) => Math.round(n * 100) / 100);
    const { seconds, results } = await drive(WARMUP, REQUESTS, `${REQUESTS} requests, ${CONCURRENCY} concurrent`);

    const latency = summarize(results.map((r) => r.ms));
    const statuses: Record<number, number> = {};
    for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    const offers = results.filter((r) => r.offer).length;
    const result = {
      benchmark: "offer-decision",
      machine: { ...machine(), loadAverageBefore: loadAverage },
      database: "postgres",
      concurrency: CONCURRENCY,
      requests: REQUESTS,
      warmup: WARMUP,
      throughputPerSecond: Math.round(REQUESTS / seconds),
      p50Ms: latency.p50,
      p95Ms: latency.p95,
      p99Ms: latency.p99,
      maxMs: latency.max,
      statuses,
      outcomes: { offered: offers, noOffer: results.length - offers },
      targets: { p95Ms: TARGET_P95_MS },
      pass: latency.p95 < TARGET_P95_MS && Object.keys(statuses).every((s) => s === "200"),
    };
    console.log(
      `  p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, p99 ${result.p99Ms} ms, ${result.throughputPerSecond} req/s; ${offers} offers, ${results.length - offers} without (caps, tickets); statuses ${JSON.stringify(statuses)}`,
    );
    console.log(`  target p95 < ${TARGET_P95_MS} ms: ${result.pass ? "met" : "NOT met"}`);
    writeResult("offer-decision", result);
  } finally {
    server?.close();
    setRuntime(undefined);
    setDatabase(undefined);
    await runtime.stop({ timeoutMs: 2_000 });
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
