import { routeShopifyTo } from "../sandbox/route-shopify";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { and, eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterEach, beforeEach, expect, it } from "vitest";
import { upsellOffers } from "../../db/schema/index";
import { env } from "../../app/env.server";
import { checkoutRoutes } from "../../sandbox/admin/checkout";
import { startSandboxAdmin, type SandboxAdmin } from "../../sandbox/admin/server";
import { startShopifyAdminFake, type ShopifyAdminFake } from "../../sandbox/fakes/shopify-admin";
import { purchaseReferenceId } from "../../sandbox/post-purchase";
import { StoreDaySimulator, type WebhookDelivery } from "../../sandbox/simulator";
import { createSandboxStore } from "../../sandbox/store/generate";
import type { SandboxOrder, SandboxStore } from "../../sandbox/store/types";
import { launchBrowser, newStaffPage } from "../helpers/browser";
import { describeWithRuntime } from "../helpers/runtime";
import { waitFor } from "../helpers/webhooks";
import { appRoute, seedSandboxUpsell, webhookRoutes } from "../sandbox/upsell-shop";

/**
 * A buyer on the sandbox's post-purchase page: the extension's own code, bundled and run by the
 * sandbox's checkout host in Chromium, asks the app (its routes behind a loopback server) for
 * the offer, prices it through calculateChangeset, and on Accept the app signs the changeset and
 * the sandbox applies it to the order and sends Shopify's webhooks, which charge the offer.
 */

let store: SandboxStore;
let shopify: ShopifyAdminFake | undefined;
let app: Server | undefined;
let admin: SandboxAdmin | undefined;
let browser: Browser | undefined;

beforeEach(async () => {
  store = createSandboxStore({ seed: 8 });
  shopify = await startShopifyAdminFake({ store });
  routeShopifyTo(shopify.url);
  browser = await launchBrowser();
});

afterEach(async () => {
  await browser?.close();
  await admin?.close();
  await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)));
  routeShopifyTo(null);
  await shopify?.close();
});

/** The app's /api/post-purchase/* routes on a loopback port, as the extension reaches them. */
async function startAppApi(): Promise<string> {
  app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === "string") headers.set(name, value);
      const body = req.method === "POST" ? Buffer.concat(chunks).toString("utf8") : undefined;
      appRoute(url.pathname, new Request(url, { method: req.method, headers, body }))
        .then(async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(await response.text());
        })
        .catch((error: Error) => {
          res.writeHead(500);
          res.end(error.message);
        });
    });
  });
  await new Promise<void>((resolve) => app!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(app!.address() as AddressInfo).port}`;
}

describeWithRuntime("the sandbox checkout's post-purchase page", ({ runtime }) => {
  it("shows the app's offer drawn by the extension; Accept adds it to the order and it is charged, Decline leads to the downsell", async () => {
    const db = () => runtime().database.db;
    const { offered, downsell } = await seedSandboxUpsell(db(), store, {
      accessToken: shopify!.accessToken,
      now: runtime().clock.now(),
    });
    const appUrl = await startAppApi();
    const deliveries: WebhookDelivery[] = [];
    const failed: string[] = [];
    const simulator = new StoreDaySimulator({
      store,
      seed: 8,
      apiSecret: API_SECRET_KEY,
      transport: webhookRoutes(deliveries, failed),
      duplicateRate: 0,
    });
    admin = await startSandboxAdmin({
      appUrl,
      shop: store.shop.domain,
      storeName: store.shop.name,
      storeHandle: "checkout-e2e",
      appHandle: "switchboard",
      apiKey: env().SHOPIFY_API_KEY,
      apiSecret: API_SECRET_KEY,
      nodeEnv: "test",
      store: () => store,
      checkout: checkoutRoutes({
        store: () => store,
        appUrl,
        apiSecret: API_SECRET_KEY,
        now: () => runtime().clock.now(),
        applyChangeset: (orderId, token) =>
          simulator.applyChangesetFromPage(orderId, token, env().SHOPIFY_API_KEY),
      }),
    });
    const [first, second] = [...store.orders]
      .filter((o) =>
        o.lineItems.every((l) => l.variantId !== offered.id && l.variantId !== downsell.id),
      )
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const page = await newStaffPage(browser!);

    // The latest orders, each with its page.
    await page.goto(`${admin.url}/checkout`);
    await page.getByRole("link", { name: first!.name, exact: true }).click();

    // Accept: the line joins the order and Shopify's webhooks charge it.
    const offeredTitle = store.products.find((p) => p.id === offered.productId)!.title;
    await page.getByRole("heading", { name: offeredTitle }).waitFor({ timeout: 30_000 });
    await page.getByText("Save 20% off").waitFor();
    const accept = page.getByRole("button", { name: /Pay now/ });
    await expect.poll(() => accept.isEnabled(), { timeout: 15_000 }).toBe(true);
    await accept.click();
    await page.getByText(`Order ${first!.name} is confirmed`).waitFor({ timeout: 15_000 });
    const order = store.orders.find((o) => o.id === first!.id)! as SandboxOrder;
    expect(order.lineItems.some((l) => l.variantId === offered.id)).toBe(true);
    expect(failed).toEqual([]);
    const charged = await waitFor(
      async () => {
        const [row] = await db()
          .select()
          .from(upsellOffers)
          .where(
            and(
              eq(upsellOffers.shop, store.shop.domain),
              eq(upsellOffers.referenceId, purchaseReferenceId(order)),
            ),
          );
        return row?.chargedAt ? row : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(charged.status).toBe("accepted");

    // Decline: the downsell follows, at its own discount; declining it too ends the page.
    await page.goto(`${admin.url}/checkout/${second!.id}`);
    await page.getByRole("heading", { name: offeredTitle }).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Decline this offer" }).click();
    const downsellTitle = store.products.find((p) => p.id === downsell.productId)!.title;
    await page.getByRole("heading", { name: downsellTitle }).waitFor({ timeout: 15_000 });
    await page.getByText("Save 30% off").waitFor();
    await page.getByRole("button", { name: "Decline this offer" }).click();
    await page.getByText(`Order ${second!.name} is confirmed`).waitFor({ timeout: 15_000 });
    expect(store.orders.find((o) => o.id === second!.id)!.lineItems).toHaveLength(
      second!.lineItems.length,
    );
  });
});
