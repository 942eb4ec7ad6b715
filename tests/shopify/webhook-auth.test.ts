import "../helpers/shopify";
import { getHmac, API_SECRET_KEY, APP_URL, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { expect, it } from "vitest";
import { action as ordersCreate } from "../../app/routes/webhooks.orders.create";
import { action as customersRedact } from "../../app/routes/webhooks.customers.redact";
import { describeWithRuntime } from "../helpers/runtime";

function webhookRequest(path: string, topic: string, body: string, hmac: string | null) {
  const headers = new Headers({
    "Content-Type": "application/json",
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": TEST_SHOP,
    "X-Shopify-API-Version": "2026-10",
    "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
  });
  if (hmac !== null) headers.set("X-Shopify-Hmac-Sha256", hmac);
  return new Request(`${APP_URL}${path}`, { method: "POST", headers, body });
}

const call = (handler: typeof ordersCreate, request: Request) =>
  Promise.resolve(handler({ request, params: {}, context: {} })).catch(
    (thrown) => thrown as Response,
  );

describeWithRuntime("webhook authentication", () => {
  const body = JSON.stringify({ id: 820982911946154500, email: "jon@example.com" });

  it("accepts a delivery signed with the app secret", async () => {
    const response = await call(
      ordersCreate,
      webhookRequest(
        "/webhooks/orders/create",
        "orders/create",
        body,
        getHmac(body, API_SECRET_KEY),
      ),
    );
    expect(response.status).toBe(200);
  });

  it("answers 401 to a forged signature", async () => {
    const response = await call(
      ordersCreate,
      webhookRequest(
        "/webhooks/orders/create",
        "orders/create",
        body,
        getHmac(body, "wrong-secret"),
      ),
    );
    expect(response.status).toBe(401);
  });

  it("answers 401 to a tampered body", async () => {
    const hmac = getHmac(body, API_SECRET_KEY);
    const response = await call(
      ordersCreate,
      webhookRequest("/webhooks/orders/create", "orders/create", body.replace("jon", "eve"), hmac),
    );
    expect(response.status).toBe(401);
  });

  it("answers 401 to a compliance delivery with no signature at all", async () => {
    const response = await call(
      customersRedact,
      webhookRequest("/webhooks/customers/redact", "customers/redact", body, null),
    );
    expect(response.status).toBe(401);
  });
});

describeWithRuntime("webhook verification agrees with Shopify's library", () => {
  const body = JSON.stringify({ id: 1, note: "cross-check" });
  it.each([
    ["signed", getHmac(body, API_SECRET_KEY), body, 200],
    ["forged", getHmac(body, "other"), body, 401],
    ["tampered", getHmac(body, API_SECRET_KEY), body + " ", 401],
  ])("%s delivery", async (_label, hmac, sentBody, expected) => {
    const { authenticate } = await import("../../app/shopify.server");
    const library = await authenticate
      .webhook(webhookRequest("/webhooks/orders/create", "orders/create", sentBody, hmac))
      .then(() => 200)
      .catch((thrown: Response) => thrown.status);
    const ours = (
      await call(
        ordersCreate,
        webhookRequest("/webhooks/orders/create", "orders/create", sentBody, hmac),
      )
    ).status;
    expect(library).toBe(expected);
    expect(ours).toBe(expected);
  });
});
