import { routeShopifyTo } from "./route-shopify";
import { Session } from "@shopify/shopify-api";
import { API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { customers, webhookEvents } from "../../db/schema/index";
import { protectedDataStatus } from "../../app/models/protected-data.server";
import { recordInstall } from "../../app/models/shops.server";
import { sessionStorage } from "../../app/shopify.server";
import { startShopifyAdminFake, type ShopifyAdminFake } from "../../sandbox/fakes/shopify-admin";
import { StoreDaySimulator } from "../../sandbox/simulator";
import { createSandboxStore } from "../../sandbox/store/generate";
import { HOUR_MS } from "../../sandbox/store/time";
import { describeWithRuntime } from "../helpers/runtime";
import { waitFor } from "../helpers/webhooks";

let shopify: ShopifyAdminFake;
const store = createSandboxStore({ seed: 5, baseDate: "2026-11-20T17:00:00Z" });

beforeAll(async () => {
  shopify = await startShopifyAdminFake({ store, protectedCustomerData: false });
  routeShopifyTo(shopify.url);
});

afterAll(async () => {
  routeShopifyTo(null);
  await shopify?.close();
});

describeWithRuntime("the sandbox store without protected customer data access", ({ runtime }) => {
  it("feeds the app orders whose customers arrive withheld, and Home's status sees it", async () => {
    const db = () => runtime().database.db;
    const shop = store.shop.domain;
    await sessionStorage.storeSession(
      new Session({
        id: `offline_${shop}`,
        shop,
        state: "",
        isOnline: false,
        accessToken: shopify.accessToken,
      }),
    );
    await recordInstall(db(), shop, runtime().clock.now(), { name: store.shop.name });

    const webhookIds: string[] = [];
    const simulator = new StoreDaySimulator({
      store,
      seed: 5,
      apiSecret: API_SECRET_KEY,
      duplicateRate: 0,
      protectedCustomerData: false,
      transport: async (delivery, headers) => {
        const route = await import(
          `../../app/routes/webhooks.${delivery.topic.replace("/", ".")}.ts`
        );
        const request = new Request(`https://app.test/webhooks/${delivery.topic}`, {
          method: "POST",
          headers,
          body: delivery.body,
        });
        const response: Response = await route.action({ request, params: {}, context: {} });
        webhookIds.push(delivery.webhookId);
        return response.status;
      },
    });
    await simulator.advanceBy(4 * HOUR_MS);
    await simulator.deliverQueued({ all: true });

    const events = await waitFor(
      async () => {
        const rows = await db()
          .select()
          .from(webhookEvents)
          .where(inArray(webhookEvents.webhookId, webhookIds));
        return rows.length === webhookIds.length && rows.every((row) => row.status !== "received")
          ? rows
          : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(events.filter((e) => e.status !== "processed").map((e) => e.error)).toEqual([]);
    expect(events.some((e) => e.topic === "orders/create")).toBe(true);

    const known = await db().select().from(customers).where(eq(customers.shop, shop));
    expect(known.length).toBeGreaterThan(0);
    expect(known.filter((c) => c.email || c.firstName || c.lastName || c.phone)).toEqual([]);
    const status = await protectedDataStatus(db(), shop);
    expect(status.withheld).toBeGreaterThan(0);
    expect(status.withheld).toBe(status.ordersWithCustomer);
    // The customers are still there, by the store's ids.
    expect(known.every((c) => store.customers.some((s) => String(s.id) === c.id))).toBe(true);
  });
});
