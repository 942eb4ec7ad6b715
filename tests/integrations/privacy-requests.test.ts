import { expect, it } from "vitest";
import {
  deliveries,
  privacyExports,
  privacyRedactions,
  shops,
  webhookEvents,
} from "../../db/schema/index";
import {
  getPrivacyExport,
  listDataRequests,
  listRedactions,
  shopTimeZone,
} from "../../app/models/privacy-requests.server";
import { summarizeExport } from "../../app/routes/app.privacy/privacy.server";
import { describeEachDatabase } from "../helpers/database";

const SHOP = "privacy-requests.myshopify.com";
const OTHER = "another.myshopify.com";
const KEY = `deliver-klaviyo:${SHOP}:privacy:customer/7001/redact/9:klaviyo-profile-deletion`;

describeEachDatabase("privacy requests of a shop", ({ use: testDatabase }) => {
  const db = () => testDatabase().database.db;

  it("lists ready exports with the customer's name, and requests still being prepared or failed", async () => {
    const now = Date.now();
    const [ready] = await db()
      .insert(privacyExports)
      .values({
        shop: SHOP,
        customerId: "7001",
        webhookId: "dr-1",
        data: { customer: { firstName: "Jane", lastName: "Doe", email: "jane@example.com" } },
        createdAt: new Date(now - 60_000),
      })
      .returning();
    await db()
      .insert(privacyExports)
      .values({ shop: OTHER, customerId: "7001", webhookId: "dr-other", data: {} });
    const payload = (email: string) => ({ customer: { id: 7002, email }, orders_requested: [] });
    await db()
      .insert(webhookEvents)
      .values([
        {
          shop: SHOP,
          topic: "customers/data_request",
          webhookId: "dr-2",
          payload: payload("ola@example.com"),
          status: "received",
          receivedAt: new Date(now - 30_000),
        },
        {
          shop: SHOP,
          topic: "customers/data_request",
          webhookId: "dr-3",
          payload: payload("max@example.com"),
          status: "failed",
          error: "database unavailable",
          receivedAt: new Date(now - 90_000),
        },
      ]);

    const rows = await listDataRequests(db(), SHOP);
    expect(rows.map((r) => [r.exportId, r.firstName, r.email, r.status, r.error])).toEqual([
      [null, null, "ola@example.com", "preparing", null],
      [ready!.id, "Jane", "jane@example.com", "ready", null],
      [null, null, "max@example.com", "failed", "database unavailable"],
    ]);
    expect(await getPrivacyExport(db(), SHOP, ready!.id)).toMatchObject({ webhookId: "dr-1" });
    expect(await getPrivacyExport(db(), OTHER, ready!.id)).toBeUndefined();
  });

  it("lists redactions with the live state of each vendor's deletion", async () => {
    await db().insert(deliveries).values({
      shop: SHOP,
      vendor: "klaviyo",
      operation: "klaviyo-profile-deletion",
      idempotencyKey: KEY,
      recipe: "privacy",
      source: "customer/7001/redact/9",
      payload: {},
      status: "dead",
      lastError:
        "Klaviyo refused the deletion: the private key lacks the data-privacy:write scope.",
    });
    await db()
      .insert(privacyRedactions)
      .values({
        shop: SHOP,
        customerId: "7001",
        webhookId: "rd-1",
        removed: { ordersRemoved: 2 },
        vendors: [
          { vendor: "klaviyo", outcome: "requested", deliveryKey: KEY },
          { vendor: "gorgias", outcome: "not-connected" },
        ],
      });
    const [redaction] = await listRedactions(db(), SHOP);
    expect(redaction!.vendors).toEqual([
      {
        vendor: "klaviyo",
        outcome: "requested",
        delivery: { status: "dead", lastError: expect.stringContaining("data-privacy:write") },
      },
      { vendor: "gorgias", outcome: "not-connected", delivery: null },
    ]);
    expect(await listRedactions(db(), OTHER)).toEqual([]);
  });

  it("formats times in the shop's zone, or UTC when it has none or an unknown one", async () => {
    await db().insert(shops).values({ domain: SHOP, ianaTimezone: "America/New_York" });
    expect(await shopTimeZone(db(), SHOP)).toBe("America/New_York");
    expect(await shopTimeZone(db(), OTHER)).toBeNull();
    const instant = new Date(Date.UTC(2026, 0, 15, 17, 5));
    const row = { id: 1, customerId: "1", createdAt: instant, data: {} };
    expect(summarizeExport(row, "America/New_York")).toMatchObject({
      prepared: "Jan 15, 2026, 12:05 PM",
      timeZone: "Eastern Time",
    });
    expect(summarizeExport(row, null)).toMatchObject({
      prepared: "Jan 15, 2026, 5:05 PM",
      timeZone: "UTC",
    });
    expect(summarizeExport(row, "Not/AZone")).toMatchObject({
      prepared: "Jan 15, 2026, 5:05 PM",
      timeZone: "UTC",
    });
  });

  it("summarises an export: orders by name with money, recipe runs, deliveries", () => {
    const summary = summarizeExport(
      {
        id: 5,
        customerId: "7001",
        createdAt: new Date(Date.UTC(2026, 0, 15)),
        data: {
          generatedAt: "2026-01-15T00:00:00.000Z",
          customer: { firstName: "Jane", lastName: "Doe", email: "jane@example.com", tags: [] },
          orders: [
            {
              id: "5812345678901",
              name: "#1042",
              currency: "EUR",
              totalPrice: "129.50",
              financialStatus: "paid",
              fulfillmentStatus: null,
              createdAt: "2026-01-10T09:00:00.000Z",
            },
          ],
          fulfillments: [{ orderId: "5812345678901", shipmentStatus: "in_transit" }],
          integrations: {
            deliveries: [
              {
                vendor: "klaviyo",
                operation: "klaviyo-event",
                status: "succeeded",
                recipe: "vip-tier-sync",
                createdAt: "2026-01-10T09:01:00.000Z",
              },
            ],
            gorgiasTickets: [{ ticketId: 1, status: "open" }],
            klaviyoListMemberships: [],
          },
          recipes: {
            runs: [
              {
                recipeId: "vip-tier-sync",
                subject: "Order #1042",
                outcome: "acted",
                reasons: ["reached VIP"],
                createdAt: "2026-01-10T09:00:30.000Z",
              },
            ],
            frequencyCapTouches: [],
            memory: [],
          },
          webhooks: [{}, {}],
        },
      },
      "UTC",
    );
    expect(summary.customer).toBe("Jane Doe");
    expect(summary.orders).toEqual([
      {
        name: "#1042",
        placed: "Jan 10, 2026, 9:00 AM",
        total: "€129.50",
        status: "paid · unfulfilled · shipment in transit",
      },
    ]);
    expect(summary.recipeRuns[0]).toMatchObject({ subject: "Order #1042", outcome: "acted" });
    expect(summary.deliveries[0]).toMatchObject({ what: "Klaviyo · Event", status: "Delivered" });
    expect(summary.helpdesk).toBe("1 Gorgias ticket (1 open)");
    expect(summary.webhooks).toBe("2 Shopify notifications (kept 30 days)");
  });
});
