/**
 * `npm run bench -- import`: the history import of a big store into PostgreSQL. 100,000 orders of
 * 40,000 customers (1–3 line items each, most fulfilled, some refunded or cancelled) and 5,000
 * variants' stock at 2 locations, written as Shopify's bulk JSONL (one node per line, line items
 * after their order with `__parentId`) and served over loopback HTTP as Shopify's storage would
 * serve the result `url`. The app side runs exactly as the task does (runHistoryImportStep:
 * stream, parse, batch, load, checkpoint); Shopify's own time to prepare the export is not the
 * app's and is not measured. Reports wall time, orders/s, JSONL lines/s and the process's peak
 * RSS; checks the read model afterwards. Targets (issue 15): ≥ 5,000 orders/s, peak RSS < 500 MB.
 */
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { machine, writeResult } from "./lib";

const POSTGRES_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const ORDERS = Number(process.env.BENCH_IMPORT_ORDERS ?? 100_000);
const CUSTOMERS = Number(process.env.BENCH_IMPORT_CUSTOMERS ?? 40_000);
const VARIANTS = 5_000;
const SHOP = "bench-shop.myshopify.com";
const DAY = 86_400_000;
const TARGET_ORDERS_PER_SECOND = 5_000;
const TARGET_PEAK_RSS_MB = 500;

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function writeLines(file: string, lines: Iterable<string>): Promise<number> {
  const out = createWriteStream(file);
  let count = 0;
  for (const line of lines) {
    count++;
    if (!out.write(line + "\n"))
      await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end(() => resolve()).once("error", reject));
  return count;
}

function* orderJsonl(now: number): Generator<string> {
  const next = random(15);
  for (let i = 0; i < ORDERS; i++) {
    const id = 5_000_000_000_000 + i;
    const gid = `gid://shopify/Order/${id}`;
    const created = now - Math.floor(next() * 364 * DAY);
    const customer = 7_000_000_000_000 + (i % CUSTOMERS);
    const items = 1 + Math.floor(next() * 3);
    const prices = Array.from({ length: items }, () =>
      (5 + Math.floor(next() * 9_000) / 100).toFixed(2),
    );
    const total = prices.reduce((sum, p) => sum + Number(p), 0).toFixed(2);
    const fulfilled = next() < 0.8;
    const iso = (at: number) => new Date(at).toISOString();
    yield JSON.stringify({
      id: gid,
      name: `#${1000 + i}`,
      email: `shopper${i % CUSTOMERS}@example.com`,
      currencyCode: "USD",
      presentmentCurrencyCode: "USD",
      totalPriceSet: { shopMoney: { amount: total }, presentmentMoney: { amount: total } },
      subtotalPriceSet: { shopMoney: { amount: total } },
      totalTaxSet: { shopMoney: { amount: "0.0" } },
      currentTotalPriceSet: { shopMoney: { amount: total } },
      displayFinancialStatus: next() < 0.05 ? "REFUNDED" : "PAID",
      displayFulfillmentStatus: fulfilled ? "FULFILLED" : "UNFULFILLED",
      tags: next() < 0.1 ? ["wholesale"] : [],
      cancelledAt: next() < 0.02 ? iso(created + DAY) : null,
      processedAt: iso(created),
      createdAt: iso(created),
      updatedAt: iso(created + 3 * DAY),
      customer: {
        id: `gid://shopify/Customer/${customer}`,
        email: `shopper${i % CUSTOMERS}@example.com`,
        firstName: "Shopper",
        lastName: String(i % CUSTOMERS),
        phone: null,
        tags: [],
        updatedAt: iso(created + 3 * DAY),
        emailMarketingConsent: { marketingState: next() < 0.6 ? "SUBSCRIBED" : "NOT_SUBSCRIBED" },
      },
      refunds: [],
      fulfillments: fulfilled
        ? [
            {
              id: `gid://shopify/Fulfillment/${6_000_000_000_000 + i}`,
              status: "SUCCESS",
              displayStatus: "DELIVERED",
              createdAt: iso(created + DAY),
              updatedAt: iso(created + 3 * DAY),
              estimatedDeliveryAt: null,
              deliveredAt: iso(created + 3 * DAY),
              trackingInfo: [{ company: "UPS", number: `1Z${id}`, url: null }],
            },
          ]
        : [],
    });
    for (let k = 0; k < items; k++) {
      const variant = 8_000_000_000_000 + Math.floor(next() * VARIANTS);
      yield JSON.stringify({
        id: `gid://shopify/LineItem/${9_000_000_000_000 + i * 3 + k}`,
        sku: `SKU-${variant}`,
        title: `Product ${variant}`,
        quantity: 1,
        originalUnitPriceSet: { shopMoney: { amount: prices[k] } },
        variant: { id: `gid://shopify/ProductVariant/${variant}` },
        product: { id: `gid://shopify/Product/${variant - 1_000_000_000}` },
        __parentId: gid,
      });
    }
  }
}

function* stockJsonl(now: number): Generator<string> {
  for (let v = 0; v < VARIANTS; v++) {
    const variant = 8_000_000_000_000 + v;
    const gid = `gid://shopify/ProductVariant/${variant}`;
    yield JSON.stringify({
      id: gid,
      sku: `SKU-${variant}`,
      title: "Default Title",
      price: "19.00",
      product: { id: `gid://shopify/Product/${variant - 1_000_000_000}` },
      inventoryItem: { id: `gid://shopify/InventoryItem/${variant + 1_000_000_000}` },
    });
    for (const location of [71_000_000_001, 71_000_000_002])
      yield JSON.stringify({
        id: `gid://shopify/InventoryLevel/${variant}${location}?inventory_item_id=${variant + 1_000_000_000}`,
        updatedAt: new Date(now - DAY).toISOString(),
        location: { id: `gid://shopify/Location/${location}` },
        quantities: [{ name: "available", quantity: v % 40 }],
        __parentId: gid,
      });
  }
}

export async function importBenchmark(): Promise<void> {
  const { migrateDatabase, openDatabase } = await import("../app/db.server");
  const { runHistoryImportStep, startHistoryImport } =
    await import("../app/integrations/shopify-admin/history-import.server");
  const { getHistoryImport } = await import("../app/models/history-imports.server");

  const now = new Date();
  const dir = mkdtempSync(path.join(tmpdir(), "sb-import-bench-"));
  const files = { orders: path.join(dir, "orders.jsonl"), stock: path.join(dir, "stock.jsonl") };
  console.log(
    `  writing ${ORDERS.toLocaleString("en-US")} orders of ${CUSTOMERS.toLocaleString("en-US")} customers as bulk JSONL…`,
  );
  const lineCounts = {
    orders: await writeLines(files.orders, orderJsonl(now.getTime())),
    stock: await writeLines(files.stock, stockJsonl(now.getTime())),
  };
  const server = createServer((req, res) => {
    const file = req.url === "/orders.jsonl" ? files.orders : files.stock;
    res.writeHead(200, {
      "content-type": "application/jsonl",
      "content-length": statSync(file).size,
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const name = `sbbench_import_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  try {
    await migrateDatabase(database);
    // Shopify's side, already finished: each query's export is the file above.
    const started: string[] = [];
    const api = {
      async runQuery(_shop: string, query: string) {
        started.push(query.includes("SwitchboardHistoryOrders") ? "orders" : "stock");
        return { id: `gid://shopify/BulkOperation/${started.length}` };
      },
      async status(_shop: string, id: string) {
        const phase = started[Number(id.split("/").pop()) - 1] as "orders" | "stock";
        return {
          id,
          status: "COMPLETED" as const,
          errorCode: null,
          objectCount: lineCounts[phase],
          url: `${base}/${phase}.jsonl`,
        };
      },
      async *lines(resultUrl: string) {
        const { createInterface } = await import("node:readline");
        const { Readable } = await import("node:stream");
        const response = await fetch(resultUrl);
        yield* createInterface({
          input: Readable.fromWeb(response.body as import("node:stream/web").ReadableStream),
          crlfDelay: Infinity,
        });
      },
    };
    const jobs: { shop: string; importId: string; step: number }[] = [];
    const queue = {
      async enqueue(_task: unknown, payload: unknown) {
        jobs.push(payload as (typeof jobs)[number]);
        return String(jobs.length);
      },
      async enqueueMany() {
        return [];
      },
    };

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t0 = performance.now();
    const phaseMs: Record<string, number> = {};
    await startHistoryImport(database.db, queue as never, SHOP, now, { days: 365 });
    for (let result = ""; result !== "done";) {
      const before = performance.now();
      const row = await getHistoryImport(database.db, SHOP);
      result = await runHistoryImportStep(database, queue as never, jobs.at(-1)!, {
        api: api as never,
      });
      if (result === "failed")
        throw new Error(
          `the import failed: ${(await getHistoryImport(database.db, SHOP))?.lastError}`,
        );
      phaseMs[row!.phase] = (phaseMs[row!.phase] ?? 0) + (performance.now() - before);
    }
    const wallMs = performance.now() - t0;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    const row = (await getHistoryImport(database.db, SHOP))!;
    const {
      rows: [check],
    } = await database.executeSql(
      `select (select count(*) from orders where shop = $1)::int as orders,
              (select count(*) from customers where shop = $1)::int as customers,
              (select sum(order_count) from customers where shop = $1)::int as counted_orders,
              (select count(*) from orders where shop = $1 and cancelled_at is null)::int as live_orders,
              (select count(*) from fulfillments where shop = $1)::int as fulfillments,
              (select count(*) from inventory_levels where shop = $1)::int as levels`,
      [SHOP],
    );
    const ordersPerSecond = Math.round(ORDERS / (wallMs / 1000));
    const peakRssMb = Math.round((peak / 2 ** 20) * 10) / 10;
    const result = {
      name: "import",
      machine: machine(),
      database: "postgres",
      orders: ORDERS,
      customers: CUSTOMERS,
      jsonlLines: lineCounts,
      jsonlBytes: { orders: statSync(files.orders).size, stock: statSync(files.stock).size },
      wallMs: Math.round(wallMs),
      phaseMs: Object.fromEntries(Object.entries(phaseMs).map(([k, v]) => [k, Math.round(v)])),
      ordersPerSecond,
      linesPerSecond: Math.round((lineCounts.orders + lineCounts.stock) / (wallMs / 1000)),
      peakRssMb,
      rssBeforeMb: Math.round((rssBefore / 2 ** 20) * 10) / 10,
      readModel: check,
      importRow: {
        orders: row.orders,
        customers: row.customers,
        fulfillments: row.fulfillments,
        inventoryLevels: row.inventoryLevels,
      },
      correct:
        check.orders === ORDERS &&
        check.customers === CUSTOMERS &&
        check.counted_orders === check.live_orders &&
        check.levels === VARIANTS * 2,
      targets: { ordersPerSecond: TARGET_ORDERS_PER_SECOND, peakRssMb: TARGET_PEAK_RSS_MB },
      pass: ordersPerSecond >= TARGET_ORDERS_PER_SECOND && peakRssMb < TARGET_PEAK_RSS_MB,
    };
    console.log(
      `  ${ORDERS.toLocaleString("en-US")} orders in ${(wallMs / 1000).toFixed(1)} s: ${ordersPerSecond.toLocaleString("en-US")} orders/s, peak RSS ${peakRssMb} MB, read model ${result.correct ? "correct" : "WRONG"}`,
    );
    console.log(
      `  targets ≥ ${TARGET_ORDERS_PER_SECOND} orders/s, RSS < ${TARGET_PEAK_RSS_MB} MB: ${result.pass ? "met" : "NOT met"}`,
    );
    writeResult("import", result);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
    await database.close().catch(() => undefined);
    if (process.env.BENCH_KEEP_DATABASE) console.log(`  kept database ${name}`);
    else await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
