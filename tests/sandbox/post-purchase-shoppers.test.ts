import { routeShopifyTo } from "./route-shopify";
import { API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { and, eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { upsellOffers, webhookEvents } from "../../db/schema/index";
import { env } from "../../app/env.server";
import { startShopifyAdminFake, type ShopifyAdminFake } from "../../sandbox/fakes/shopify-admin";
import { StoreDaySimulator, type WebhookDelivery } from "../../sandbox/simulator";
import { createSandboxStore } from "../../sandbox/store/generate";
import type { SandboxStore } from "../../sandbox/store/types";
import { HOUR_MS } from "../../sandbox/store/time";
import { describeWithRuntime } from "../helpers/runtime";
import { waitFor } from "../helpers/webhooks";
import { appRoute, seedSandboxUpsell, webhookRoutes } from "./upsell-shop";

// A store per run (each runtime's app sees its own day) and the Admin fake serving it.
let store: SandboxStore;
let shopify: ShopifyAdminFake | undefined;

beforeEach(async () => {
  store = createSandboxStore({ seed: 5, baseDate: "2026-11-20T17:00:00Z" });
  shopify = await startShopifyAdminFake({ store });
  routeShopifyTo(shopify.url);
});

afterEach(async () => {
  routeShopifyTo(null);
  await shopify?.close();
});

describeWithRuntime("simulated shoppers on the post-purchase page", ({ runtime }) => {
  it("answer the app's funnel offers; accepted ones reach Shopify's order and are charged from its webhooks", async () => {
    const db = () => runtime().database.db;
    const shop = store.shop.domain;
    const { downsell } = await seedSandboxUpsell(db(), store, {
      accessToken: shopify!.accessToken,
      now: runtime().clock.now(),
    });

    const deliveries: WebhookDelivery[] = [];
    const failed: string[] = [];
    const simulator = new StoreDaySimulator({
      store,
      seed: 5,
      apiSecret: API_SECRET_KEY,
      appUrl: "https://app.test",
      duplicateRate: 0,
      transport: webhookRoutes(deliveries, failed),
      postPurchase: {
        apiKey: env().SHOPIFY_API_KEY,
        acceptRate: 0.5,
        walletRate: 0,
        now: () => runtime().clock.now(),
        // The extension's client reaches the app's /api/post-purchase/* routes.
        fetch: async (input, init) => {
          const url = new URL(String(input));
          return appRoute(url.pathname.slice(1), new Request(url, init));
        },
      },
    });
    await simulator.advanceBy(6 * HOUR_MS);
    await simulator.deliverQueued({ all: true });
    expect(failed).toEqual([]);

    const answers = simulator
      .feed(1000)
      .filter((entry) => entry.kind === "shopper")
      .map((entry) => entry.title);
    expect(answers).toContain("offer accepted");
    expect(answers).toContain("offer declined");
    expect(answers).not.toContain("offer refused");

    // Each accepted offer is a line Shopify added to the order, at the offer's price.
    const accepted = await db()
      .select()
      .from(upsellOffers)
      .where(and(eq(upsellOffers.shop, shop), eq(upsellOffers.status, "accepted")));
    expect(accepted.length).toBe(answers.filter((a) => a === "offer accepted").length);
    for (const offer of accepted) {
      const order = store.orders.find(
        (o) => (o.checkoutToken ?? o.token.split("").reverse().join("")) === offer.referenceId,
      )!;
      const line = order.lineItems.find((l) => String(l.variantId) === offer.variantId)!;
      const step = offer.step === "downsell" ? 0.7 : 0.8;
      expect(
        (Number(line.price.shop) * line.quantity - Number(line.totalDiscount.shop)).toFixed(2),
      ).toBe((Number(line.price.shop) * line.quantity * step).toFixed(2));
    }
    // Downsells follow declines: the second variant is offered only after the first was declined.
    const shown = await db().select().from(upsellOffers).where(eq(upsellOffers.shop, shop));
    expect(shown.some((offer) => offer.variantId === String(downsell.id))).toBe(true);

    // Shopify's orders/edited and orders/updated reach the app; it charges each accepted offer
    // once, with what the order line says.
    expect(deliveries.some((d) => d.topic === "orders/edited")).toBe(true);
    const ids = deliveries.map((d) => d.webhookId);
    await waitFor(
      async () => {
        const rows = await db()
          .select()
          .from(webhookEvents)
          .where(inArray(webhookEvents.webhookId, ids));
        return rows.every((row) => row.status === "processed") ? rows : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const charged = await waitFor(
      async () => {
        const rows = await db()
          .select()
          .from(upsellOffers)
          .where(and(eq(upsellOffers.shop, shop), eq(upsellOffers.status, "accepted")));
        return rows.every((row) => row.chargedAt !== null) ? rows : undefined;
      },
      { timeoutMs: 30_000 },
    );
    for (const offer of charged) expect(Number(offer.chargedRevenue)).toBeGreaterThan(0);
  });
});
