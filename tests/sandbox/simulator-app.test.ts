import { routeShopifyTo } from "./route-shopify";
import { Session } from "@shopify/shopify-api";
import { API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { variants, webhookEvents } from "../../db/schema/index";
import { recordInstall } from "../../app/models/shops.server";
import { sessionStorage } from "../../app/shopify.server";
import { startShopifyAdminFake, type ShopifyAdminFake } from "../../sandbox/fakes/shopify-admin";
import { StoreDaySimulator, type WebhookDelivery } from "../../sandbox/simulator";
import { createSandboxStore } from "../../sandbox/store/generate";
import { HOUR_MS } from "../../sandbox/store/time";
import { describeWithRuntime } from "../helpers/runtime";
import { waitFor } from "../helpers/webhooks";

let shopify: ShopifyAdminFake;
const store = createSandboxStore({ seed: 3, baseDate: "2026-11-20T17:00:00Z" });

beforeAll(async () => {
  shopify = await startShopifyAdminFake({ store });
  routeShopifyTo(shopify.url);
});

afterAll(async () => {
  routeShopifyTo(null);
  await shopify?.close();
});

describeWithRuntime("simulated store day through the app's webhook pipeline", ({ runtime }) => {
  it("delivers signed webhooks the app accepts, stores each once despite duplicates, and processes them all", async () => {
    const db = () => runtime().database.db;
    const shop = store.shop.domain;
    // What the sandbox bootstrap stores: the offline session with the fake's token, and the install.
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

    const answers: { delivery: WebhookDelivery; status: number }[] = [];
    const simulator = new StoreDaySimulator({
      store,
      seed: 3,
      apiSecret: API_SECRET_KEY,
      duplicateRate: 0.2,
      // The app's route for the topic (app/routes/webhooks.<topic>.ts), fed the exact request Shopify would make.
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
        answers.push({ delivery, status: response.status });
        return response.status;
      },
    });
    await simulator.advanceBy(4 * HOUR_MS);
    await simulator.deliverQueued({ all: true });

    expect(answers.length).toBeGreaterThan(10);
    expect(
      answers.filter((a) => a.status !== 200).map((a) => `${a.delivery.topic} ${a.status}`),
    ).toEqual([]);
    const ids = [...new Set(answers.map((a) => a.delivery.webhookId))];
    expect(answers.length).toBeGreaterThan(ids.length); // some were delivered twice

    const events = await waitFor(
      async () => {
        const rows = await db()
          .select()
          .from(webhookEvents)
          .where(inArray(webhookEvents.webhookId, ids));
        return rows.length === ids.length && rows.every((row) => row.status !== "received")
          ? rows
          : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(
      events
        .filter((e) => e.status !== "processed")
        .map((e) => `${e.topic}: ${e.status} ${e.error ?? ""}`),
    ).toEqual([]);
    expect(new Set(events.map((e) => e.topic))).toContain("orders/create");

    // inventory_levels/update made the app ask Shopify which variant an item is: through the
    // preload's routing, the Admin fake answered from the same store.
    const items = [
      ...new Set(
        answers
          .filter((a) => a.delivery.topic === "inventory_levels/update")
          .map((a) => String(JSON.parse(a.delivery.body).inventory_item_id)),
      ),
    ];
    expect(items.length).toBeGreaterThan(0);
    const linked = await waitFor(async () => {
      const rows = await db()
        .select()
        .from(variants)
        .where(inArray(variants.inventoryItemId, items));
      return rows.length === items.length ? rows : undefined;
    });
    for (const row of linked)
      expect(
        String(store.variants.find((v) => String(v.inventoryItemId) === row.inventoryItemId)?.id),
      ).toBe(row.id);
    expect(
      shopify
        .operations()
        .some((op) => op.operationName === "InventoryItemVariant" && op.status === 200),
    ).toBe(true);
  });
});
