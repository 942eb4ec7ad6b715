import { and, eq, inArray } from "drizzle-orm";
import { expect, it } from "vitest";
import {
  customers,
  fulfillmentEvents,
  fulfillments,
  inventoryLevels,
  orders,
  recipeSettings,
  shops,
  variants,
  webhookEvents,
} from "../../db/schema/index";
import { processWebhook } from "../../app/jobs/tasks/process-webhook.server";
import {
  SHOP,
  fulfillmentEventPayload,
  fulfillmentPayload,
  inventoryLevelPayload,
  orderPayload,
} from "../fixtures/shopify-payloads";
import { describeWithRuntime } from "../helpers/runtime";
import { deliver, waitFor } from "../helpers/webhooks";

const GONE_SHOP = "gone-shop.myshopify.com";

/**
 * A busy day: the worker takes a whole fetch of order events in one transaction. Events are
 * delivered while no worker runs, so the first fetch holds all of them.
 */
describeWithRuntime(
  "webhook pipeline: a worker's batch of order events",
  ({ runtime }) => {
    const db = () => runtime().database.db;
    const eventsOf = (webhookIds: string[]) =>
      db().select().from(webhookEvents).where(inArray(webhookEvents.webhookId, webhookIds));

    it("applies a batch like one-by-one: newest state per order and per stock level, aggregates per customer, unknown items looked up, bad payloads rejected, uninstalled shops ignored", async () => {
      await db()
        .insert(shops)
        .values({ domain: GONE_SHOP, uninstalledAt: new Date() })
        .onConflictDoNothing();
      // A recipe listens to orders/create for SHOP: each processed orders/create gets its run-recipes job.
      await db()
        .insert(recipeSettings)
        .values({ shop: SHOP, recipeId: "post-purchase-upsell", enabled: true })
        .onConflictDoNothing();
      const customer = {
        id: 7_100_000_001,
        email: "batch.buyer@example.com",
        first_name: "Batch",
        last_name: "Buyer",
        tags: "",
        updated_at: "2026-11-20T09:00:00Z",
      };
      const deliveries: [string, string, unknown, string?][] = [
        // The newer state of order 1 arrives first, its creation second (in the same batch).
        [
          "wh-b-1-updated",
          "orders/updated",
          orderPayload({
            id: 6_100_000_001,
            name: "#B1",
            financial_status: "paid",
            tags: "gift",
            updated_at: "2026-11-20T10:05:00Z",
            customer,
          }),
        ],
        [
          "wh-b-1-created",
          "orders/create",
          orderPayload({
            id: 6_100_000_001,
            name: "#B1",
            financial_status: "pending",
            updated_at: "2026-11-20T10:00:00Z",
            customer,
          }),
        ],
        [
          "wh-b-2",
          "orders/create",
          orderPayload({
            id: 6_100_000_002,
            name: "#B2",
            total_price: "20.00",
            current_total_price: "20.00",
            updated_at: "2026-11-20T11:00:00Z",
            customer,
          }),
        ],
        ["wh-b-bad", "orders/create", { id: 6_100_000_003, name: 42 }],
        ["wh-b-gone", "orders/create", orderPayload({ id: 6_100_000_004, name: "#B4" }), GONE_SHOP],
        // Stock of a known variant's item, newest first; and an item no variant is known for yet.
        [
          "wh-b-inv-new",
          "inventory_levels/update",
          inventoryLevelPayload({
            inventory_item_id: 8_100_000_001,
            location_id: 1,
            available: 7,
            updated_at: "2026-11-20T12:05:00Z",
          }),
        ],
        [
          "wh-b-inv-old",
          "inventory_levels/update",
          inventoryLevelPayload({
            inventory_item_id: 8_100_000_001,
            location_id: 1,
            available: 3,
            updated_at: "2026-11-20T12:00:00Z",
          }),
        ],
        [
          "wh-b-inv-unknown",
          "inventory_levels/update",
          inventoryLevelPayload({
            inventory_item_id: 8_100_000_002,
            location_id: 1,
            available: 5,
            updated_at: "2026-11-20T12:00:00Z",
          }),
        ],
      ];
      await db()
        .insert(variants)
        .values({ shop: SHOP, id: "9100000001", inventoryItemId: "8100000001", title: "Known" })
        .onConflictDoNothing();
      for (const [webhookId, topic, payload, shop] of deliveries)
        expect((await deliver(topic, payload, { webhookId, shop })).status).toBe(200);
      const webhookIds = deliveries.map(([id]) => id);
      expect((await eventsOf(webhookIds)).every((e) => e.status === "received")).toBe(true);

      await runtime().queue.work({ concurrency: 4 });
      const events = await waitFor(async () => {
        const rows = await eventsOf(webhookIds);
        return rows.every((e) => e.status !== "received") ? rows : undefined;
      });
      const byId = new Map(events.map((e) => [e.webhookId, e]));
      expect(byId.get("wh-b-1-updated")).toMatchObject({ status: "processed", attempts: 1 });
      expect(byId.get("wh-b-1-created")).toMatchObject({ status: "processed", attempts: 1 });
      expect(byId.get("wh-b-2")).toMatchObject({ status: "processed", attempts: 1 });
      expect(byId.get("wh-b-bad")).toMatchObject({ status: "rejected", attempts: 1 });
      expect(byId.get("wh-b-bad")!.error).toMatch(/^Payload does not match orders\/create/);
      expect(byId.get("wh-b-gone")).toMatchObject({
        status: "ignored",
        error: "Shop had uninstalled the app",
      });
      for (const id of ["wh-b-inv-new", "wh-b-inv-old", "wh-b-inv-unknown"])
        expect(byId.get(id)).toMatchObject({ status: "processed", attempts: 1 });

      const levels = await db()
        .select()
        .from(inventoryLevels)
        .where(
          and(
            eq(inventoryLevels.shop, SHOP),
            inArray(inventoryLevels.inventoryItemId, ["8100000001", "8100000002"]),
          ),
        );
      expect(Object.fromEntries(levels.map((l) => [l.inventoryItemId, l.available]))).toEqual({
        8100000001: 7,
        8100000002: 5,
      });
      const { rows: syncs } = await runtime().database.executeSql(
        `select data from pgboss.job where name = 'sync-inventory-item'`,
      );
      expect(syncs.map((r) => r.data.inventoryItemId)).toEqual(["8100000002"]);

      const [first] = await db()
        .select()
        .from(orders)
        .where(and(eq(orders.shop, SHOP), eq(orders.id, "6100000001")));
      expect(first).toMatchObject({ financialStatus: "paid", tags: ["gift"] });
      const [buyer] = await db()
        .select()
        .from(customers)
        .where(and(eq(customers.shop, SHOP), eq(customers.id, String(customer.id))));
      expect(buyer).toMatchObject({ email: "batch.buyer@example.com", orderCount: 2 });
      expect(Number(buyer!.lifetimeSpend)).toBeCloseTo(Number(first!.currentTotalPrice) + 20, 2);
      expect(await db().select().from(orders).where(eq(orders.shop, GONE_SHOP))).toEqual([]);

      const { rows: runs } = await runtime().database.executeSql(
        `select data from pgboss.job where name = 'run-recipes'`,
      );
      const ranFor = runs.map((r) => Number(r.data.eventId)).sort();
      const createdIds = [byId.get("wh-b-1-created")!.id, byId.get("wh-b-2")!.id].sort();
      expect(ranFor).toEqual(createdIds);
    });

    it("applies a batch of parcels and carrier scans like one-by-one: newest parcel state, the latest scan's status, the first delivery time, every event processed once and handed to the recipes", async () => {
      await db()
        .insert(recipeSettings)
        .values({ shop: SHOP, recipeId: "shipping-delay-outreach", enabled: true })
        .onConflictDoNothing();
      const now = runtime().clock.now().getTime();
      const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
      const parcel = { id: 4_500_000_001, order_id: 6_300_000_001 };
      const scan = (id: number, status: string, hoursAgo: number, estimate?: number) =>
        fulfillmentEventPayload({
          id,
          fulfillment_id: parcel.id,
          order_id: parcel.order_id,
          status,
          happened_at: at(hoursAgo),
          created_at: at(hoursAgo),
          updated_at: at(hoursAgo),
          estimated_delivery_at: estimate === undefined ? null : at(estimate),
        });
      const deliveries: [string, string, unknown][] = [
        // The parcel's newer state arrives before its creation.
        [
          "wh-f-updated",
          "fulfillments/update",
          fulfillmentPayload({
            ...parcel,
            shipment_status: "in_transit",
            tracking_numbers: ["TRACK-NEW"],
            created_at: at(48),
            updated_at: at(30),
          }),
        ],
        [
          "wh-f-created",
          "fulfillments/create",
          fulfillmentPayload({
            ...parcel,
            shipment_status: null,
            tracking_numbers: ["TRACK-OLD"],
            created_at: at(48),
            updated_at: at(48),
          }),
        ],
        // Scans out of order, one delivered twice; the estimate comes from the latest scan that has one.
        ["wh-s-delivered", "fulfillment_events/create", scan(9_910_003, "delivered", 2)],
        ["wh-s-transit", "fulfillment_events/create", scan(9_910_001, "in_transit", 40, -24)],
        ["wh-s-out", "fulfillment_events/create", scan(9_910_002, "out_for_delivery", 6, -2)],
        ["wh-s-delivered-again", "fulfillment_events/create", scan(9_910_003, "delivered", 2)],
        // A scan of a parcel not seen yet, and a malformed parcel.
        [
          "wh-s-unknown",
          "fulfillment_events/create",
          fulfillmentEventPayload({
            id: 9_910_010,
            fulfillment_id: 4_500_000_002,
            order_id: 6_300_000_002,
            status: "in_transit",
            happened_at: at(5),
          }),
        ],
        ["wh-f-bad", "fulfillments/create", { id: 4_500_000_003, order_id: "not a number" }],
      ];
      for (const [webhookId, topic, payload] of deliveries)
        expect((await deliver(topic, payload, { webhookId })).status).toBe(200);
      const webhookIds = deliveries.map(([id]) => id);

      await runtime().queue.work({ concurrency: 4 });
      const events = await waitFor(async () => {
        const rows = await eventsOf(webhookIds);
        return rows.every((e) => e.status !== "received") ? rows : undefined;
      });
      const byId = new Map(events.map((e) => [e.webhookId, e]));
      for (const id of webhookIds.filter((id) => id !== "wh-f-bad"))
        expect(byId.get(id)).toMatchObject({ status: "processed", attempts: 1 });
      expect(byId.get("wh-f-bad")).toMatchObject({ status: "rejected", attempts: 1 });
      expect(byId.get("wh-f-bad")!.error).toMatch(/^Payload does not match fulfillments\/create/);

      const stored = await db()
        .select()
        .from(fulfillments)
        .where(eq(fulfillments.shop, SHOP))
        .then((rows) => new Map(rows.map((row) => [row.id, row])));
      expect(stored.get("4500000001")).toMatchObject({
        trackingNumbers: ["TRACK-NEW"],
        shipmentStatus: "delivered",
        deliveredAt: new Date(at(2)),
        estimatedDeliveryAt: new Date(at(-2)),
        lastEventAt: new Date(at(2)),
      });
      expect(stored.get("4500000002")).toMatchObject({ shipmentStatus: "in_transit" });
      const scans = await db()
        .select({ id: fulfillmentEvents.id })
        .from(fulfillmentEvents)
        .where(eq(fulfillmentEvents.fulfillmentId, "4500000001"));
      expect(scans.map((row) => row.id).sort()).toEqual(["9910001", "9910002", "9910003"]);

      // The recipe listens to scans and parcel updates, not to creations.
      const { rows: runs } = await runtime().database.executeSql(
        `select data from pgboss.job where name = 'run-recipes'`,
      );
      const handedOff = deliveries
        .filter(([id, topic]) => id !== "wh-f-bad" && topic !== "fulfillments/create")
        .map(([id]) => byId.get(id)!.id)
        .sort();
      const mine = new Set(events.map((e) => e.id));
      const ranFor = runs.map((r) => Number(r.data.eventId)).filter((id) => mine.has(id));
      expect(ranFor.sort()).toEqual(handedOff);
    });

    it("runs a whole batch in one go, and a job whose event is already settled completes without touching it", async () => {
      const webhookIds = ["wh-direct-1", "wh-direct-2"];
      for (const [i, webhookId] of webhookIds.entries()) {
        await deliver(
          "orders/paid",
          orderPayload({
            id: 6_200_000_001 + i,
            name: `#D${i}`,
            updated_at: "2026-11-21T08:00:00Z",
          }),
          { webhookId },
        );
      }
      const events = await waitFor(async () => {
        const rows = await eventsOf(webhookIds);
        return rows.every((e) => e.status === "processed") ? rows : undefined;
      });
      // The same jobs again (a replay racing the first run): nothing left to do, nothing counted twice.
      const jobs = events.map((e) => ({
        id: `job-${e.id}`,
        payload: { eventId: e.id, shop: e.shop, topic: e.topic, webhookId: e.webhookId },
      }));
      const completed = await processWebhook.runBatch!(jobs, {
        database: runtime().database,
        clock: runtime().clock,
        queue: runtime().queue,
      });
      expect([...completed].sort()).toEqual(jobs.map((j) => j.id).sort());
      expect((await eventsOf(webhookIds)).map((e) => e.attempts)).toEqual([1, 1]);
    });
  },
  { workers: false },
);
