import { realFetch } from "../../../tests/helpers/real-fetch";
import "../../../tests/helpers/shopify";
import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { recipeState, recipeTouches, upsellOffers } from "../../../db/schema/index";
import { recordTicketState } from "../../models/gorgias-tickets.server";
import { setAvailable } from "../../../sandbox/store/index";
import { recipeKit, sandbox } from "../../../tests/helpers/recipes";
import { describeWithRuntime } from "../../../tests/helpers/runtime";
import { storeOfflineSession, withShopifyAdminFake } from "../../../tests/helpers/shopify-admin";
import { withVendorFakes } from "../../../tests/helpers/vendors";
import { coffeeOrderAndMugs } from "./fixtures/orders-create";
import { RECIPE_ID } from "./recipe";

void realFetch;
withVendorFakes();
const admin = withShopifyAdminFake(sandbox);

describeWithRuntime("post-purchase-upsell", ({ runtime }) => {
  const kit = recipeKit(runtime);
  const data = coffeeOrderAndMugs();
  /** Sets a variant's stock, all of it at the first location. */
  const stock = (variant: { inventoryItemId: number }, available: number) =>
    data.store.locations.forEach((location, i) =>
      setAvailable(data.store, variant.inventoryItemId, location.id, i === 0 ? available : 0),
    );

  beforeAll(async () => {
    await storeOfflineSession(kit.shop);
    for (const v of [data.offer, data.fallback]) stock(v, 25);
    await kit.enable(RECIPE_ID, {
      minimumStock: 3,
      rules: [
        {
          name: "Coffee → mug",
          productIds: [String(data.productId)],
          offerVariantId: `gid://shopify/ProductVariant/${data.offer.id}`,
          fallbackVariantId: data.fallback.id,
          discount: { type: "percentage", value: 15 },
        },
      ],
    });
  });

  it("fires: chooses the in-stock mug for a coffee order, checking stock with Shopify live when nothing is cached", async () => {
    const before = admin()
      .operations()
      .filter((o) => o.operationName === "SwitchboardVariantStock").length;
    const [order] = data.orders;
    const event = await kit.send("orders/create", data.ordersCreate(order!.id));
    const run = await kit.runFor(RECIPE_ID, event.id);
    expect(run).toMatchObject({
      outcome: "acted",
      orderId: String(order!.id),
      customerId: String(order!.customerId!),
    });
    expect(run.actions).toEqual([
      expect.objectContaining({ kind: "offer", channel: "upsell", status: "decided" }),
    ]);
    expect(run.actions[0]!.summary).toContain(`variant ${data.offer.id} at 15% off`);
    expect(run.reasons.join(" ")).toMatch(/checked with Shopify just now/);
    const stockReads = admin()
      .operations()
      .filter((o) => o.operationName === "SwitchboardVariantStock");
    expect(stockReads.length - before).toBe(1);
    // One batched read for both candidates: 3 points each.
    expect(stockReads[stockReads.length - 1]!.requestedQueryCost).toBe(6);
    const [memory] = await kit
      .db()
      .select()
      .from(recipeState)
      .where(and(eq(recipeState.shop, kit.shop), eq(recipeState.subject, `order:${order!.id}`)));
    expect(memory!.value).toMatchObject({
      variantId: String(data.offer.id),
      fallback: false,
      discount: { type: "percentage", value: 15 },
    });
    const touches = await kit
      .db()
      .select()
      .from(recipeTouches)
      .where(eq(recipeTouches.customerId, String(order!.customerId!)));
    expect(touches.map((t) => t.channel)).toEqual(["upsell"]);
  });

  it("is capped by offers the buyer was shown, not by earlier decisions: a wallet order (no page, no offer) spends nothing", async () => {
    const [order] = data.orders;
    // The first test's order was decided, but its buyer never saw the page (paid with a wallet).
    const next = await kit.send(
      "orders/create",
      data.ordersCreate(order!.id, {
        id: 5_990_000_000_001,
        name: "#9001",
        updated_at: new Date().toISOString(),
      }),
    );
    expect((await kit.runFor(RECIPE_ID, next.id)).outcome).toBe("acted");

    // An offer the checkout showed this buyer three days ago: the cap of 1 per 14 days is spent.
    await kit
      .db()
      .insert(upsellOffers)
      .values({
        id: randomUUID(),
        shop: kit.shop,
        referenceId: `earlier-purchase-${randomUUID()}`,
        customerId: String(order!.customerId!),
        recipe: RECIPE_ID,
        variantId: String(data.offer.id),
        title: "Mug",
        price: "12.00",
        currency: "USD",
        status: "declined",
        changesetJti: randomUUID(),
        shownAt: new Date(Date.now() - 3 * 86_400_000),
      });
    const capped = await kit.send(
      "orders/create",
      data.ordersCreate(order!.id, {
        id: 5_990_000_000_004,
        name: "#9004",
        updated_at: new Date().toISOString(),
      }),
    );
    const run = await kit.runFor(RECIPE_ID, capped.id);
    expect(run.outcome).toBe("skipped");
    expect(run.reasons[0]).toBe(
      "frequency cap: 1 upsell per 14 days already reached for this customer",
    );
  });

  it("inventory fallback: the first choice short of stock, the fallback is offered (stock read live again once the cache is stale)", async () => {
    stock(data.offer, 1);
    await kit.guards({ inventoryMaxAgeMinutes: 0 });
    const [, order] = data.orders;
    const event = await kit.send("orders/create", data.ordersCreate(order!.id));
    const run = await kit.runFor(RECIPE_ID, event.id);
    expect(run.outcome).toBe("acted");
    expect(run.actions[0]!.summary).toContain(
      `variant ${data.fallback.id} at 15% off (fallback: first choice short of stock)`,
    );
    expect(run.reasons).toContain(
      `rule “Coffee → mug”: variant ${data.offer.id} has only 1 in stock (minimum 3)`,
    );
    await kit.guards({});
  });

  it("uses the cached level without calling Shopify while it is young", async () => {
    const reads = () =>
      admin()
        .operations()
        .filter((o) => o.operationName === "SwitchboardVariantStock").length;
    const before = reads();
    const order = data.store.orders.find(
      (o) =>
        o.customerId &&
        o.customerId !== data.orders[0]!.customerId &&
        o.customerId !== data.orders[1]!.customerId &&
        o.lineItems.some((l) => l.productId === data.productId),
    )!;
    const event = await kit.send("orders/create", data.ordersCreate(order.id));
    const run = await kit.runFor(RECIPE_ID, event.id);
    expect(run.outcome).toBe("acted");
    expect(reads()).toBe(before);
  });

  it("is suppressed while the buyer has an open Gorgias ticket, and stays quiet when no rule matches", async () => {
    const offered = new Set((await kit.runs(RECIPE_ID)).map((r) => r.customerId));
    const buyer = data.store.orders.find(
      (o) =>
        o.customerId &&
        !offered.has(String(o.customerId)) &&
        o.lineItems.some((l) => l.productId === data.productId),
    )!;
    const customer = data.store.customers.find((c) => c.id === buyer.customerId)!;
    await recordTicketState(kit.db(), kit.shop, {
      ticketId: 77_001,
      email: customer.email!,
      status: "open",
      updatedAt: new Date(),
    });
    const event = await kit.send(
      "orders/create",
      data.ordersCreate(buyer.id, {
        id: 5_990_000_000_002,
        name: "#9002",
        updated_at: new Date().toISOString(),
      }),
    );
    const run = await kit.runFor(RECIPE_ID, event.id);
    expect(run.outcome).toBe("skipped");
    expect(run.reasons[0]).toBe("the customer has an open Gorgias ticket");

    const gear = data.store.orders.find(
      (o) =>
        o.customerId &&
        o.financialStatus === "paid" &&
        o.refunds.length === 0 &&
        o.lineItems.every((l) => l.productId !== data.productId),
    )!;
    const quiet = await kit.send(
      "orders/create",
      data.ordersCreate(gear.id, {
        id: 5_990_000_000_003,
        name: "#9003",
        customer: { id: 7_999_000_001, email: "new.buyer@example.com", tags: "" },
        updated_at: new Date().toISOString(),
      }),
    );
    const quietRun = await kit.runFor(RECIPE_ID, quiet.id);
    expect(quietRun).toMatchObject({ outcome: "skipped", actions: [] });
    expect(quietRun.reasons[0]).toBe("no offer rule matches this order");
  });

  it("targets a customer's first order by where it ships, counting the orders placed before it", async () => {
    await kit.enable(RECIPE_ID, {
      minimumStock: 3,
      rules: [
        {
          name: "New customers in Canada",
          everyOrder: true,
          previousOrdersAtMost: 0,
          shippingCountries: ["CA"],
          // The first choice was sold down to 1 above; the fallback still has 25.
          offerVariantId: data.fallback.id,
        },
      ],
    });
    const [template] = data.orders;
    const now = runtime().clock.now().getTime();
    const send = async (id: number, customerId: number, country: string, hoursAgo: number) => {
      const at = new Date(now - hoursAgo * 3_600_000).toISOString();
      const event = await kit.send(
        "orders/create",
        data.ordersCreate(template!.id, {
          id,
          name: `#${id % 10_000}`,
          customer: { id: customerId, email: `buyer-${customerId}@example.com`, tags: "" },
          shipping_address: { country_code: country, country: country },
          created_at: at,
          updated_at: at,
        }),
      );
      return kit.runFor(RECIPE_ID, event.id);
    };
    // A new customer's first order, shipping to Canada: offered.
    const first = await send(5_990_000_000_011, 7_999_000_011, "CA", 2);
    expect(first.outcome).toBe("acted");
    // Their second order is no longer a first order.
    const second = await send(5_990_000_000_012, 7_999_000_011, "CA", 1);
    expect(second.outcome).toBe("skipped");
    expect(second.reasons[0]).toBe("no offer rule matches this order");
    // Another new customer, shipping to France: not this rule's country.
    expect((await send(5_990_000_000_013, 7_999_000_013, "FR", 1)).outcome).toBe("skipped");
  });
});
