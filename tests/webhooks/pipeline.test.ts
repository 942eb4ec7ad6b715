import { shopifyFetch } from "../helpers/shopify";
import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import {
  customers,
  fulfillmentEvents,
  fulfillments,
  inventoryLevels,
  orders,
  sessions,
  shops,
  webhookEvents,
} from "../../db/schema/index";
import {
  SHOP,
  appUninstalledPayload,
  customerPayload,
  fulfillmentEventPayload,
  fulfillmentPayload,
  inventoryLevelPayload,
  orderPayload,
} from "../fixtures/shopify-payloads";
import { describeWithRuntime } from "../helpers/runtime";
import { syncInventoryItem } from "../../app/jobs/tasks/sync-inventory-item.server";
import { deliver, settledEvent, waitFor } from "../helpers/webhooks";

describeWithRuntime("webhook pipeline", ({ runtime }) => {
  const db = () => runtime().database.db;
  const eventByWebhookId = async (webhookId: string) =>
    (await db().select().from(webhookEvents).where(eq(webhookEvents.webhookId, webhookId)))[0];
  const settled = (webhookId: string) => settledEvent(db(), webhookId);

  it("stores orders/create with its headers and builds the order and customer read model", async () => {
    const response = await deliver("orders/create", orderPayload(), {
      webhookId: "wh-order-create-1",
    });
    expect(response.status).toBe(200);
    const event = await settled("wh-order-create-1");
    expect(event).toMatchObject({
      shop: SHOP,
      topic: "orders/create",
      apiVersion: "2026-10",
      status: "processed",
    });
    expect(event.triggeredAt).toBeInstanceOf(Date);
    expect((event.payload as { name: string }).name).toBe("#1042");

    const [order] = await db().select().from(orders).where(eq(orders.id, "5812345678901"));
    expect(order).toMatchObject({
      shop: SHOP,
      name: "#1042",
      currency: "USD",
      presentmentCurrency: "CAD",
      totalPrice: "129.50",
      presentmentTotalPrice: "176.12",
      financialStatus: "paid",
      customerId: "7001002003",
      tags: ["wholesale", "repeat"],
    });
    expect(order!.lineItems).toEqual([
      expect.objectContaining({
        variantId: "44001002003",
        sku: "TEE-BLK-M",
        quantity: 2,
        price: "39.50",
      }),
      expect.objectContaining({ variantId: "44001002004", sku: "MUG-12", quantity: 1 }),
    ]);
    const [customer] = await db().select().from(customers).where(eq(customers.id, "7001002003"));
    expect(customer).toMatchObject({
      email: "jane.doe@example.com",
      orderCount: 1,
      lifetimeSpend: "129.50",
    });
  });

  it("answers a repeat delivery 200 and stores nothing new", async () => {
    const payload = orderPayload({ id: 5_000_000_000_002, name: "#2002" });
    expect((await deliver("orders/create", payload, { webhookId: "wh-dup" })).status).toBe(200);
    expect((await deliver("orders/create", payload, { webhookId: "wh-dup" })).status).toBe(200);
    await settled("wh-dup");
    const rows = await db()
      .select()
      .from(webhookEvents)
      .where(eq(webhookEvents.webhookId, "wh-dup"));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.attempts).toBe(1);
  });

  it("keeps the newest order state when orders/updated arrives before orders/create", async () => {
    const id = 5_000_000_000_003;
    const created = orderPayload({
      id,
      name: "#3003",
      financial_status: "pending",
      updated_at: "2026-11-20T10:00:00Z",
    });
    const updated = orderPayload({
      id,
      name: "#3003",
      financial_status: "paid",
      tags: "gift",
      updated_at: "2026-11-20T10:05:00Z",
    });
    await deliver("orders/updated", updated, { webhookId: "wh-ooo-updated" });
    await settled("wh-ooo-updated");
    await deliver("orders/create", created, { webhookId: "wh-ooo-created" });
    await settled("wh-ooo-created");
    const [order] = await db()
      .select()
      .from(orders)
      .where(eq(orders.id, String(id)));
    expect(order).toMatchObject({ financialStatus: "paid", tags: ["gift"] });
  });

  it("tracks a fulfillment and moves its shipment status forward with fulfillment events, never back", async () => {
    await deliver("fulfillments/create", fulfillmentPayload(), { webhookId: "wh-ful-create" });
    await settled("wh-ful-create");
    await deliver("fulfillment_events/create", fulfillmentEventPayload(), {
      webhookId: "wh-fe-delayed",
    });
    await settled("wh-fe-delayed");
    // An older event delivered late must not roll the status back.
    await deliver(
      "fulfillment_events/create",
      fulfillmentEventPayload({
        id: 9_900_000,
        status: "in_transit",
        happened_at: "2026-11-20T20:00:00-05:00",
        estimated_delivery_at: null,
      }),
      { webhookId: "wh-fe-old" },
    );
    await settled("wh-fe-old");
    const [fulfillment] = await db()
      .select()
      .from(fulfillments)
      .where(eq(fulfillments.id, "4400112233"));
    expect(fulfillment).toMatchObject({
      orderId: "5812345678901",
      status: "success",
      shipmentStatus: "delayed",
      trackingCompany: "UPS",
      trackingNumbers: ["1Z999AA10123456784"],
    });
    expect(fulfillment!.estimatedDeliveryAt?.toISOString()).toBe("2026-11-25T23:00:00.000Z");
    const events = await db()
      .select()
      .from(fulfillmentEvents)
      .where(eq(fulfillmentEvents.fulfillmentId, "4400112233"));
    expect(events.map((e) => e.status).sort()).toEqual(["delayed", "in_transit"]);
  });

  it("records a fulfillment event that arrives before its fulfillment", async () => {
    await deliver(
      "fulfillment_events/create",
      fulfillmentEventPayload({
        id: 9_900_100,
        fulfillment_id: 4_400_000_999,
        status: "attempted_delivery",
      }),
      {
        webhookId: "wh-fe-first",
      },
    );
    await settled("wh-fe-first");
    await deliver(
      "fulfillments/update",
      fulfillmentPayload({
        id: 4_400_000_999,
        shipment_status: "in_transit",
        updated_at: "2026-11-20T14:00:00-05:00",
      }),
      {
        webhookId: "wh-ful-after",
      },
    );
    await settled("wh-ful-after");
    const [fulfillment] = await db()
      .select()
      .from(fulfillments)
      .where(eq(fulfillments.id, "4400000999"));
    expect(fulfillment).toMatchObject({
      status: "success",
      shipmentStatus: "attempted_delivery",
      trackingCompany: "UPS",
    });
  });

  it("keeps inventory levels current, ignoring a stale delivery, and looks up the unknown item's variant", async () => {
    shopifyFetch.mockImplementation(async () => {
      throw new Error("Shopify is unreachable in this test");
    });
    await deliver(
      "inventory_levels/update",
      inventoryLevelPayload({ available: 3, updated_at: "2026-11-21T09:00:00Z" }),
      { webhookId: "wh-inv-new" },
    );
    await settled("wh-inv-new");
    await deliver(
      "inventory_levels/update",
      inventoryLevelPayload({ available: 40, updated_at: "2026-11-21T08:00:00Z" }),
      { webhookId: "wh-inv-old" },
    );
    await settled("wh-inv-old");
    const [level] = await db()
      .select()
      .from(inventoryLevels)
      .where(eq(inventoryLevels.inventoryItemId, "46000111222"));
    expect(level).toMatchObject({ locationId: "61000001", available: 3 });
  });

  it("applies customers/update without clobbering order aggregates", async () => {
    const [before] = await db().select().from(customers).where(eq(customers.id, "7001002003"));
    expect(before!.orderCount).toBeGreaterThan(0);
    await deliver("customers/update", customerPayload(), { webhookId: "wh-cust" });
    await settled("wh-cust");
    const [customer] = await db().select().from(customers).where(eq(customers.id, "7001002003"));
    expect(customer).toMatchObject({
      tags: ["vip", "newsletter"],
      emailMarketingState: "subscribed",
      acceptsMarketing: true,
      orderCount: before!.orderCount,
      lifetimeSpend: before!.lifetimeSpend,
    });
  });

  it("stores a signed body that is not JSON as rejected with its reason, and answers 200", async () => {
    const response = await deliver("orders/create", null, {
      rawBody: '{"id": 1, "name": ',
      webhookId: "wh-malformed",
    });
    expect(response.status).toBe(200);
    const event = await eventByWebhookId("wh-malformed");
    expect(event).toMatchObject({
      status: "rejected",
      payload: null,
      rawBody: '{"id": 1, "name": ',
    });
    expect(event!.error).toMatch(/not valid JSON/);
  });

  it("stores a wrong-shape payload as rejected with the validation message, without retrying", async () => {
    await deliver(
      "orders/create",
      { id: "not-a-number", line_items: "none" },
      { webhookId: "wh-wrong-shape" },
    );
    const event = await settled("wh-wrong-shape");
    expect(event.status).toBe("rejected");
    expect(event.error).toMatch(/^Payload does not match orders\/create: .*id/);
    expect(event.attempts).toBe(1);
  });

  it("answers 401 to forged, tampered and unsigned deliveries and stores none of them", async () => {
    const before = (await db().select().from(webhookEvents)).length;
    expect(
      (
        await deliver("orders/create", orderPayload(), {
          secret: "wrong-secret",
          webhookId: "wh-forged",
        })
      ).status,
    ).toBe(401);
    expect(
      (await deliver("orders/create", orderPayload(), { secret: null, webhookId: "wh-unsigned" }))
        .status,
    ).toBe(401);
    expect(
      (
        await deliver("orders/create", orderPayload(), {
          hmac: "AAAA",
          webhookId: "wh-garbage-hmac",
        })
      ).status,
    ).toBe(401);
    expect((await db().select().from(webhookEvents)).length).toBe(before);
  });

  it("keeps shop A's events out of shop B's queries", async () => {
    await deliver("orders/create", orderPayload({ id: 6_000_000_000_001 }), {
      shop: "shop-a.myshopify.com",
      webhookId: "wh-shop-a",
    });
    await settled("wh-shop-a");
    const shopB = await db()
      .select()
      .from(orders)
      .where(and(eq(orders.shop, "shop-b.myshopify.com"), eq(orders.id, "6000000000001")));
    expect(shopB).toEqual([]);
    const shopA = await db()
      .select()
      .from(orders)
      .where(and(eq(orders.shop, "shop-a.myshopify.com"), eq(orders.id, "6000000000001")));
    expect(shopA).toHaveLength(1);
  });

  it("on app/uninstalled deletes the shop's sessions, marks it uninstalled, and ignores its later events", async () => {
    const shop = "leaving.myshopify.com";
    await db()
      .insert(shops)
      .values({ domain: shop, installedAt: new Date("2026-01-01T00:00:00Z") });
    await db()
      .insert(sessions)
      .values({ id: `offline_${shop}`, shop, state: "s", isOnline: false, accessToken: "shpat_x" });
    const pendingJob = await runtime().queue.enqueue(
      syncInventoryItem,
      { shop, inventoryItemId: "123" },
      { delaySeconds: 3_600 },
    );
    await deliver("app/uninstalled", appUninstalledPayload({ myshopify_domain: shop }), {
      shop,
      webhookId: "wh-uninstall",
    });
    await settled("wh-uninstall");
    await waitFor(async () => {
      const [job] = await runtime().queue.boss.findJobs(syncInventoryItem.name, { id: pendingJob });
      return job?.state === "cancelled";
    });
    expect(await db().select().from(sessions).where(eq(sessions.shop, shop))).toEqual([]);
    const [record] = await db().select().from(shops).where(eq(shops.domain, shop));
    expect(record!.uninstalledAt).toBeInstanceOf(Date);

    await deliver("orders/create", orderPayload({ id: 6_100_000_000_001 }), {
      shop,
      webhookId: "wh-after-uninstall",
    });
    expect(await settled("wh-after-uninstall")).toMatchObject({ status: "ignored" });
  });
});
