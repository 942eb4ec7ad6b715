import { describe, expect, it } from "vitest";
import { signChangeset, verifyPurchaseToken } from "../app/post-purchase/token.server";
import {
  applyChangeset,
  ChangesetRefused,
  postPurchaseInput,
  purchaseReferenceId,
} from "./post-purchase";
import { warehouseLevel } from "./store-day";
import { createSandboxStore } from "./store/generate";
import { toCents } from "./store/money";
import { webhookPayload } from "./store/webhook-payloads";

const API_KEY = "sandbox-test-key";
const SECRET = "sandbox-test-secret";
const NOW = new Date();

function setUp() {
  const store = createSandboxStore({ seed: 11 });
  const order = [...store.orders].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!;
  const variant = store.variants.find(
    (v) =>
      !order.lineItems.some((l) => l.variantId === v.id) &&
      (warehouseLevel(store, v.inventoryItemId)?.quantities.available ?? 0) > 5,
  )!;
  return { store, order, variant };
}

const sign = (
  referenceId: string,
  variantId: number,
  options: { jti?: string; secret?: string; discount?: number } = {},
) =>
  signChangeset({
    apiKey: API_KEY,
    secret: options.secret ?? SECRET,
    jti: options.jti ?? "offer-1",
    referenceId,
    changes: [
      {
        type: "add_variant",
        variantId: String(variantId),
        quantity: 2,
        discount: { valueType: "percentage", value: options.discount ?? 25, title: "25% off" },
      },
    ],
    now: NOW,
  });

describe("the sandbox's post-purchase page", () => {
  it("signs the extension's input as Shopify does: the app reads the buyer, country, totals and lines from it", async () => {
    const { store, order } = setUp();
    const input = await postPurchaseInput(store, order, { apiSecret: SECRET, now: NOW });
    const read = await verifyPurchaseToken(
      input.token,
      { shop: store.shop.domain, referenceId: purchaseReferenceId(order) },
      { secret: SECRET, now: NOW },
    );
    expect(read.customerId).toBe(order.customerId === null ? null : String(order.customerId));
    expect(read.shippingCountry).toBe(order.shippingAddress?.countryCode ?? null);
    expect(read.initialTotal).toEqual({ amount: order.totals.total.shop, currency: "USD" });
    expect(read.lineItems.map((l) => l.variantId)).toEqual(
      order.lineItems.map((l) => String(l.variantId)),
    );
    // The order's checkout_token is the reference id the app matches charges by.
    const payload = webhookPayload(store, "orders/create", { orderId: order.id });
    expect(payload.checkout_token).toBe(purchaseReferenceId(order));
  });

  it("applies the app's changeset as one order edit: the discounted line, its tax, the order's totals and stock", async () => {
    const { store, order, variant } = setUp();
    const before = { total: toCents(order.totals.total.shop), lines: order.lineItems.length };
    const level = warehouseLevel(store, variant.inventoryItemId)!;
    const available = level.quantities.available;
    const token = await sign(purchaseReferenceId(order), variant.id);

    const applied = await applyChangeset(store, order, token, {
      apiKey: API_KEY,
      apiSecret: SECRET,
      at: Date.parse(order.createdAt) + 60_000,
      now: NOW,
    });

    const line = applied.lines[0]!;
    expect(order.lineItems).toHaveLength(before.lines + 1);
    expect(line).toMatchObject({
      variantId: variant.id,
      quantity: 2,
      price: { shop: variant.price },
    });
    const lineCents = toCents(variant.price) * 2;
    expect(toCents(line.totalDiscount.shop)).toBe(Math.round(lineCents * 0.25));
    const taxCents = toCents(line.taxLines[0]?.price.shop ?? "0");
    expect(toCents(order.totals.total.shop)).toBe(
      before.total + lineCents - Math.round(lineCents * 0.25) + taxCents,
    );
    expect(level.quantities.available).toBe(available - 2);
    expect(webhookPayload(store, "orders/edited", { editId: applied.edit.id })).toMatchObject({
      order_edit: { order_id: order.id, line_items: { additions: [{ id: line.id, delta: 2 }] } },
    });
  });

  it("refuses a changeset used twice, signed with another secret, or made for another purchase; the order is unchanged", async () => {
    const { store, order, variant } = setUp();
    const options = { apiKey: API_KEY, apiSecret: SECRET, at: Date.now(), now: NOW };
    const token = await sign(purchaseReferenceId(order), variant.id);
    await applyChangeset(store, order, token, options);
    const lines = order.lineItems.length;
    const total = order.totals.total.shop;

    await expect(applyChangeset(store, order, token, options)).rejects.toThrow(/already applied/);
    const forged = await sign(purchaseReferenceId(order), variant.id, {
      jti: "offer-2",
      secret: "someone-else",
    });
    await expect(applyChangeset(store, order, forged, options)).rejects.toBeInstanceOf(
      ChangesetRefused,
    );
    const elsewhere = await sign("another-checkout", variant.id, { jti: "offer-3" });
    await expect(applyChangeset(store, order, elsewhere, options)).rejects.toThrow(/refused/);
    expect(order.lineItems).toHaveLength(lines);
    expect(order.totals.total.shop).toBe(total);
  });
});
