import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
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
    const response = await fetch(`${app.url}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: "null" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: await response.json() };
  };

  it("answers the checkout's preflight with CORS headers and no body", async () => {
    const response = await fetch(`${app.url}/api/post-purchase/offer`, {
      method: "OPTIONS",
      headers: { Origin: "null", "Access-Control-Request-Method": "POST" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toBe("POST, OPTIONS");
    expect(await response.text()).toBe("");
  });

  it("offers, then records the buyer's decline once", async () => {
    const referenceId = `ref-${randomUUID()}`;
    const token = await purchaseToken({
      shop: TEST_SHOP,
      referenceId,
      customerId: CUSTOMER,
      lineItems: [{ ...CATALOG.tent }],
      secret: API_SECRET_KEY,
    });
    const offered = await post("/api/post-purchase/offer", { token, shop: TEST_SHOP, referenceId });
    expect(offered.status).toBe(200);
    expect(offered.headers.get("access-control-allow-origin")).toBe("*");
    expect(offered.headers.get("cache-control")).toBe("no-store");
    expect(offered.body.offer).toMatchObject({
      variantId: CATALOG.mug.variantId,
      discountedPrice: "20.40",
      currency: "USD",
    });

    const declined = await post("/api/post-purchase/decline", {
      token,
      shop: TEST_SHOP,
      referenceId,
      offerId: offered.body.offer.id,
    });
    expect(declined).toMatchObject({ status: 200, body: { declined: true } });
    const again = await post("/api/post-purchase/decline", {
      token,
      shop: TEST_SHOP,
      referenceId,
      offerId: offered.body.offer.id,
    });
    expect(again.body).toEqual({ declined: false });
  });

  it("answers bad input with JSON errors: not JSON, wrong shape, forged token", async () => {
    expect(await post("/api/post-purchase/offer", "{not json")).toMatchObject({
      status: 400,
      body: { error: "The body must be JSON." },
    });
    expect(await post("/api/post-purchase/offer", { shop: TEST_SHOP })).toMatchObject({
      status: 400,
      body: { error: "Invalid request." },
    });
    const referenceId = `ref-${randomUUID()}`;
    const forged = await purchaseToken({
      shop: TEST_SHOP,
      referenceId,
      customerId: CUSTOMER,
      secret: "not-the-app-secret",
    });
    const refused = await post("/api/post-purchase/offer", {
      token: forged,
      shop: TEST_SHOP,
      referenceId,
    });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatch(/^Unauthorized/);
  });

  /**
   * Sends `bytes` of body to `path` (with a Content-Length, or chunked), and resolves with the
   * status as soon as the server answers, even while the upload is still going.
   */
  const upload = (path: string, bytes: number, { chunked = false, method = "POST" } = {}) =>
    new Promise<number>((resolve, reject) => {
      const url = new URL(path, app.url);
      const req = httpRequest(url, {
        method,
        headers: chunked ? { "Transfer-Encoding": "chunked" } : { "Content-Length": String(bytes) },
      });
      req.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      req.on("error", reject);
      const chunk = Buffer.alloc(64 * 1024, 0x78);
      let sent = 0;
      const pump = () => {
        while (sent < bytes) {
          const size = Math.min(chunk.length, bytes - sent);
          sent += size;
          if (!req.write(size === chunk.length ? chunk : chunk.subarray(0, size)))
            return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });

  it("limits every request body before buffering it, whatever the path's letter case", async () => {
    // The fast paths, reached with Remix's case-insensitive routing in mind.
    expect(await upload("/Webhooks/orders/create", 5 * 1024 * 1024 + 1)).toBe(413);
    expect(await upload("/API/Post-Purchase/offer", 64 * 1024 + 1)).toBe(413);
    // Every other path: a declared length, or a chunked body counted as it streams in.
    expect(await upload("/auth/login", 1024 * 1024 + 1)).toBe(413);
    expect(await upload("/Auth/Login", 100 * 1024 * 1024, { chunked: true })).toBe(413);
    // Still serving, and a body under the limits goes through.
    expect((await fetch(`${app.url}/api/post-purchase/offer`, { method: "OPTIONS" })).status).toBe(
      204,
    );
    const status = await fetch(`${app.url}/WEBHOOKS/orders/create`, {
      method: "POST",
      headers: signedWebhook("orders/create", { id: 1 }, { shop: TEST_SHOP, secret: "forged" })
        .headers,
      body: JSON.stringify({ id: 1 }),
    });
    expect(status.status).toBe(401);
    // A chunked form under the limit reaches the login page whole (held until it ended).
    const form = new TextEncoder().encode("shop=not a shop");
    const chunkedLogin = await fetch(`${app.url}/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(form.subarray(0, 6));
          controller.enqueue(form.subarray(6));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(chunkedLogin.status).toBe(200);
    expect(await chunkedLogin.text()).toMatch(/Enter a valid store domain/);
    // The refused bodies never reached a route, so none failed there after the 413.
    expect(app.output()).not.toMatch(
      /ERR_HTTP_HEADERS_SENT|Unhandled|uncaught|Unexpected Server Error/i,
    );
  });

  it("says nosniff on every answer, keeps the login page out of frames, and answers a GET on a webhook with a quiet 405", async () => {
    const login = await fetch(`${app.url}/auth/login`);
    expect(login.headers.get("x-content-type-options")).toBe("nosniff");
    expect(login.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const webhookGet = await fetch(`${app.url}/webhooks/orders/create`);
    expect(webhookGet.status).toBe(405);
    expect(webhookGet.headers.get("allow")).toBe("POST");
    expect(webhookGet.headers.get("x-content-type-options")).toBe("nosniff");
    const offer = await fetch(`${app.url}/api/post-purchase/offer`, { method: "OPTIONS" });
    expect(offer.headers.get("x-content-type-options")).toBe("nosniff");
    expect(app.output()).not.toMatch(/Unexpected Server Error|ErrorResponseImpl/);
  });

  it("refuses a body larger than any checkout sends with 413", async () => {
    const response = await fetch(`${app.url}/api/post-purchase/offer`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "x".repeat(64 * 1024 + 1),
    });
    expect(response.status).toBe(413);
  });

  it("takes Shopify webhooks straight off node:http: signed → 200 (a repeat too), forged → 401", async () => {
    const send = async (request: Request) => {
      const response = await fetch(`${app.url}${new URL(request.url).pathname}`, {
        method: "POST",
        headers: request.headers,
        body: await request.text(),
      });
      return response.status;
    };
    const webhookId = `fast-${randomUUID()}`;
    const payload = orderPayload({ id: 6_400_000_001 });
    expect(
      await send(signedWebhook("orders/create", payload, { shop: TEST_SHOP, webhookId })),
    ).toBe(200);
    expect(
      await send(signedWebhook("orders/create", payload, { shop: TEST_SHOP, webhookId })),
    ).toBe(200);
    expect(
      await send(
        signedWebhook("orders/create", payload, { shop: TEST_SHOP, secret: "not-the-app-secret" }),
      ),
    ).toBe(401);
  });
});
