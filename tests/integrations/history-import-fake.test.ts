import { realFetch } from "../helpers/real-fetch";
import "../helpers/shopify";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { customers, inventoryLevels, orders } from "../../db/schema/index";
import type { Enqueuer, TaskContract } from "../../app/jobs/contracts";
import {
  runHistoryImportStep,
  shopifyBulkOperations,
  startHistoryImport,
  type HistoryStepResult,
} from "../../app/integrations/shopify-admin/history-import.server";
import { getHistoryImport } from "../../app/models/history-imports.server";
import { createSandboxStore } from "../../sandbox/store/index";
import { describeEachDatabase } from "../helpers/database";
import { storeOfflineSession, withShopifyAdminFake } from "../helpers/shopify-admin";
import { SHOP_A } from "../helpers/vendors";

/**
 * The history import end to end against the sandbox's Admin fake: real bulk operations
 * (bulkOperationRunQuery validated against the Admin schema, JSONL from the fake's loopback
 * URL), through the app's Admin client and offline session. The store's history is dated up to
 * its base date, so that is the import's "now".
 */
const store = createSandboxStore({ shopDomain: SHOP_A });
const admin = withShopifyAdminFake(() => store);
const DAY = 86_400_000;

function stepQueue(): Enqueuer & { last: () => { shop: string; importId: string; step: number } } {
  const jobs: { shop: string; importId: string; step: number }[] = [];
  return {
    last: () => jobs.at(-1)!,
    async enqueue(_task: TaskContract, payload: unknown) {
      jobs.push(payload as (typeof jobs)[number]);
      return String(jobs.length);
    },
    async enqueueMany() {
      return [];
    },
  } as Enqueuer & { last: () => (typeof jobs)[number] };
}

describeEachDatabase("History import against the Shopify fake", ({ use: testDatabase }) => {
  beforeAll(async () => {
    await storeOfflineSession(SHOP_A);
  });

  /** Starts (or re-imports) and runs the steps as the worker would, polling every 25 ms. */
  async function importHistory(now: Date) {
    const database = testDatabase().database;
    const queue = stepQueue();
    const begun = await startHistoryImport(database.db, queue, SHOP_A, now, { days: 365 });
    expect(begun.started).toBe(true);
    const api = shopifyBulkOperations(realFetch);
    const results: HistoryStepResult[] = [];
    for (let i = 0; i < 2_000 && results.at(-1) !== "done" && results.at(-1) !== "failed"; i++) {
      results.push(
        await runHistoryImportStep(database, queue, queue.last(), { api, orderBatch: 200 }),
      );
      if (results.at(-1) === "waiting") await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return getHistoryImport(database.db, SHOP_A);
  }

  it("imports the last 365 days of orders, their customers and the stock levels", async () => {
    const database = testDatabase().database;
    const db = database.db;
    const now = new Date(store.baseDate);
    const since = now.getTime() - 365 * DAY;
    const queue = stepQueue();
    await startHistoryImport(db, queue, SHOP_A, now, { days: 365 });
    const api = shopifyBulkOperations(realFetch);
    const results: HistoryStepResult[] = [];
    for (let i = 0; i < 2_000 && results.at(-1) !== "done" && results.at(-1) !== "failed"; i++) {
      results.push(
        await runHistoryImportStep(database, queue, queue.last(), { api, orderBatch: 200 }),
      );
      if (results.at(-1) === "waiting") await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const row = await getHistoryImport(db, SHOP_A);
    expect(row, row?.lastError ?? "").toMatchObject({ status: "done", lastError: null });

    const expected = store.orders.filter((o) => Date.parse(o.createdAt) >= since);
    const [{ count }] = (await db
      .select({ count: sql<number>`count(*)::int` })
      .from(orders)
      .where(eq(orders.shop, SHOP_A))) as [{ count: number }];
    expect(expected.length).toBeGreaterThan(100);
    expect(count).toBe(expected.length);
    expect(row!.orders).toBe(expected.length);
    expect(row!.customers).toBe(new Set(expected.flatMap((o) => o.customerId ?? [])).size);

    // The most loyal customer's aggregates, as Shopify's orders say.
    const perCustomer = new Map<number, typeof expected>();
    for (const order of expected)
      if (order.customerId !== null)
        perCustomer.set(order.customerId, [...(perCustomer.get(order.customerId) ?? []), order]);
    const [loyalId, theirs] = [...perCustomer.entries()].sort(
      (a, b) => b[1].length - a[1].length,
    )[0]!;
    const counted = theirs.filter((o) => o.cancelledAt === null);
    const [loyal] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, SHOP_A), eq(customers.id, String(loyalId))));
    expect(loyal!.orderCount).toBe(counted.length);
    expect(loyal!.lastOrderAt!.toISOString()).toBe(
      new Date(Math.max(...counted.map((o) => Date.parse(o.createdAt)))).toISOString(),
    );

    const levels = await db.select().from(inventoryLevels).where(eq(inventoryLevels.shop, SHOP_A));
    expect(levels.length).toBeGreaterThan(0);
    expect(row!.inventoryLevels).toBe(levels.length);
  });

  it("re-imports from Shopify's ungrouped output to the same read model", async () => {
    const db = testDatabase().database.db;
    const snapshot = async () =>
      (await db.select().from(orders).where(eq(orders.shop, SHOP_A)))
        .map((o) => `${o.id}:${o.lineItems.length}:${o.currentTotalPrice}`)
        .sort();
    const before = await snapshot();
    admin().bulk.setKnobs({ ungrouped: true });
    try {
      const row = await importHistory(new Date(store.baseDate));
      expect(row, row?.lastError ?? "").toMatchObject({ status: "done", orders: before.length });
    } finally {
      admin().bulk.setKnobs({ ungrouped: false });
    }
    expect(await snapshot()).toEqual(before);
  });
});
