import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGorgiasFake, type GorgiasFake } from "./fakes/gorgias";
import { startShopifyAdminFake } from "./fakes/shopify-admin";
import {
  StoreDaySimulator,
  type SimulatorState,
  type WebhookDelivery,
  type WebhookTransport,
} from "./simulator";
import { createSandboxStore } from "./store/generate";
import { gids } from "./store/ids";
import { HOUR_MS } from "./store/time";
import type { SandboxStore } from "./store/types";

const SECRET = "simulator-test-secret";
const BASE_DATE = "2026-11-20T16:00:00Z";

interface Sent {
  delivery: WebhookDelivery;
  headers: Record<string, string>;
}

function recorder(answer: (delivery: WebhookDelivery, attempt: number) => number = () => 200) {
  const sent: Sent[] = [];
  const attempts = new Map<string, number>();
  const transport: WebhookTransport = async (delivery, headers) => {
    const attempt = (attempts.get(delivery.webhookId) ?? 0) + 1;
    attempts.set(delivery.webhookId, attempt);
    sent.push({ delivery, headers });
    return answer(delivery, attempt);
  };
  return { sent, transport };
}

const fresh = (seed = 7) => createSandboxStore({ seed, baseDate: BASE_DATE });
const content = (sent: Sent[]) => sent.map((s) => `${s.delivery.topic} ${s.delivery.body}`);

async function runDay(seed: number, hours: number) {
  const { sent, transport } = recorder();
  const simulator = new StoreDaySimulator({
    store: fresh(seed),
    seed,
    apiSecret: SECRET,
    transport,
    duplicateRate: 0,
  });
  await simulator.advanceBy(hours * HOUR_MS);
  return { sent, simulator };
}

describe("store-day simulator", () => {
  it("sends what Shopify sends: every header, and a base64 HMAC-SHA256 of the exact body", async () => {
    const { sent } = await runDay(7, 2);
    expect(sent.length).toBeGreaterThan(5);
    for (const { delivery, headers } of sent) {
      expect(headers["X-Shopify-Hmac-Sha256"]).toBe(
        createHmac("sha256", SECRET).update(delivery.body).digest("base64"),
      );
      expect(headers).toMatchObject({
        "Content-Type": "application/json",
        "X-Shopify-Topic": delivery.topic,
        "X-Shopify-Shop-Domain": "switchboard-sandbox.myshopify.com",
        "X-Shopify-API-Version": "2026-10",
        "X-Shopify-Webhook-Id": delivery.webhookId,
      });
      expect(headers["X-Shopify-Event-Id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(headers["X-Shopify-Triggered-At"]!)).toBeGreaterThanOrEqual(
        Date.parse(BASE_DATE),
      );
    }
  });

  it("lives through a store day: orders from repeat buyers, payments, fulfillments, tracking trouble, stock crossing thresholds", async () => {
    const { sent, simulator } = await runDay(7, 24);
    const topics = new Set(sent.map((s) => s.delivery.topic));
    for (const topic of [
      "orders/create",
      "orders/paid",
      "orders/updated",
      "orders/fulfilled",
      "fulfillments/create",
      "fulfillments/update",
      "fulfillment_events/create",
      "inventory_levels/update",
      "customers/update",
    ]) {
      expect(topics, topic).toContain(topic);
    }
    const created = sent
      .filter((s) => s.delivery.topic === "orders/create")
      .map((s) => JSON.parse(s.delivery.body));
    expect(created.length).toBeGreaterThanOrEqual(20);
    // Repeat buyers: customers whose count of orders passes one as they buy again.
    const customers = sent
      .filter((s) => s.delivery.topic === "customers/update")
      .map((s) => JSON.parse(s.delivery.body));
    expect(customers.some((c) => c.orders_count >= 3)).toBe(true);
    expect(created.filter((o) => o.customer).length).toBeGreaterThan(created.length / 2);
    const scans = sent
      .filter((s) => s.delivery.topic === "fulfillment_events/create")
      .map((s) => JSON.parse(s.delivery.body).status);
    expect(scans).toContain("delivered");
    expect(scans).toContain("in_transit");
    const levels = sent
      .filter((s) => s.delivery.topic === "inventory_levels/update")
      .map((s) => JSON.parse(s.delivery.body).available);
    expect(levels.some((available) => available <= 5)).toBe(true);
    expect(simulator.status()).toMatchObject({ day: 2, delivered: sent.length, failed: 0 });
  });

  it("places VIP-sized orders and shipments that go wrong over a few days", async () => {
    const { sent } = await runDay(7, 72);
    const totals = sent
      .filter((s) => s.delivery.topic === "orders/create")
      .map((s) => Number(JSON.parse(s.delivery.body).total_price));
    expect(Math.max(...totals)).toBeGreaterThan(500);
    const scans = new Set(
      sent
        .filter((s) => s.delivery.topic === "fulfillment_events/create")
        .map((s) => JSON.parse(s.delivery.body).status),
    );
    expect(
      [...scans].filter((status) => ["delayed", "failure", "attempted_delivery"].includes(status))
        .length,
    ).toBeGreaterThan(0);
  });

  it("abandons checkouts, and brings some shoppers back to order from the same checkout", async () => {
    const { sent, simulator } = await runDay(7, 72);
    const bodies = (topic: string) =>
      sent
        .filter((s) => s.delivery.topic === topic)
        .map((s) => JSON.parse(s.delivery.body) as Record<string, unknown>);
    const left = bodies("checkouts/create");
    expect(left.length).toBeGreaterThan(5);
    expect(left.every((c) => c.completed_at === null && c.abandoned_checkout_url)).toBe(true);
    const completed = bodies("checkouts/update").filter((c) => c.completed_at !== null);
    expect(completed.length).toBeGreaterThan(0);
    const orderTokens = new Set(bodies("orders/create").map((o) => o.checkout_token));
    // Each completed checkout is one that was left, ordered from with its own token.
    for (const checkout of completed) {
      expect(left.map((c) => c.token)).toContain(checkout.token);
      expect(orderTokens).toContain(checkout.token);
    }
    // Most are never completed.
    expect(completed.length).toBeLessThan(left.length);
    expect(simulator.store.checkouts!.filter((c) => c.orderId !== null)).toHaveLength(
      completed.length,
    );
  });

  it("gives a new store its first order within minutes at any hour, even when shoppers would leave", async () => {
    // Start times across a whole day (3 a.m. in the shop is the quietest hour); a newcomer
    // opening the demo must see an order arrive without waiting for the evening rush.
    for (let hour = 0; hour < 24; hour += 1) {
      const baseDate = new Date(Date.parse(BASE_DATE) + hour * HOUR_MS + 17_000).toISOString();
      const { sent, transport } = recorder();
      const simulator = new StoreDaySimulator({
        store: createSandboxStore({ seed: 3, baseDate }),
        seed: 3,
        apiSecret: SECRET,
        transport,
        duplicateRate: 0,
      });
      await simulator.advanceBy(3 * 60_000);
      expect(
        sent.map((s) => s.delivery.topic),
        `store opened at ${baseDate}`,
      ).toContain("orders/create");
    }
  });

  it("is deterministic with a seed, and a different seed makes a different day", async () => {
    const a = await runDay(11, 8);
    const b = await runDay(11, 8);
    const c = await runDay(12, 8);
    expect(content(a.sent)).toEqual(content(b.sent));
    expect(content(c.sent)).not.toEqual(content(a.sent));
    // Webhook ids stay unique, like Shopify's.
    expect(new Set(a.sent.map((s) => s.delivery.webhookId)).size).toBe(a.sent.length);
  });

  it("carries on after a restart exactly where the store and clock stood", async () => {
    const straight = await runDay(5, 12);

    const { sent, transport } = recorder();
    const first = new StoreDaySimulator({
      store: fresh(5),
      seed: 5,
      apiSecret: SECRET,
      transport,
      duplicateRate: 0,
    });
    await first.advanceBy(5 * HOUR_MS);
    // What persist.ts writes and reads back.
    const savedStore = JSON.parse(JSON.stringify(first.store)) as SandboxStore;
    const savedState = JSON.parse(JSON.stringify(first.snapshotState())) as SimulatorState;
    const second = new StoreDaySimulator({
      store: savedStore,
      seed: 5,
      state: savedState,
      apiSecret: SECRET,
      transport,
      duplicateRate: 0,
    });
    await second.advanceBy(7 * HOUR_MS);

    expect(content(sent)).toEqual(content(straight.sent));
  });

  it("retries a delivery the app did not accept with the same webhook id, and sometimes delivers twice", async () => {
    const { sent, transport } = recorder((_, attempt) => (attempt === 1 ? 503 : 200));
    const simulator = new StoreDaySimulator({
      store: fresh(),
      seed: 7,
      apiSecret: SECRET,
      transport,
      duplicateRate: 0.5,
    });
    await simulator.advanceBy(HOUR_MS);
    const firstTries = sent.length;
    expect(simulator.status().pendingRetries).toBe(firstTries);
    await simulator.deliverQueued({ all: true });
    const byId = new Map<string, Sent[]>();
    for (const s of sent)
      byId.set(s.delivery.webhookId, [...(byId.get(s.delivery.webhookId) ?? []), s]);
    for (const copies of byId.values()) {
      expect(copies.length).toBeGreaterThanOrEqual(2);
      expect(new Set(copies.map((c) => c.delivery.body)).size).toBe(1);
    }
    expect(simulator.status()).toMatchObject({ pendingRetries: 0, retried: firstTries, failed: 0 });
    expect(simulator.status().duplicates).toBeGreaterThan(0);
  });
});

describe("the simulator and the other fakes", () => {
  let gorgias: GorgiasFake;
  let receiver: Server;
  const calls: unknown[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        calls.push(JSON.parse(body));
        res.writeHead(200).end("{}");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    gorgias = await startGorgiasFake({ rateLimit: false });
  });

  afterAll(async () => {
    await gorgias?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it("changes the store the Admin API fake serves, so the app reads what the webhooks said", async () => {
    const store = fresh();
    const shopify = await startShopifyAdminFake({ store });
    try {
      const { sent, transport } = recorder();
      const simulator = new StoreDaySimulator({ store, seed: 7, apiSecret: SECRET, transport });
      await simulator.advanceBy(3 * HOUR_MS);
      const order = JSON.parse(
        sent.find((s) => s.delivery.topic === "orders/create")!.delivery.body,
      );
      const level = JSON.parse(
        sent.filter((s) => s.delivery.topic === "inventory_levels/update").at(-1)!.delivery.body,
      );
      const { body } = await shopify.graphql(
        `query Check($order: ID!, $item: ID!) {
          order(id: $order) { name totalPriceSet { shopMoney { amount } } }
          inventoryItem(id: $item) { inventoryLevels(first: 5) { nodes { location { legacyResourceId } quantities(names: ["available"]) { quantity } } } }
        }`,
        { order: gids.order(order.id), item: gids.inventoryItem(level.inventory_item_id) },
      );
      expect(body.data.order.name).toBe(order.name);
      expect(Number(body.data.order.totalPriceSet.shopMoney.amount)).toBe(
        Number(order.total_price),
      );
      const atLocation = body.data.inventoryItem.inventoryLevels.nodes.find(
        (n: any) => n.location.legacyResourceId === String(level.location_id),
      );
      expect(atLocation.quantities[0].quantity).toBe(level.available);
    } finally {
      await shopify.close();
    }
  });

  it("sends Shopify's orders/updated after the app tags an order through the Admin API", async () => {
    const store = fresh();
    let simulator: StoreDaySimulator | undefined = undefined;
    const shopify = await startShopifyAdminFake({
      store,
      onMutation: (event) => simulator?.handleAdminMutation(event),
    });
    try {
      const { sent, transport } = recorder();
      simulator = new StoreDaySimulator({ store, seed: 7, apiSecret: SECRET, transport });
      const target = store.orders.at(-1)!;
      const { body } = await shopify.graphql(
        `mutation Tag($id: ID!) { tagsAdd(id: $id, tags: ["vip-thanks"]) { userErrors { message } } }`,
        { id: gids.order(target.id) },
      );
      expect(body.data.tagsAdd.userErrors).toEqual([]);
      await simulator.advanceBy(1_000);
      const update = sent.find((s) => s.delivery.topic === "orders/updated");
      expect(JSON.parse(update!.delivery.body)).toMatchObject({
        id: target.id,
        tags: expect.stringContaining("vip-thanks"),
      });
    } finally {
      await shopify.close();
    }
  });

  it("has shoppers write to the helpdesk and agents close tickets, which Gorgias reports to the app", async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/integrations/gorgias/webhook`;
    const created = await fetch(`${gorgias.apiUrl}/integrations`, {
      method: "POST",
      headers: { authorization: gorgias.authorization(), "content-type": "application/json" },
      body: JSON.stringify({
        type: "http",
        name: "Switchboard",
        http: {
          url,
          method: "POST",
          request_content_type: "application/json",
          response_content_type: "application/json",
          headers: {},
          form: { ticket_id: "{{ticket.id}}", status: "{{ticket.status}}" },
          triggers: { "ticket-created": true, "ticket-updated": true },
        },
      }),
    });
    expect(created.status).toBe(201);
    const { transport } = recorder();
    const simulator = new StoreDaySimulator({
      store: fresh(),
      seed: 7,
      apiSecret: SECRET,
      transport,
      gorgias,
    });
    await simulator.advanceBy(36 * HOUR_MS);
    await gorgias.flushOutgoing();
    const tickets = gorgias.state.tickets;
    expect(tickets.length).toBeGreaterThan(2);
    expect(tickets.some((t) => t.status === "closed")).toBe(true);
    expect(calls).toContainEqual({ ticket_id: String(tickets[0]!.id), status: "open" });
    expect(calls).toContainEqual({ ticket_id: String(tickets[0]!.id), status: "closed" });
  });
});
