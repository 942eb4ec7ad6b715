import { describe, expect, it } from "vitest";
import { addChangesetLine, warehouseLevel } from "../store-day";
import {
  addTags,
  appUninstalledPayload,
  createSandboxStore,
  customersDataRequestPayload,
  customersRedactPayload,
  customersUpdatePayload,
  fulfillmentEventsCreatePayload,
  fulfillmentsCreatePayload,
  gids,
  indexStore,
  inventoryLevelsUpdatePayload,
  orderPayload,
  sampleSubjects,
  setAvailable,
  shopRedactPayload,
  webhookPayload,
  WEBHOOK_TOPICS,
} from "./index";

const store = createSandboxStore();
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const MONEY = /^-?\d+\.\d{2}$/;

function keysOf(value: object): string[] {
  return Object.keys(value).sort();
}

describe("order payloads (orders/create, updated, paid, fulfilled)", () => {
  const order = store.orders.find(
    (o) =>
      o.fulfillmentStatus === "fulfilled" &&
      o.customerId !== null &&
      o.presentmentCurrency !== "USD",
  )!;
  const payload = orderPayload(store, order.id);

  it("carries the REST Order field names", () => {
    expect(keysOf(payload)).toEqual(
      expect.arrayContaining([
        "id",
        "admin_graphql_api_id",
        "name",
        "email",
        "total_price",
        "subtotal_price",
        "total_tax",
        "currency",
        "presentment_currency",
        "total_price_set",
        "financial_status",
        "fulfillment_status",
        "created_at",
        "updated_at",
        "processed_at",
        "cancelled_at",
        "tags",
        "line_items",
        "customer",
        "refunds",
        "fulfillments",
        "order_number",
        "number",
        "shipping_address",
        "current_total_price",
      ]),
    );
    expect(keysOf(payload.line_items[0]!)).toEqual(
      expect.arrayContaining([
        "id",
        "variant_id",
        "product_id",
        "sku",
        "title",
        "quantity",
        "price",
        "price_set",
        "fulfillable_quantity",
        "fulfillment_status",
      ]),
    );
    expect(keysOf(payload.customer!)).toEqual(
      expect.arrayContaining([
        "id",
        "email",
        "first_name",
        "last_name",
        "tags",
        "email_marketing_consent",
        "admin_graphql_api_id",
      ]),
    );
  });

  it("matches the store: ids, money, currencies, timestamps", () => {
    expect(payload.id).toBe(order.id);
    expect(payload.admin_graphql_api_id).toBe(`gid://shopify/Order/${order.id}`);
    expect(payload.name).toBe(order.name);
    expect(payload.order_number).toBe(order.orderNumber);
    expect(payload.number).toBe(order.orderNumber - 1000);
    expect(payload.total_price).toBe(order.totals.total.shop);
    expect(payload.total_price).toMatch(MONEY);
    expect(payload.currency).toBe("USD");
    expect(payload.presentment_currency).toBe(order.presentmentCurrency);
    expect(payload.total_price_set).toEqual({
      shop_money: { amount: order.totals.total.shop, currency_code: "USD" },
      presentment_money: {
        amount: order.totals.total.presentment,
        currency_code: order.presentmentCurrency,
      },
    });
    expect(payload.created_at).toMatch(LOCAL_TIME);
    expect(Date.parse(payload.created_at)).toBe(Date.parse(order.createdAt));
    expect(payload.line_items.map((l) => l.variant_id)).toEqual(
      order.lineItems.map((l) => l.variantId),
    );
    expect(payload.line_items[0]!.fulfillment_status).toBe("fulfilled");
    expect(payload.fulfillments[0]!.tracking_number).toBe(
      indexStore(store).fulfillmentsByOrder.get(order.id)![0]!.trackingNumbers[0],
    );
    expect(typeof payload.tags).toBe("string");
  });

  it("shows tag changes made to the store", () => {
    const local = createSandboxStore();
    const target = local.orders[3]!;
    addTags(
      local,
      gids.order(target.id),
      ["switchboard-upsell", "vip"],
      new Date("2026-11-05T10:00:00Z"),
    );
    const after = orderPayload(local, target.id);
    expect(after.tags.split(", ")).toEqual(expect.arrayContaining(["switchboard-upsell", "vip"]));
    expect(Date.parse(after.updated_at)).toBe(Date.parse("2026-11-05T10:00:00Z"));
  });

  it("reports refunds and current totals", () => {
    const refunded = store.orders.find((o) => o.financialStatus === "partially_refunded")!;
    const p = orderPayload(store, refunded.id);
    expect(p.refunds).toHaveLength(1);
    expect(keysOf(p.refunds[0]!)).toEqual(
      expect.arrayContaining(["id", "order_id", "created_at", "refund_line_items", "transactions"]),
    );
    expect(Number(p.current_total_price)).toBeLessThan(Number(p.total_price));
  });
});

describe("fulfillment payloads", () => {
  const fulfillment = store.fulfillments.find((f) => f.shipmentStatus === "delayed")!;

  it("fulfillments/create carries tracking fields and the fulfilled line items", () => {
    const p = fulfillmentsCreatePayload(store, fulfillment.id);
    expect(p).toMatchObject({
      id: fulfillment.id,
      order_id: fulfillment.orderId,
      status: "success",
      shipment_status: "delayed",
      tracking_company: fulfillment.trackingCompany,
      tracking_number: fulfillment.trackingNumbers[0],
      tracking_numbers: fulfillment.trackingNumbers,
      tracking_url: fulfillment.trackingUrls[0],
      tracking_urls: fulfillment.trackingUrls,
      admin_graphql_api_id: `gid://shopify/Fulfillment/${fulfillment.id}`,
    });
    expect(p.created_at).toMatch(LOCAL_TIME);
    expect(p.updated_at).toMatch(LOCAL_TIME);
    expect(p.line_items.map((l) => l.id)).toEqual(fulfillment.lineItems.map((l) => l.lineItemId));
  });

  it("fulfillment_events/create carries the event with location and estimate", () => {
    const event = fulfillment.events.at(-1)!;
    const p = fulfillmentEventsCreatePayload(store, event.id);
    expect(keysOf(p)).toEqual(
      expect.arrayContaining([
        "id",
        "fulfillment_id",
        "order_id",
        "status",
        "message",
        "happened_at",
        "estimated_delivery_at",
        "city",
        "province",
        "country",
        "zip",
        "created_at",
        "updated_at",
      ]),
    );
    expect(p).toMatchObject({
      id: event.id,
      fulfillment_id: fulfillment.id,
      order_id: fulfillment.orderId,
      status: "delayed",
      shop_id: store.shop.id,
    });
    expect(p.happened_at).toMatch(LOCAL_TIME);
  });
});

describe("inventory, customer and compliance payloads", () => {
  it("inventory_levels/update follows the store, including later changes", () => {
    const local = createSandboxStore();
    const level = local.inventoryLevels[4]!;
    setAvailable(
      local,
      level.inventoryItemId,
      level.locationId,
      1,
      new Date("2026-11-03T08:00:00Z"),
    );
    const p = inventoryLevelsUpdatePayload(local, level.inventoryItemId, level.locationId);
    expect(p).toEqual({
      inventory_item_id: level.inventoryItemId,
      location_id: level.locationId,
      available: 1,
      updated_at: "2026-11-03T00:00:00-08:00",
      admin_graphql_api_id: `gid://shopify/InventoryLevel/${level.id}?inventory_item_id=${level.inventoryItemId}`,
    });
  });

  it("customers/update is the REST Customer with order stats and consent", () => {
    const customer = store.customers.find((c) => c.tags.includes("vip"))!;
    const p = customersUpdatePayload(store, customer.id);
    expect(p).toMatchObject({
      id: customer.id,
      email: customer.email,
      first_name: customer.firstName,
      last_name: customer.lastName,
      tags: customer.tags.join(", "),
    });
    expect(p.orders_count).toBeGreaterThan(0);
    expect(Number(p.total_spent)).toBeGreaterThanOrEqual(600);
    expect(p.total_spent).toMatch(MONEY);
    expect(keysOf(p.email_marketing_consent)).toEqual([
      "consent_updated_at",
      "opt_in_level",
      "state",
    ]);
    expect(p.created_at).toMatch(LOCAL_TIME);
    expect(p.admin_graphql_api_id).toBe(`gid://shopify/Customer/${customer.id}`);
  });

  it("compliance topics carry shop and customer references", () => {
    const customer = store.customers.find(
      (c) => indexStore(store).ordersByCustomer.get(c.id)?.length,
    )!;
    const orderIds = indexStore(store)
      .ordersByCustomer.get(customer.id)!
      .map((o) => o.id);
    expect(customersRedactPayload(store, customer.id)).toEqual({
      shop_id: store.shop.id,
      shop_domain: store.shop.domain,
      customer: { id: customer.id, email: customer.email, phone: customer.phone },
      orders_to_redact: orderIds,
    });
    expect(customersDataRequestPayload(store, customer.id, 42)).toMatchObject({
      orders_requested: orderIds,
      data_request: { id: 42 },
    });
    expect(shopRedactPayload(store)).toEqual({
      shop_id: store.shop.id,
      shop_domain: store.shop.domain,
    });
    expect(appUninstalledPayload(store)).toMatchObject({
      id: store.shop.id,
      myshopify_domain: store.shop.domain,
      name: "Switchboard Sandbox",
      currency: "USD",
      plan_display_name: "Shopify",
    });
  });

  it("builds every topic from a sample subject", () => {
    // orders/edited needs an edit: a post-purchase line added to the newest order.
    const edited = [...store.orders].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!;
    const extra = store.variants.find(
      (v) =>
        !edited.lineItems.some((l) => l.variantId === v.id) &&
        (warehouseLevel(store, v.inventoryItemId)?.quantities.available ?? 0) > 0,
    )!;
    addChangesetLine(
      store,
      edited,
      { variantId: extra.id, quantity: 1 },
      Date.parse(edited.createdAt),
    );
    const subjects = sampleSubjects(store);
    for (const topic of WEBHOOK_TOPICS) {
      const payload = webhookPayload(store, topic, subjects[topic] as never);
      expect(payload, topic).toBeTruthy();
      expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);
    }
    expect(() => webhookPayload(store, "orders/create", { orderId: 1 })).toThrow(/no order 1/);
  });
});
