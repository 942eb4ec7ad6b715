import { realFetch } from "../helpers/real-fetch";
import "../helpers/shopify";
import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { checkouts, customers } from "../../db/schema/index";
import { checkoutPayload, orderPayload, SHOP } from "../fixtures/shopify-payloads";
import { describeWithRuntime } from "../helpers/runtime";
import { after, HOUR_MS, MINUTE_MS } from "../helpers/time";
import { deliver, settledEvent } from "../helpers/webhooks";

void realFetch;

const MAX = "9223372036854775807"; // 2^63 − 1
const near = (offset: number) => (BigInt(MAX) - BigInt(offset)).toString();

/** The payload's small ids swapped for ones near 2^63, as JSON numbers in the raw body. */
function withIds(payload: unknown, ids: Record<number, string>): string {
  let text = JSON.stringify(payload);
  for (const [small, large] of Object.entries(ids))
    text = text.replace(new RegExp(`(?<!\\d)${small}(?!\\d)`, "g"), large);
  return text;
}

describeWithRuntime("checkouts webhooks", ({ runtime }) => {
  const db = () => runtime().database.db;
  let sent = 0;
  const send = async (topic: string, body: unknown) => {
    const webhookId = `checkouts-${topic}-${++sent}`;
    const response = await deliver(
      topic,
      typeof body === "string" ? null : body,
      typeof body === "string" ? { webhookId, rawBody: body } : { webhookId },
    );
    expect(response.status).toBe(200);
    const event = await settledEvent(db(), webhookId);
    expect([event.status, event.error]).toEqual(["processed", null]);
    return event;
  };
  const stored = async (token: string) =>
    (
      await db()
        .select()
        .from(checkouts)
        .where(and(eq(checkouts.shop, SHOP), eq(checkouts.token, token)))
    )[0];

  it("stores checkouts/create with 64-bit ids exact: customer, email, line items, subtotal and currency, recovery link", async () => {
    const at = runtime().clock.now();
    const [checkoutId, customerId, variantId, productId] = [near(0), near(1), near(2), near(3)];
    const payload = checkoutPayload(at, { token: "large-ids-checkout" });
    await send(
      "checkouts/create",
      withIds(payload, {
        3199200012345: checkoutId,
        7001002003: customerId,
        44001002003: variantId,
        8001002003: productId,
      }),
    );
    const checkout = await stored("large-ids-checkout");
    expect(checkout).toMatchObject({
      id: checkoutId,
      customerId,
      email: "jane.doe@example.com",
      subtotalPrice: "119.00",
      currency: "USD",
      presentmentCurrency: "CAD",
      abandonedCheckoutUrl: payload.abandoned_checkout_url,
      completedAt: null,
      orderId: null,
    });
    expect(checkout!.lineItems).toEqual([
      {
        variantId,
        productId,
        sku: "TEE-BLK-M",
        title: "Organic Tee",
        variantTitle: "Black / M",
        quantity: 2,
        price: "39.50",
      },
      {
        variantId: "44001002004",
        productId: "8001002004",
        sku: "MUG-12",
        title: "Enamel Mug",
        variantTitle: null,
        quantity: 1,
        price: "40.00",
      },
    ]);
    expect(checkout!.createdAt.toISOString()).toBe(after(at, -15 * MINUTE_MS).toISOString());
    expect(checkout!.lastActivityAt.toISOString()).toBe(at.toISOString());
    // The customer is known to the read model (the recipe greets them by name).
    const [customer] = await db()
      .select()
      .from(customers)
      .where(and(eq(customers.shop, SHOP), eq(customers.id, customerId)));
    expect(customer).toMatchObject({ firstName: "Jane", email: "jane.doe@example.com" });
  });

  it("keeps the newest checkout: a late older update changes nothing, a newer one moves the last activity", async () => {
    const at = runtime().clock.now();
    const token = "newest-wins";
    await send("checkouts/create", checkoutPayload(at, { token }));
    const [tee, mug] = checkoutPayload(at).line_items;
    await send(
      "checkouts/update",
      checkoutPayload(after(at, HOUR_MS), { token, line_items: [mug], subtotal_price: "40.00" }),
    );
    // Delivered late: the state from before the hour.
    await send(
      "checkouts/update",
      checkoutPayload(after(at, 30 * MINUTE_MS), { token, line_items: [tee, mug] }),
    );
    const checkout = await stored(token);
    expect(checkout!.lineItems.map((l) => l.sku)).toEqual(["MUG-12"]);
    expect(checkout!.subtotalPrice).toBe("40.00");
    expect(checkout!.lastActivityAt.toISOString()).toBe(after(at, HOUR_MS).toISOString());

    // Completing it is the last update, not the customer hesitating: last activity stays.
    const done = after(at, 2 * HOUR_MS);
    await send(
      "checkouts/update",
      checkoutPayload(done, { token, completed_at: done.toISOString() }),
    );
    const completed = await stored(token);
    expect(completed!.completedAt!.toISOString()).toBe(done.toISOString());
    expect(completed!.lastActivityAt.toISOString()).toBe(after(at, HOUR_MS).toISOString());
  });

  it("an order naming the checkout (checkout_token, or only checkout_id) marks it ordered, once", async () => {
    const at = runtime().clock.now();
    await send(
      "checkouts/create",
      checkoutPayload(at, { token: "by-token", id: 3_199_200_000_001 }),
    );
    await send("checkouts/create", checkoutPayload(at, { token: "by-id", id: 3_199_200_000_002 }));
    await send("checkouts/create", checkoutPayload(at, { token: "left", id: 3_199_200_000_003 }));
    const placed = after(at, 5 * HOUR_MS);
    await send(
      "orders/create",
      orderPayload({
        id: 5_900_000_000_001,
        name: "#5001",
        checkout_token: "by-token",
        checkout_id: 3_199_200_000_001,
        created_at: placed.toISOString(),
        updated_at: placed.toISOString(),
      }),
    );
    await send(
      "orders/create",
      orderPayload({
        id: 5_900_000_000_002,
        name: "#5002",
        checkout_id: 3_199_200_000_002,
        created_at: placed.toISOString(),
        updated_at: placed.toISOString(),
      }),
    );
    const byToken = await stored("by-token");
    expect(byToken).toMatchObject({ orderId: "5900000000001" });
    expect(byToken!.orderedAt!.toISOString()).toBe(placed.toISOString());
    expect(byToken!.completedAt!.toISOString()).toBe(placed.toISOString());
    expect(await stored("by-id")).toMatchObject({ orderId: "5900000000002" });
    expect(await stored("left")).toMatchObject({ orderId: null, orderedAt: null });

    // The order updated later keeps the checkout's first order and when it was placed.
    const later = after(placed, HOUR_MS);
    await send(
      "orders/updated",
      orderPayload({
        id: 5_900_000_000_001,
        name: "#5001",
        checkout_token: "by-token",
        created_at: placed.toISOString(),
        updated_at: later.toISOString(),
        financial_status: "refunded",
      }),
    );
    expect((await stored("by-token"))!.orderedAt!.toISOString()).toBe(placed.toISOString());
  });

  it("rejects a checkout without a token, with the reason", async () => {
    const webhookId = `checkouts-bad-${++sent}`;
    const { token: _token, ...payload } = checkoutPayload(runtime().clock.now());
    void _token;
    expect((await deliver("checkouts/create", payload, { webhookId })).status).toBe(200);
    const event = await settledEvent(db(), webhookId);
    expect(event.status).toBe("rejected");
    expect(event.error).toMatch(/^Payload does not match checkouts\/create: /);
    expect(event.error).toContain("token");
  });

  it("rejects a checkout whose amount rounds beyond what is stored, at once and with the reason", async () => {
    const webhookId = `checkouts-overflow-${++sent}`;
    const payload = {
      ...checkoutPayload(runtime().clock.now()),
      subtotal_price: "999999999999.999",
    };
    expect((await deliver("checkouts/create", payload, { webhookId })).status).toBe(200);
    const event = await settledEvent(db(), webhookId);
    expect(event.status).toBe("rejected");
    expect(event.error).toMatch(
      /^Payload of checkouts\/create holds a value the database cannot store/,
    );
    // Settled on the first try, not retried until it is dead-lettered.
    expect(event.attempts).toBe(1);
  });
});
