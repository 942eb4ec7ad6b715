import { realFetch } from "../helpers/real-fetch";
import "../helpers/shopify";
import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import {
  customers,
  fulfillmentEvents,
  fulfillments,
  gorgiasTickets,
  inventoryLevels,
  orders,
  privacyExports,
  variants,
  webhookEvents,
} from "../../db/schema/index";
import {
  appUninstalledPayload,
  customerPayload,
  customersDataRequestPayload,
  customersRedactPayload,
  fulfillmentEventPayload,
  fulfillmentPayload,
  inventoryLevelPayload,
  orderPayload,
  shopRedactPayload,
} from "../fixtures/shopify-payloads";
import { recipeKit, sandbox } from "../helpers/recipes";
import { describeWithRuntime } from "../helpers/runtime";
import { storeOfflineSession, withShopifyAdminFake } from "../helpers/shopify-admin";
import { withVendorFakes } from "../helpers/vendors";
import { deliver, settledEvent, waitFor } from "../helpers/webhooks";

void realFetch;
const fakes = withVendorFakes();
const admin = withShopifyAdminFake(sandbox);

/**
 * Shopify's ids are 64-bit integers. These bodies carry them as JSON numbers beyond 2^53 (which
 * JSON.parse would round): every id must reach the read model, the recipes and the vendors with
 * its exact digits.
 */

/** The fixture's ids (as JSON numbers and inside gids) swapped for large ones, in the raw text. */
function withIds(payload: unknown, ids: Record<number, string>): string {
  let text = JSON.stringify(payload);
  for (const [small, large] of Object.entries(ids))
    text = text.replace(new RegExp(`(?<!\\d)${small}(?!\\d)`, "g"), large);
  return text;
}

const MAX = "9223372036854775807"; // 2^63 − 1
const near = (offset: number) => (BigInt(MAX) - BigInt(offset)).toString();
const ABOVE_2_53 = (2n ** 53n + 1n).toString(); // 9007199254740993: JSON.parse reads 9007199254740992

describeWithRuntime("64-bit Shopify ids", ({ runtime }) => {
  const kit = recipeKit(runtime);
  const db = () => runtime().database.db;
  let sent = 0;
  beforeAll(async () => {
    await storeOfflineSession(kit.shop);
    await kit.connect(["klaviyo", "gorgias"]);
    await kit.enable("high-value-white-glove", {
      threshold: 1,
      tagCustomer: true,
      openTicket: false,
    });
    await kit.enable("shipping-delay-outreach", {
      statuses: ["delayed"],
      openTicket: true,
      unshippedAfterHours: 0,
    });
  });
  const send = async (topic: string, body: string, shop = kit.shop) => {
    const webhookId = `large-ids-${topic}-${++sent}`;
    const response = await deliver(topic, null, { shop, webhookId, rawBody: body });
    expect(response.status).toBe(200);
    const event = await settledEvent(db(), webhookId);
    expect([event.status, event.error]).toEqual(["processed", null]);
    return event;
  };

  it("takes ids near 2^63 on every topic and stores them exactly", async () => {
    const [order, customer, line, variant, product] = [near(0), near(1), near(2), near(3), near(4)];
    await send(
      "orders/create",
      withIds(orderPayload(), {
        5812345678901: order,
        7001002003: customer,
        13579246801: line,
        44001002003: variant,
        8001002003: product,
      }),
    );
    const [storedOrder] = await db()
      .select()
      .from(orders)
      .where(and(eq(orders.shop, kit.shop), eq(orders.id, order)));
    expect(storedOrder).toMatchObject({ id: order, customerId: customer });
    expect(storedOrder!.lineItems[0]).toMatchObject({
      id: line,
      variantId: variant,
      productId: product,
    });
    expect(
      (
        await db()
          .select()
          .from(customers)
          .where(and(eq(customers.shop, kit.shop), eq(customers.id, customer)))
      )[0],
    ).toMatchObject({ id: customer, orderCount: 1 });
    expect(
      (
        await db()
          .select()
          .from(variants)
          .where(and(eq(variants.shop, kit.shop), eq(variants.id, variant)))
      )[0],
    ).toMatchObject({ id: variant, productId: product });

    for (const topic of ["orders/paid", "orders/updated", "orders/fulfilled"]) {
      await send(
        topic,
        withIds(orderPayload({ financial_status: "paid" }), {
          5812345678901: order,
          7001002003: customer,
          13579246801: line,
          44001002003: variant,
          8001002003: product,
        }),
      );
    }
    expect(
      await db().select({ id: orders.id }).from(orders).where(eq(orders.shop, kit.shop)),
    ).toEqual([{ id: order }]);

    const [fulfillment, event, location] = [near(10), near(11), near(12)];
    for (const topic of ["fulfillments/create", "fulfillments/update"]) {
      await send(
        topic,
        withIds(fulfillmentPayload(), {
          4400112233: fulfillment,
          5812345678901: order,
          61000001: location,
        }),
      );
    }
    expect(
      (await db().select().from(fulfillments).where(eq(fulfillments.shop, kit.shop)))[0],
    ).toMatchObject({ id: fulfillment, orderId: order });
    const delayed = await send(
      "fulfillment_events/create",
      withIds(fulfillmentEventPayload(), {
        9900001: event,
        4400112233: fulfillment,
        5812345678901: order,
      }),
    );
    // The delay opens a Gorgias ticket for this customer. Let it finish before the redaction below,
    // or a late delivery records the open ticket after it and the last test finds it.
    const outreach = await kit.runFor("shipping-delay-outreach", delayed.id);
    await kit.settled(outreach.actions.map((a) => a.key!));
    expect(
      (await db().select().from(fulfillmentEvents).where(eq(fulfillmentEvents.shop, kit.shop)))[0],
    ).toMatchObject({ id: event, fulfillmentId: fulfillment, orderId: order });

    // The variant is known, so no Admin lookup is needed for its inventory item.
    const item = near(20);
    await db()
      .insert(variants)
      .values({ shop: kit.shop, id: near(21), inventoryItemId: item, title: "Known" });
    await send(
      "inventory_levels/update",
      withIds(inventoryLevelPayload(), { 46000111222: item, 61000001: location }),
    );
    expect(
      await db()
        .select({ item: inventoryLevels.inventoryItemId, location: inventoryLevels.locationId })
        .from(inventoryLevels)
        .where(eq(inventoryLevels.shop, kit.shop)),
    ).toEqual([{ item, location }]);

    const other = near(30);
    await send("customers/update", withIds(customerPayload(), { 7001002003: other }));
    expect(
      (
        await db()
          .select()
          .from(customers)
          .where(and(eq(customers.shop, kit.shop), eq(customers.id, other)))
      )[0],
    ).toMatchObject({ id: other });

    const request = near(40);
    await send(
      "customers/data_request",
      withIds(customersDataRequestPayload({ orders_requested: [5_812_345_678_901] }), {
        7001002003: customer,
        5812345678901: order,
        9999: request,
        60001: near(41),
      }),
    );
    const [exported] = await db()
      .select()
      .from(privacyExports)
      .where(eq(privacyExports.shop, kit.shop));
    expect(exported).toMatchObject({ customerId: customer, dataRequestId: request });
    expect((exported!.data as { orders: { id: string }[] }).orders.map((o) => o.id)).toEqual([
      order,
    ]);

    await send(
      "customers/redact",
      withIds(customersRedactPayload({ orders_to_redact: [5_812_345_678_901] }), {
        7001002003: customer,
        5812345678901: order,
        60001: near(41),
      }),
    );
    expect(await db().select().from(orders).where(eq(orders.shop, kit.shop))).toEqual([]);
    expect(
      await db()
        .select()
        .from(customers)
        .where(and(eq(customers.shop, kit.shop), eq(customers.id, customer))),
    ).toEqual([]);
    expect(
      await db().select().from(gorgiasTickets).where(eq(gorgiasTickets.shop, kit.shop)),
    ).toEqual([]);

    // Shop-wide topics on a shop of their own (they remove or retire its data).
    const gone = "large-ids-gone.myshopify.com";
    await send("orders/create", withIds(orderPayload(), { 5812345678901: near(51) }), gone);
    await send(
      "app/uninstalled",
      withIds(appUninstalledPayload({ myshopify_domain: gone }), { 60001: near(50) }),
      gone,
    );
    // shop/redact removes the shop's events with everything else, its own included.
    expect(
      (
        await deliver("shop/redact", null, {
          shop: gone,
          webhookId: "large-ids-shop-redact",
          rawBody: withIds(shopRedactPayload({ shop_domain: gone }), { 60001: near(50) }),
        })
      ).status,
    ).toBe(200);
    await waitFor(
      async () =>
        (await db().select().from(webhookEvents).where(eq(webhookEvents.shop, gone))).length === 0,
    );
    expect(await db().select().from(orders).where(eq(orders.shop, gone))).toEqual([]);
  });

  it("refuses an id beyond 2^63 − 1 with its reason, kept for Activity", async () => {
    const webhookId = "large-ids-too-large";
    const response = await deliver("orders/create", null, {
      shop: kit.shop,
      webhookId,
      rawBody: withIds(orderPayload(), { 5812345678901: "9223372036854775808" }),
    });
    expect(response.status).toBe(200);
    const event = await settledEvent(db(), webhookId);
    expect(event.status).toBe("rejected");
    expect(event.error).toContain("id: must be a positive 64-bit integer id");
  });

  it("keeps 2^53 + 1 unchanged from the raw body to the read model, the recipes, Shopify, Klaviyo and Gorgias", async () => {
    const customer = (2n ** 53n + 3n).toString();
    const fulfillment = (2n ** 53n + 5n).toString();
    const order = ABOVE_2_53;
    const orderBody = withIds(
      orderPayload({ name: "#5301", total_price: "500.00", current_total_price: "500.00" }),
      { 5812345678901: order, 7001002003: customer },
    );
    expect(orderBody).toContain(`"id":${order},`);
    expect(String((JSON.parse(orderBody) as { id: number }).id)).toBe("9007199254740992"); // what plain parsing does

    const created = await send("orders/create", orderBody);
    const [stored] = await db()
      .select()
      .from(orders)
      .where(and(eq(orders.shop, kit.shop), eq(orders.id, order)));
    expect(stored).toMatchObject({ id: order, customerId: customer, name: "#5301" });

    // high-value-white-glove tags the order and its customer: Shopify gets the exact gids.
    const run = await kit.runFor("high-value-white-glove", created.id);
    expect(run.orderId).toBe(order);
    expect(run.customerId).toBe(customer);
    await kit.settled(run.actions.map((a) => a.key!));
    const tagged = admin()
      .operations()
      .filter((o) => o.operationName === "SwitchboardTagsAdd")
      .map((o) => (o.variables as { id: string }).id);
    expect(tagged).toEqual(
      expect.arrayContaining([
        `gid://shopify/Order/${order}`,
        `gid://shopify/Customer/${customer}`,
      ]),
    );

    // A carrier delay: shipping-delay-outreach tells Klaviyo (OrderId, profile external id) and opens a Gorgias ticket.
    const delayed = await send(
      "fulfillment_events/create",
      withIds(fulfillmentEventPayload({ status: "delayed" }), {
        4400112233: fulfillment,
        5812345678901: order,
      }),
    );
    const outreach = await kit.runFor("shipping-delay-outreach", delayed.id);
    expect(outreach.outcome).toBe("acted");
    const settled = await kit.settled(outreach.actions.map((a) => a.key!));
    expect(settled.map((d) => [d.vendor, d.status])).toEqual(
      expect.arrayContaining([
        ["klaviyo", "succeeded"],
        ["gorgias", "succeeded"],
      ]),
    );
    const klaviyoEvent = fakes().klaviyo.state.events.find(
      (e) => e.metricName === "Shipment Delayed",
    );
    expect(klaviyoEvent?.properties.OrderId).toBe(order);
    const klaviyoCall = fakes().klaviyo.received.find(
      (r) => r.method === "POST" && r.path.endsWith("/events"),
    );
    expect(JSON.stringify(klaviyoCall!.body)).toContain(`"external_id":"${customer}"`);
    expect(fakes().gorgias.state.tickets.map((t) => t.external_id)).toEqual([
      expect.stringContaining(`fulfillment/${fulfillment}`),
    ]);
    expect(outreach.actions.every((a) => a.key!.includes(`fulfillment/${fulfillment}`))).toBe(true);

    // And back on Activity's filter: the order found by its id.
    const [event] = await db().select().from(webhookEvents).where(eq(webhookEvents.id, created.id));
    expect((event!.payload as { id: unknown }).id).toBe(order);
  });
});
