import { and, eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import {
  customers,
  fulfillments,
  historyImports,
  inventoryLevels,
  orders,
  variants,
} from "../../db/schema/index";
import type { Db } from "../../app/db.server";
import type { Enqueuer, TaskContract } from "../../app/jobs/contracts";
import {
  runHistoryImportStep,
  startHistoryImport,
  wakeHistoryImport,
  type BulkOperationsApi,
  type BulkOperationState,
  type HistoryStepResult,
} from "../../app/integrations/shopify-admin/history-import.server";
import { getHistoryImport } from "../../app/models/history-imports.server";
import { upsertCustomer, upsertOrder } from "../../app/models/read-model.server";
import { orderSchema } from "../../app/webhooks/payloads";
import { describeEachDatabase } from "../helpers/database";

/**
 * The history import against a scripted Bulk Operations API whose JSONL is written exactly as
 * Shopify writes it (one node per line, line items and inventory levels on their own lines after
 * their parent with `__parentId`, gids everywhere). Times are relative to now.
 */

const SHOP = "history-shop.myshopify.com";
const DAY = 86_400_000;
const now = new Date();
const daysAgo = (days: number, minutes = 0) =>
  new Date(now.getTime() - days * DAY + minutes * 60_000).toISOString();

/** Beyond 2^53: any rounding through a JS number would show. */
const BIG_ORDER = "9007199254740993123";
const BIG_CUSTOMER = "9007199254740995001";
const BIG_VARIANT = "9007199254740997777";

interface OrderFixture {
  id: string;
  name?: string;
  customerId?: string | null;
  total?: string;
  current?: string;
  createdDaysAgo: number;
  updatedDaysAgo?: number;
  cancelled?: boolean;
  items?: { id: string; variantId: string; productId: string; price: string; quantity: number }[];
  fulfillment?: { id: string; delivered?: boolean; displayStatus?: string };
  refunds?: number;
  consent?: string;
}

function orderLines(o: OrderFixture): string[] {
  const gid = `gid://shopify/Order/${o.id}`;
  const customerId = o.customerId === undefined ? BIG_CUSTOMER : o.customerId;
  const order = {
    id: gid,
    name: o.name ?? `#${o.id.slice(-4)}`,
    email: "ada@example.com",
    currencyCode: "EUR",
    presentmentCurrencyCode: "USD",
    shippingAddress: { countryCodeV2: "DE" },
    totalPriceSet: {
      shopMoney: { amount: o.total ?? "100.0" },
      presentmentMoney: { amount: "108.5" },
    },
    subtotalPriceSet: { shopMoney: { amount: "90.0" } },
    totalTaxSet: { shopMoney: { amount: "10.0" } },
    currentTotalPriceSet: { shopMoney: { amount: o.current ?? o.total ?? "100.0" } },
    displayFinancialStatus: "PARTIALLY_REFUNDED",
    displayFulfillmentStatus: o.fulfillment ? "FULFILLED" : "UNFULFILLED",
    tags: ["vip", "wholesale"],
    cancelledAt: o.cancelled ? daysAgo(o.createdDaysAgo - 0.5) : null,
    processedAt: daysAgo(o.createdDaysAgo),
    createdAt: daysAgo(o.createdDaysAgo),
    updatedAt: daysAgo(o.updatedDaysAgo ?? o.createdDaysAgo),
    customer: customerId
      ? {
          id: `gid://shopify/Customer/${customerId}`,
          email: "ada@example.com",
          firstName: "Ada",
          lastName: "Lovelace",
          phone: "+3312345678",
          tags: ["returning"],
          updatedAt: daysAgo(o.updatedDaysAgo ?? o.createdDaysAgo),
          emailMarketingConsent: { marketingState: o.consent ?? "SUBSCRIBED" },
        }
      : null,
    refunds: Array.from({ length: o.refunds ?? 0 }, (_, i) => ({
      id: `gid://shopify/Refund/${o.id.slice(-6)}${i}`,
      createdAt: daysAgo(o.createdDaysAgo - 1),
    })),
    fulfillments: o.fulfillment
      ? [
          {
            id: `gid://shopify/Fulfillment/${o.fulfillment.id}`,
            status: "SUCCESS",
            displayStatus:
              o.fulfillment.displayStatus ?? (o.fulfillment.delivered ? "DELIVERED" : "IN_TRANSIT"),
            createdAt: daysAgo(o.createdDaysAgo - 1),
            updatedAt: daysAgo(o.createdDaysAgo - 2),
            estimatedDeliveryAt: daysAgo(o.createdDaysAgo - 3),
            deliveredAt: o.fulfillment.delivered ? daysAgo(o.createdDaysAgo - 2) : null,
            trackingInfo: [
              { company: "DHL", number: "JD0001", url: "https://track.example/JD0001" },
              { company: null, number: "JD0002", url: null },
            ],
          },
        ]
      : [],
  };
  const items = (o.items ?? []).map((item) => ({
    id: `gid://shopify/LineItem/${item.id}`,
    sku: `SKU-${item.id}`,
    title: `Mug ${item.id}`,
    quantity: item.quantity,
    originalUnitPriceSet: { shopMoney: { amount: item.price } },
    variant: { id: `gid://shopify/ProductVariant/${item.variantId}` },
    product: { id: `gid://shopify/Product/${item.productId}` },
    __parentId: gid,
  }));
  // Shopify writes ids beyond 2^53 inside strings already (gids); the rest is plain JSON.
  return [JSON.stringify(order), ...items.map((item) => JSON.stringify(item))];
}

function stockLines(
  variantsWithLevels: {
    variantId: string;
    itemId: string;
    levels: { location: string; available: number; updatedDaysAgo: number }[];
  }[],
): string[] {
  return variantsWithLevels.flatMap((v) => {
    const gid = `gid://shopify/ProductVariant/${v.variantId}`;
    return [
      JSON.stringify({
        id: gid,
        sku: `SKU-${v.variantId}`,
        title: "Default Title",
        price: "12.50",
        product: { id: "gid://shopify/Product/501" },
        inventoryItem: { id: `gid://shopify/InventoryItem/${v.itemId}` },
      }),
      ...v.levels.map((level) =>
        JSON.stringify({
          id: `gid://shopify/InventoryLevel/${v.itemId}${level.location}?inventory_item_id=${v.itemId}`,
          updatedAt: daysAgo(level.updatedDaysAgo),
          location: { id: `gid://shopify/Location/${level.location}` },
          quantities: [{ name: "available", quantity: level.available }],
          __parentId: gid,
        }),
      ),
    ];
  });
}

/** A scripted Bulk Operations API: each query finishes with the given lines. */
function scriptedApi(script: {
  orders: string[];
  stock?: string[];
  /** Status Shopify reports for the orders export (default COMPLETED). */
  ordersOutcome?: Pick<BulkOperationState, "status" | "errorCode">;
  /** Polls that still answer RUNNING before the export completes. */
  runningPolls?: number;
  /** The download breaks after this many lines, once (a crash mid-load). */
  breakAfterLines?: number;
}): BulkOperationsApi & { queries: string[] } {
  const queries: string[] = [];
  let polls = 0;
  let broken = false;
  const files = new Map<string, string[]>();
  return {
    queries,
    async runQuery(_shop, query) {
      queries.push(query);
      const id = `gid://shopify/BulkOperation/${queries.length}`;
      files.set(
        id,
        query.includes("SwitchboardHistoryOrders") ? script.orders : (script.stock ?? []),
      );
      return { id };
    },
    async status(_shop, id) {
      const lines = files.get(id)!;
      if (polls++ < (script.runningPolls ?? 0))
        return { id, status: "RUNNING", errorCode: null, objectCount: 0, url: null };
      const outcome = id.endsWith("/1") ? script.ordersOutcome : undefined;
      if (outcome && outcome.status !== "COMPLETED")
        return { id, ...outcome, objectCount: 0, url: null };
      return {
        id,
        status: "COMPLETED",
        errorCode: null,
        objectCount: lines.length,
        url: lines.length ? `https://storage.example/${encodeURIComponent(id)}.jsonl` : null,
      };
    },
    async *lines(url) {
      const id = decodeURIComponent(url.slice("https://storage.example/".length, -".jsonl".length));
      let sent = 0;
      for (const line of files.get(id)!) {
        if (!broken && script.breakAfterLines !== undefined && sent === script.breakAfterLines) {
          broken = true;
          throw new Error("socket hang up");
        }
        sent++;
        yield line;
      }
    },
  };
}

type Job = {
  task: string;
  payload: { shop: string; importId: string; step: number };
  delaySeconds?: number;
};

function recordingQueue(): Enqueuer & { jobs: Job[] } {
  const jobs: Job[] = [];
  return {
    jobs,
    async enqueue(task: TaskContract, payload: unknown, options?: { delaySeconds?: number }) {
      jobs.push({
        task: task.name,
        payload: payload as Job["payload"],
        delaySeconds: options?.delaySeconds,
      });
      return String(jobs.length);
    },
    async enqueueMany(task: TaskContract, payloads: unknown[]) {
      for (const payload of payloads)
        jobs.push({ task: task.name, payload: payload as Job["payload"] });
      return payloads.map((_, i) => String(i));
    },
  } as Enqueuer & { jobs: Job[] };
}

describeEachDatabase("History import", ({ use: testDatabase }) => {
  const database = () => testDatabase().database;
  const db = (): Db => database().db;

  beforeEach(async () => {
    for (const table of [
      orders,
      customers,
      fulfillments,
      variants,
      inventoryLevels,
      historyImports,
    ])
      await db().delete(table).where(eq(table.shop, SHOP));
  });

  /** Runs the newest enqueued step until the import settles; returns the steps' results. */
  async function drive(
    queue: ReturnType<typeof recordingQueue>,
    api: BulkOperationsApi,
    options: { orderBatch?: number; stockBatch?: number } = {},
  ): Promise<(HistoryStepResult | "threw")[]> {
    const results: (HistoryStepResult | "threw")[] = [];
    for (let i = 0; i < 50; i++) {
      const job = queue.jobs.at(-1)!;
      let result: HistoryStepResult;
      try {
        result = await runHistoryImportStep(database(), queue, job.payload, { api, ...options });
      } catch {
        results.push("threw");
        continue; // the job retries with the same payload
      }
      results.push(result);
      if (result === "done" || result === "failed") return results;
    }
    throw new Error(`the import did not settle: ${results.join(", ")}`);
  }

  const start = (queue: Enqueuer) => startHistoryImport(db(), queue, SHOP, now, { days: 365 });

  it("maps every field of Shopify's export into the read model, ids exact", async () => {
    const api = scriptedApi({
      orders: orderLines({
        id: BIG_ORDER,
        name: "#1042",
        total: "731.40",
        current: "700.00",
        createdDaysAgo: 200,
        items: [
          {
            id: "8800000000000000001",
            variantId: BIG_VARIANT,
            productId: "501",
            price: "12.50",
            quantity: 3,
          },
          {
            id: "8800000000000000002",
            variantId: "42",
            productId: "502",
            price: "19.99",
            quantity: 1,
          },
        ],
        fulfillment: { id: "7700000000000000001", delivered: true },
        refunds: 2,
      }),
      stock: stockLines([
        {
          variantId: BIG_VARIANT,
          itemId: "9007199254740999001",
          levels: [
            { location: "61", available: 7, updatedDaysAgo: 1 },
            { location: "62", available: -2, updatedDaysAgo: 2 },
          ],
        },
      ]),
    });
    const queue = recordingQueue();
    await start(queue);
    expect(await drive(queue, api)).toEqual(["waiting", "next-phase", "waiting", "done"]);
    expect(api.queries[0]).toContain(`created_at:>='${daysAgo(365)}'`);

    const [order] = await db().select().from(orders).where(eq(orders.shop, SHOP));
    expect(order).toMatchObject({
      id: BIG_ORDER,
      name: "#1042",
      email: "ada@example.com",
      customerId: BIG_CUSTOMER,
      currency: "EUR",
      presentmentCurrency: "USD",
      shippingCountry: "DE",
      totalPrice: "731.40",
      subtotalPrice: "90.00",
      totalTax: "10.00",
      currentTotalPrice: "700.00",
      presentmentTotalPrice: "108.50",
      financialStatus: "partially_refunded",
      fulfillmentStatus: "fulfilled",
      tags: ["vip", "wholesale"],
      refundCount: 2,
      cancelledAt: null,
    });
    expect(order!.createdAt.toISOString()).toBe(daysAgo(200));
    expect(order!.lineItems).toEqual([
      {
        id: "8800000000000000001",
        variantId: BIG_VARIANT,
        productId: "501",
        sku: "SKU-8800000000000000001",
        title: "Mug 8800000000000000001",
        quantity: 3,
        price: "12.50",
      },
      {
        id: "8800000000000000002",
        variantId: "42",
        productId: "502",
        sku: "SKU-8800000000000000002",
        title: "Mug 8800000000000000002",
        quantity: 1,
        price: "19.99",
      },
    ]);
    const [customer] = await db().select().from(customers).where(eq(customers.shop, SHOP));
    expect(customer).toMatchObject({
      id: BIG_CUSTOMER,
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
      phone: "+3312345678",
      tags: ["returning"],
      emailMarketingState: "subscribed",
      acceptsMarketing: true,
      lifetimeSpend: "700.00",
      orderCount: 1,
    });
    expect(customer!.lastOrderAt!.toISOString()).toBe(daysAgo(200));
    const [fulfillment] = await db().select().from(fulfillments).where(eq(fulfillments.shop, SHOP));
    expect(fulfillment).toMatchObject({
      id: "7700000000000000001",
      orderId: BIG_ORDER,
      status: "success",
      shipmentStatus: "delivered",
      trackingCompany: "DHL",
      trackingNumbers: ["JD0001", "JD0002"],
      trackingUrls: ["https://track.example/JD0001"],
    });
    expect(fulfillment!.deliveredAt!.toISOString()).toBe(daysAgo(198));
    expect(fulfillment!.estimatedDeliveryAt!.toISOString()).toBe(daysAgo(197));
    const [variant] = await db()
      .select()
      .from(variants)
      .where(and(eq(variants.shop, SHOP), eq(variants.id, BIG_VARIANT)));
    expect(variant).toMatchObject({
      inventoryItemId: "9007199254740999001",
      price: "12.50",
      productId: "501",
    });
    const levels = await db().select().from(inventoryLevels).where(eq(inventoryLevels.shop, SHOP));
    expect(levels.map((l) => [l.locationId, l.available]).sort()).toEqual([
      ["61", 7],
      ["62", -2],
    ]);
    expect(await getHistoryImport(db(), SHOP)).toMatchObject({
      status: "done",
      orders: 1,
      customers: 1,
      fulfillments: 1,
      inventoryLevels: 2,
      lastError: null,
    });
  });

  it("never overwrites a newer webhook, and replaces older stored state", async () => {
    // Order A changed after the export was taken: its webhook (newer) reached us first.
    const newer = orderSchema.parse({
      id: "5001",
      name: "#5001",
      currency: "EUR",
      total_price: "50.00",
      tags: "webhook",
      line_items: [],
      customer: { id: "6001", email: "new@example.com", updated_at: daysAgo(0) },
      created_at: daysAgo(30),
      updated_at: daysAgo(0),
    });
    await upsertOrder(db(), SHOP, newer);
    // Order B's stored state is older than the export's.
    const olderInput = {
      id: "5002",
      currency: "EUR",
      line_items: [],
      name: "#5002",
      total_price: "10.00",
      customer: { id: "6002", updated_at: daysAgo(40) },
      created_at: daysAgo(40),
      updated_at: daysAgo(40),
      tags: "stale",
    };
    await upsertOrder(db(), SHOP, orderSchema.parse(olderInput));
    // Customer 6001 unsubscribed since (customers/update, newer than the export).
    await upsertCustomer(db(), SHOP, {
      id: "6001",
      email: "new@example.com",
      tags: [],
      email_marketing_consent: { state: "unsubscribed" },
      updated_at: new Date(daysAgo(0)),
    });

    const api = scriptedApi({
      orders: [
        ...orderLines({
          id: "5001",
          customerId: "6001",
          total: "40.00",
          createdDaysAgo: 30,
          updatedDaysAgo: 5,
          consent: "SUBSCRIBED",
        }),
        ...orderLines({
          id: "5002",
          customerId: "6002",
          total: "20.00",
          createdDaysAgo: 40,
          updatedDaysAgo: 5,
        }),
      ],
    });
    const queue = recordingQueue();
    await start(queue);
    await drive(queue, api);

    const held = await db().select().from(orders).where(eq(orders.shop, SHOP));
    const byId = Object.fromEntries(held.map((o) => [o.id, o]));
    expect(byId["5001"]).toMatchObject({ totalPrice: "50.00", tags: ["webhook"] });
    expect(byId["5002"]).toMatchObject({ totalPrice: "20.00", tags: ["vip", "wholesale"] });
    const [kept] = await db()
      .select()
      .from(customers)
      .where(and(eq(customers.shop, SHOP), eq(customers.id, "6001")));
    expect(kept).toMatchObject({
      email: "new@example.com",
      emailMarketingState: "unsubscribed",
      acceptsMarketing: false,
      lifetimeSpend: "50.00",
    });

    // And a late webhook older than the imported state changes nothing.
    await upsertOrder(
      db(),
      SHOP,
      orderSchema.parse({ ...olderInput, updated_at: daysAgo(20), total_price: "1.00" }),
    );
    const [after] = await db()
      .select()
      .from(orders)
      .where(and(eq(orders.shop, SHOP), eq(orders.id, "5002")));
    expect(after!.totalPrice).toBe("20.00");
  });

  it("resumes after a crash mid-load exactly after the last committed batch", async () => {
    // 7 orders of one customer, 2 line items each (3 lines per order); one cancelled.
    const fixtures: OrderFixture[] = Array.from({ length: 7 }, (_, i) => ({
      id: String(3000 + i),
      customerId: "4242",
      total: `${10 * (i + 1)}.00`,
      createdDaysAgo: 300 - i * 30,
      cancelled: i === 6,
      items: [
        { id: `${i + 1}1`, variantId: "42", productId: "7", price: "1.00", quantity: 1 },
        { id: `${i + 1}2`, variantId: "43", productId: "7", price: "2.00", quantity: 1 },
      ],
    }));
    // The download breaks on the 3rd order's 2nd line: batches of 2 orders committed 6 lines.
    const api = scriptedApi({ orders: fixtures.flatMap(orderLines), breakAfterLines: 7 });
    const queue = recordingQueue();
    await start(queue);
    const results = await drive(queue, api, { orderBatch: 2 });
    expect(results).toEqual(["waiting", "threw", "next-phase", "waiting", "done"]);
    const held = await db().select().from(orders).where(eq(orders.shop, SHOP));
    expect(held.map((o) => o.id).sort()).toEqual(fixtures.map((f) => f.id));
    expect(held.every((o) => o.lineItems.length === 2)).toBe(true);
    const [customer] = await db().select().from(customers).where(eq(customers.shop, SHOP));
    // 10 + 20 + … + 60 (the cancelled 70 does not count), over 6 orders.
    expect(customer).toMatchObject({ orderCount: 6, lifetimeSpend: "210.00" });
    expect(customer!.firstOrderAt!.toISOString()).toBe(daysAgo(300));
    expect(customer!.lastOrderAt!.toISOString()).toBe(daysAgo(150));
    expect(await getHistoryImport(db(), SHOP)).toMatchObject({
      status: "done",
      orders: 7,
      customers: 1,
    });
  });

  it("reads Shopify's ungrouped output (a page's orders, then their line items)", async () => {
    const fixtures: OrderFixture[] = Array.from({ length: 5 }, (_, i) => ({
      id: String(3100 + i),
      customerId: String(4300 + (i % 2)),
      total: "10.00",
      createdDaysAgo: 100 - i,
      items: [
        { id: `${i + 1}01`, variantId: "42", productId: "7", price: "4.00", quantity: 1 },
        { id: `${i + 1}02`, variantId: "43", productId: "7", price: "6.00", quantity: 1 },
      ],
    }));
    // Pages of 3 orders: the page's order lines first, then all their line items.
    const pages = [fixtures.slice(0, 3), fixtures.slice(3)].flatMap((page) => {
      const lines = page.map(orderLines);
      return [...lines.map((l) => l[0]!), ...lines.flatMap((l) => l.slice(1))];
    });
    const queue = recordingQueue();
    await start(queue);
    await drive(queue, scriptedApi({ orders: pages }), { orderBatch: 1 });
    const held = await db().select().from(orders).where(eq(orders.shop, SHOP));
    expect(held).toHaveLength(5);
    expect(held.every((o) => o.lineItems.map((l) => l.price).join() === "4.00,6.00")).toBe(true);
    const aggregates = await db()
      .select({ id: customers.id, orderCount: customers.orderCount })
      .from(customers)
      .where(eq(customers.shop, SHOP));
    expect(aggregates.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: "4300", orderCount: 3 },
      { id: "4301", orderCount: 2 },
    ]);
  });

  it("runs one import per shop at a time; a re-import replaces a finished one", async () => {
    const queue = recordingQueue();
    const first = await start(queue);
    expect(first.started).toBe(true);
    expect(await start(queue)).toEqual({ importId: first.importId, started: false });
    expect(queue.jobs).toHaveLength(1);
    await drive(queue, scriptedApi({ orders: orderLines({ id: "77", createdDaysAgo: 3 }) }));
    const again = await start(queue);
    expect(again.started).toBe(true);
    expect(again.importId).not.toBe(first.importId);
    // A step of the replaced import does nothing.
    expect(
      await runHistoryImportStep(
        database(),
        queue,
        { shop: SHOP, importId: first.importId, step: 9 },
        {
          api: scriptedApi({ orders: [] }),
        },
      ),
    ).toBe("superseded");
  });

  it("says why a failed export failed, and retry starts over", async () => {
    const queue = recordingQueue();
    await start(queue);
    const api = scriptedApi({
      orders: [],
      ordersOutcome: { status: "FAILED", errorCode: "ACCESS_DENIED" },
    });
    expect(await drive(queue, api)).toEqual(["waiting", "failed"]);
    const failed = await getHistoryImport(db(), SHOP);
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed!.lastError).toMatch(/did not let Switchboard read your orders.*permission/);
    const retried = await start(queue);
    expect(retried.started).toBe(true);
    expect(await getHistoryImport(db(), SHOP)).toMatchObject({
      status: "running",
      lastError: null,
      orders: 0,
    });
  });

  it("waits for Shopify by polling, and the finish webhook wakes it at once", async () => {
    const queue = recordingQueue();
    await start(queue);
    const api = scriptedApi({
      orders: orderLines({ id: "88", createdDaysAgo: 3 }),
      runningPolls: 1,
    });
    const first = queue.jobs.at(-1)!;
    expect(await runHistoryImportStep(database(), queue, first.payload, { api })).toBe("waiting");
    const poll = queue.jobs.at(-1)!;
    expect(poll.delaySeconds).toBeGreaterThan(0);
    expect(await runHistoryImportStep(database(), queue, poll.payload, { api })).toBe("waiting");
    const secondPoll = queue.jobs.at(-1)!;
    // bulk_operations/finish arrives: a job right away, and the delayed poll stands down.
    expect(await wakeHistoryImport(db(), queue, SHOP, "gid://shopify/BulkOperation/1")).toBe(true);
    const woken = queue.jobs.at(-1)!;
    expect(woken.delaySeconds).toBeUndefined();
    expect(await runHistoryImportStep(database(), queue, woken.payload, { api })).toBe(
      "next-phase",
    );
    expect(await runHistoryImportStep(database(), queue, secondPoll.payload, { api })).toBe(
      "superseded",
    );
    expect(await wakeHistoryImport(db(), queue, SHOP, "gid://shopify/BulkOperation/999")).toBe(
      false,
    );
    // Nothing but the import's own steps was enqueued: no recipe hears of history.
    expect(new Set(queue.jobs.map((j) => j.task))).toEqual(new Set(["import-shopify-history"]));
  });
});
