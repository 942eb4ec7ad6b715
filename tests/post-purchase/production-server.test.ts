import { randomUUID } from "node:crypto";
import { API_SECRET_KEY, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "../helpers/app-server";
import { CATALOG, purchaseToken, seedCustomer, seedUpsellShop } from "../helpers/post-purchase";
import { signedWebhook } from "../helpers/webhooks";
import { orderPayload } from "../fixtures/shopify-payloads";

const CUSTOMER = 7_300_000_001;

/**
 * The checkout's calls as they reach the production server (`node server.js`), which answers
 * /api/post-purchase/* straight off node:http: preflight, offer, decline, errors.
 */
describe("post-purchase endpoints on the production server", () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({
      seed: async (dataDir) => {
        const { migrateDatabase, openDatabase } = await import("../../app/db.server");
        const database = await openDatabase({ dataDir });
        try {
          await migrateDatabase(database);
          await seedUpsellShop(database.db, TEST_SHOP, { mug: 20, lantern: 20 });
          await seedCustomer(database.db, TEST_SHOP, CUSTOMER, "fast.path@example.com");
        } finally {
          await database.close();
        }
      },
    });
  }, 180_000);

  afterAll(() => app?.stop());

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${app.url}${path}`, { method: "POST", headers: { "Content-Type": "application/json", Origin: "null" }, body: typeof body === "string" ? body : JSON.stringify(body) });
    return { status: response.status, headers: response.headers, body: await response.json() };
  };

  it("answers the checkout's preflight with CORS headers and no body", async () => {
    const response = await fetch(`${app.url}/api/post-purchase/offer`, { method: "OPTIONS", headers: { Origin: "null", "Access-Control-Request-Method": "POST" } });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toBe("POST, OPTIONS");
    expect(await response.text()).toBe("");
  });

  it("offers, then records the buyer's decline once", async () => {
    const referenceId = `ref-${randomUUID()}`;
    const token = await purchaseToken({ shop: TEST_SHOP, referenceId, customerId: CUSTOMER, lineItems: [{ ...CATALOG.tent }], secret: API_SECRET_KEY });
    const offered = await post("/api/post-purchase/offer", { token, shop: TEST_SHOP, referenceId });
    expect(offered.status).toBe(200);
    expect(offered.headers.get("access-control-allow-origin")).toBe("*");
    expect(offered.headers.get("cache-control")).toBe("no-store");
    expect(offered.body.offer).toMatchObject({ variantId: CATALOG.mug.variantId, discountedPrice: "20.40", currency: "USD" });

    const declined = await post("/api/post-purchase/decline", { token, shop: TEST_SHOP, referenceId, offerId: offered.body.offer.id });
    expect(declined).toMatchObject({ status: 200, body: { declined: true } });
    const again = await post("/api/post-purchase/decline", { token, shop: TEST_SHOP, referenceId, offerId: offered.body.offer.id });
    expect(again.body).toEqual({ declined: false });
  });

  it("answers bad input with JSON errors: not JSON, wrong shape, forged token", async () => {
    expect(await post("/api/post-purchase/offer", "{not json")).toMatchObject({ status: 400, body: { error: "The body must be JSON." } });
    expect(await post("/api/post-purchase/offer", { shop: TEST_SHOP })).toMatchObject({ status: 400, body: { error: "Invalid request." } });
    const referenceId = `ref-${randomUUID()}`;
    const forged = await purchaseToken({ shop: TEST_SHOP, referenceId, customerId: CUSTOMER, secret: "not-the-app-secret" });
    const refused = await post("/api/post-purchase/offer", { token: forged, shop: TEST_SHOP, referenceId });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatch(/^Unauthorized/);
  });

  it("refuses a body larger than any checkout sends with 413", async () => {
    const response = await fetch(`${app.url}/api/post-purchase/offer`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "x".repeat(64 * 1024 + 1) });
    expect(response.status).toBe(413);
  });

  it("takes Shopify webhooks straight off node:http: signed → 200 (a repeat too), forged → 401", async () => {
    const send = async (request: Request) => {
      const response = await fetch(`${app.url}${new URL(request.url).pathname}`, { method: "POST", headers: request.headers, body: await request.text() });
      return response.status;
    };
    const webhookId = `fast-${randomUUID()}`;
    const payload = orderPayload({ id: 6_400_000_001 });
    expect(await send(signedWebhook("orders/create", payload, { shop: TEST_SHOP, webhookId }))).toBe(200);
    expect(await send(signedWebhook("orders/create", payload, { shop: TEST_SHOP, webhookId }))).toBe(200);
    expect(await send(signedWebhook("orders/create", payload, { shop: TEST_SHOP, secret: "not-the-app-secret" }))).toBe(401);
  });
});
