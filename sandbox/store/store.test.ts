import { describe, expect, it } from "vitest";
import {
  addTags,
  createSandboxStore,
  customerStats,
  DEFAULT_BASE_DATE,
  DEFAULT_SHOP_DOMAIN,
  gid,
  gids,
  indexStore,
  inventoryLevelGid,
  parseGid,
  removeTags,
  setAvailable,
  totalAvailable,
} from "./index";

const store = createSandboxStore();

describe("createSandboxStore", () => {
  it("is deterministic: the same seed gives identical data, another seed different data", () => {
    expect(JSON.stringify(createSandboxStore({ seed: 1 }))).toBe(JSON.stringify(store));
    expect(JSON.stringify(createSandboxStore({ seed: 7 }))).toBe(
      JSON.stringify(createSandboxStore({ seed: 7 })),
    );
    const other = createSandboxStore({ seed: 2 });
    expect(other.customers.map((c) => c.email)).not.toEqual(store.customers.map((c) => c.email));
    expect(other.orders.length).not.toBe(0);
  });

  it("does not depend on the wall clock", () => {
    expect(store.baseDate).toBe(DEFAULT_BASE_DATE);
    const latest = Math.max(
      ...store.orders.map((o) => Date.parse(o.updatedAt)),
      ...store.fulfillments.flatMap((f) => f.events.map((e) => Date.parse(e.createdAt))),
    );
    expect(latest).toBeLessThanOrEqual(Date.parse(DEFAULT_BASE_DATE));
    const shifted = createSandboxStore({ baseDate: "2030-01-01T00:00:00Z" });
    expect(Date.parse(shifted.orders.at(-1)!.createdAt)).toBeGreaterThan(
      Date.parse("2029-12-01T00:00:00Z"),
    );
  });

  it("has the shop, two locations and the expected sizes", () => {
    expect(store.shop).toMatchObject({
      name: "Switchboard Sandbox",
      domain: DEFAULT_SHOP_DOMAIN,
      currency: "USD",
      planDisplayName: "Shopify",
    });
    expect(store.locations).toHaveLength(2);
    expect(store.products).toHaveLength(30);
    expect(store.collections).toHaveLength(5);
    expect(store.customers).toHaveLength(200);
    expect(store.orders.length).toBeGreaterThan(250);
    expect(store.orders.length).toBeLessThan(450);
    for (const product of store.products) {
      expect(product.variantIds.length).toBeGreaterThanOrEqual(1);
      expect(product.variantIds.length).toBeLessThanOrEqual(4);
      expect(product.images.length).toBeGreaterThan(0);
      expect(product.images[0]!.url).toMatch(
        /^https:\/\/images\.switchboard-sandbox\.invalid\/products\/.+\.png$/,
      );
    }
    expect(store.variants.some((v) => v.compareAtPrice !== null)).toBe(true);
  });

  it("gives every variant an inventory item stocked at both locations, some at or near zero", () => {
    const index = indexStore(store);
    for (const variant of store.variants) {
      const item = index.inventoryItems.get(variant.inventoryItemId)!;
      expect(item.variantId).toBe(variant.id);
      const levels = index.levelsByItem.get(item.id)!;
      expect(levels.map((l) => l.locationId).sort()).toEqual(
        store.locations.map((l) => l.id).sort(),
      );
      for (const level of levels) {
        const q = level.quantities;
        expect(q.on_hand).toBe(
          q.available + q.committed + q.reserved + q.damaged + q.safety_stock + q.quality_control,
        );
        expect(q.available).toBeGreaterThanOrEqual(0);
      }
    }
    const low = store.variants.filter((v) => totalAvailable(store, v.inventoryItemId) <= 2);
    expect(low.length).toBeGreaterThanOrEqual(5);
    expect(store.variants.some((v) => totalAvailable(store, v.inventoryItemId) === 0)).toBe(true);
  });

  it("numbers orders from #1001 in date order, with line items that reference real variants", () => {
    const index = indexStore(store);
    store.orders.forEach((order, i) => {
      expect(order.orderNumber).toBe(1001 + i);
      expect(order.name).toBe(`#${1001 + i}`);
      if (i > 0) expect(order.createdAt >= store.orders[i - 1]!.createdAt).toBe(true);
      for (const line of order.lineItems) {
        const variant = index.variants.get(line.variantId!)!;
        expect(variant.sku).toBe(line.sku);
        expect(variant.productId).toBe(line.productId);
      }
      const cents = (s: string) => Math.round(Number(s) * 100);
      const t = order.totals;
      expect(cents(t.total.shop)).toBe(
        cents(t.subtotal.shop) + cents(t.shipping.shop) + cents(t.tax.shop),
      );
      expect(cents(t.subtotal.shop)).toBe(cents(t.lineItems.shop) - cents(t.discounts.shop));
    });
    const first = Date.parse(store.orders[0]!.createdAt);
    const span = (Date.parse(store.baseDate) - first) / 86_400_000;
    expect(span).toBeGreaterThan(350);
    expect(span).toBeLessThanOrEqual(401);
  });

  it("has repeat buyers, VIP-sized orders, guest orders and foreign presentment currencies", () => {
    const counts = store.customers.map((c) => customerStats(store, c.id).ordersCount);
    expect(counts.filter((n) => n >= 4).length).toBeGreaterThan(5);
    expect(counts.filter((n) => n === 0).length).toBeGreaterThan(10);
    expect(
      store.orders.filter((o) => Number(o.totals.total.shop) >= 500).length,
    ).toBeGreaterThanOrEqual(5);
    expect(store.orders.some((o) => o.customerId === null)).toBe(true);
    expect(new Set(store.orders.map((o) => o.presentmentCurrency))).toEqual(
      new Set(["USD", "CAD", "EUR", "GBP"]),
    );
    expect(store.customers.some((c) => c.tags.includes("vip"))).toBe(true);
    expect(new Set(store.customers.map((c) => c.emailMarketingConsent.state))).toEqual(
      new Set(["subscribed", "not_subscribed", "unsubscribed", "pending"]),
    );
    expect(store.customers.every((c) => c.email.endsWith("@example.com"))).toBe(true);
    expect(new Set(store.customers.map((c) => c.email)).size).toBe(store.customers.length);
    expect(store.customers.filter((c) => c.phone !== null).length).toBeGreaterThan(20);
  });

  it("fulfills fulfilled orders with tracking, and has parcels in trouble recently", () => {
    const index = indexStore(store);
    for (const order of store.orders.filter((o) => o.fulfillmentStatus === "fulfilled")) {
      const fulfillments = index.fulfillmentsByOrder.get(order.id) ?? [];
      expect(fulfillments.length).toBeGreaterThan(0);
      for (const f of fulfillments) {
        expect(f.trackingCompany).toBeTruthy();
        expect(f.trackingNumbers[0]).toMatch(/^[0-9A-Z]{10,22}$/);
        expect(f.trackingUrls[0]).toMatch(/^https:\/\//);
        expect(f.events.at(-1)!.status).toBe(f.shipmentStatus);
      }
    }
    const recent = store.fulfillments.filter(
      (f) => Date.parse(store.baseDate) - Date.parse(f.createdAt) < 10 * 86_400_000,
    );
    const statuses = new Set(recent.map((f) => f.shipmentStatus));
    for (const wanted of ["delayed", "failure", "attempted_delivery"])
      expect(statuses).toContain(wanted);
    expect(store.orders.some((o) => o.fulfillmentStatus === null && !o.cancelledAt)).toBe(true);
    expect(store.orders.some((o) => o.financialStatus === "refunded")).toBe(true);
    expect(store.orders.some((o) => o.financialStatus === "partially_refunded")).toBe(true);
  });

  it("uses unique ids per type and gids that round-trip", () => {
    const all = [
      ...store.products.map((p) => p.id),
      ...store.variants.map((v) => v.id),
      ...store.orders.map((o) => o.id),
      ...store.orders.flatMap((o) => o.lineItems.map((l) => l.id)),
      ...store.customers.map((c) => c.id),
      ...store.fulfillments.map((f) => f.id),
    ];
    expect(new Set(all).size).toBe(all.length);
    expect(all.every((id) => Number.isSafeInteger(id) && id > 2 ** 32)).toBe(true);
    const order = store.orders[0]!;
    expect(gids.order(order.id)).toBe(`gid://shopify/Order/${order.id}`);
    expect(parseGid(gid("Order", order.id))).toEqual({ type: "Order", id: order.id, params: {} });
    expect(parseGid(inventoryLevelGid(5, 42))).toEqual({
      type: "InventoryLevel",
      id: 5,
      params: { inventory_item_id: "42" },
    });
    expect(parseGid("gid://shopify/Order/abc")).toBeNull();
    expect(parseGid("12345")).toBeNull();
  });
});

describe("store mutations", () => {
  it("adds and removes tags case-insensitively and bumps updatedAt", () => {
    const local = createSandboxStore();
    const order = local.orders[10]!;
    const at = new Date("2026-11-02T00:00:00Z");
    expect(
      addTags(local, gids.order(order.id), ["VIP-Followup", "gift, priority", " "], at),
    ).toEqual(expect.arrayContaining(["VIP-Followup", "gift", "priority"]));
    expect(order.updatedAt).toBe("2026-11-02T00:00:00Z");
    addTags(local, gids.order(order.id), ["vip-followup"], at);
    expect(order.tags.filter((t) => t.toLowerCase() === "vip-followup")).toHaveLength(1);
    removeTags(local, gids.order(order.id), ["vip-FOLLOWUP"], at);
    expect(order.tags).not.toContain("VIP-Followup");
    expect(addTags(local, "gid://shopify/Order/1", ["x"])).toBeNull();
    expect(addTags(local, gids.variant(local.variants[0]!.id), ["x"])).toBeNull();
  });

  it("sets available and keeps on_hand consistent", () => {
    const local = createSandboxStore();
    const level = local.inventoryLevels[0]!;
    const before = { ...level.quantities };
    setAvailable(
      local,
      level.inventoryItemId,
      level.locationId,
      before.available + 5,
      new Date("2026-11-02T00:00:00Z"),
    );
    expect(level.quantities.available).toBe(before.available + 5);
    expect(level.quantities.on_hand).toBe(before.on_hand + 5);
    expect(level.updatedAt).toBe("2026-11-02T00:00:00Z");
  });
});
