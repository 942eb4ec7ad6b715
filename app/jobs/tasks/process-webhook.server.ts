import { recordSubscriptionUpdate } from "../../models/billing.server";
import { and, eq, getTableColumns, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { sessions, shops, upsellOffers, webhookEvents } from "../../../db/schema/index";
import { withTransaction, type Db } from "../../db.server";
import { wakeHistoryImport } from "../../integrations/shopify-admin/history-import.server";
import { requestVendorErasure } from "../../integrations/erasure.server";
import {
  exportCustomerData,
  recordRedaction,
  redactCustomer,
  redactShop,
} from "../../models/privacy.server";
import {
  applyFulfillmentEvents,
  applyInventoryLevels,
  applyOrders,
  applyShopsFulfillments,
  fulfillmentRowOf,
  markEventsProcessed,
  recordFulfillmentEvent,
  upsertCheckout,
  upsertCustomer,
  upsertFulfillment,
  upsertInventoryLevel,
  upsertOrder,
  type FulfillmentRow,
  type InventoryLevelDelivery,
  type OrderDelivery,
} from "../../models/read-model.server";
import { confirmUpsellCharges } from "../../post-purchase/charges.server";
import { handOffManyToRecipes, handOffToRecipes } from "../../recipes/hand-off.server";
import { drizzleExecuteSql } from "../../utils/drizzle-execute-sql.server";
import {
  isKnownTopic,
  TOPIC_SCHEMAS,
  type FulfillmentEventPayload,
  type FulfillmentPayload,
  type InventoryLevelPayload,
  type OrderPayload,
  type Topic,
} from "../../webhooks/payloads";
import { defineTask, type BatchHelpers, type BatchJob } from "../define-task";
import {
  confirmUpsellChargeTask,
  processWebhookTask,
  syncInventoryItemTask,
  type Enqueuer,
} from "../contracts";
import { errorMessage, isDataException } from "../errors";
import { log } from "../../utils/log.server";
import type { ShopifyId } from "../../utils/shopify-id";

/** Topics processed even after uninstall: they are about the uninstall and privacy. */
const LIFECYCLE_TOPICS = new Set<Topic>([
  "app/uninstalled",
  "shop/redact",
  "customers/redact",
  "customers/data_request",
]);

export interface ProcessContext {
  db: Db;
  shop: string;
  event: typeof webhookEvents.$inferSelect;
  /** The runtime clock's now, for what the handler writes in the app's time. */
  now: Date;
  /** For jobs that must commit with the event (the transaction is `db`). */
  queue: Enqueuer;
  /** Follow-up work to do after the read model commits. */
  followUps: {
    inventoryItemIds: ShopifyId[];
    shopJobs?: "cancel" | "delete";
    /** A bulk operation that finished: the history import it belongs to is woken. */
    finishedBulkOperation?: string;
  };
}

/** A handler returns true when it already marked the event processed in its own last statement. */
type Handlers = {
  [T in Topic]: (
    data: z.output<(typeof TOPIC_SCHEMAS)[T]>,
    ctx: ProcessContext,
  ) => Promise<void | boolean>;
};

/** The order into the read model; an accepted post-purchase offer whose line it shows is charged. */
async function applyOrder(order: OrderPayload, { db, shop, event, queue, now }: ProcessContext) {
  await confirmUpsellCharges({ executeSql: drizzleExecuteSql(db), queue }, [{ shop, order }], now);
  await upsertOrder(db, shop, order, { settleEventId: event.id });
  return true;
}

const handlers: Handlers = {
  "orders/create": applyOrder,
  "orders/paid": applyOrder,
  "orders/updated": applyOrder,
  "orders/fulfilled": applyOrder,
  // A committed order edit (a post-purchase changeset is applied as one) names its added lines
  // by id only: while an accepted offer waits for its charge, Shopify's order is read to see them.
  "orders/edited": async ({ order_edit: edit }, { db, shop, queue }) => {
    if (!edit.line_items?.additions?.length) return;
    const [waiting] = await db
      .select({ id: upsellOffers.id })
      .from(upsellOffers)
      .where(
        and(
          eq(upsellOffers.shop, shop),
          eq(upsellOffers.status, "accepted"),
          isNull(upsellOffers.chargedAt),
        ),
      )
      .limit(1);
    if (!waiting) return;
    await queue.enqueue(
      confirmUpsellChargeTask,
      { shop, orderId: edit.order_id, editId: edit.id },
      { executeSql: drizzleExecuteSql(db) },
    );
  },
  "checkouts/create": (checkout, { db, shop }) => upsertCheckout(db, shop, checkout),
  "checkouts/update": (checkout, { db, shop }) => upsertCheckout(db, shop, checkout),
  "fulfillments/create": (fulfillment, { db, shop }) => upsertFulfillment(db, shop, fulfillment),
  "fulfillments/update": (fulfillment, { db, shop }) => upsertFulfillment(db, shop, fulfillment),
  "fulfillment_events/create": (event, { db, shop }) => recordFulfillmentEvent(db, shop, event),
  "inventory_levels/update": async (level, ctx) => {
    const { variantKnown } = await upsertInventoryLevel(ctx.db, ctx.shop, level);
    if (!variantKnown) ctx.followUps.inventoryItemIds.push(level.inventory_item_id);
  },
  "customers/update": (customer, { db, shop }) => upsertCustomer(db, shop, customer),
  "app/uninstalled": async (_shop, ctx) => {
    const { db, shop, event } = ctx;
    // A reinstall after this delivery was triggered must not be undone by it.
    const triggeredAt = event.triggeredAt ?? event.receivedAt;
    const [record] = await db.select().from(shops).where(eq(shops.domain, shop));
    if (record && record.installedAt > triggeredAt) return;
    await db.delete(sessions).where(eq(sessions.shop, shop));
    ctx.followUps.shopJobs = "cancel";
    await db
      .insert(shops)
      .values({ domain: shop, uninstalledAt: triggeredAt })
      .onConflictDoUpdate({
        target: shops.domain,
        set: { uninstalledAt: triggeredAt, updatedAt: sql`now()` },
      });
  },
  "app/scopes_update": async (scopes, { db, shop }) => {
    await db
      .update(sessions)
      .set({ scope: scopes.current.join(",") })
      .where(eq(sessions.shop, shop));
  },
  "app_subscriptions/update": ({ app_subscription: subscription }, { db, shop, now }) =>
    recordSubscriptionUpdate(db, shop, subscription, now),
  "customers/data_request": async (request, { db, shop, event, now }) => {
    const counts = await exportCustomerData(db, shop, request.customer, request.orders_requested, {
      generatedAt: now,
      webhookId: event.webhookId,
      dataRequestId: request.data_request?.id ?? null,
    });
    log.info(
      `[privacy] data request exported shop=${shop} customer=${request.customer.id} orders=${counts.orders}`,
    );
  },
  "customers/redact": async (request, { db, shop, event, queue }) => {
    const counts = await redactCustomer(db, shop, request.customer, request.orders_to_redact);
    // After our own rows are gone: the erasure deliveries hold the identifier until they run.
    const vendors = await requestVendorErasure(db, queue, {
      shop,
      customer: request.customer,
      eventId: event.id,
    });
    await recordRedaction(db, {
      shop,
      customerId: request.customer.id,
      webhookId: event.webhookId,
      removed: counts,
      vendors,
    });
    log.info(
      `[privacy] customer redacted shop=${shop} customer=${request.customer.id} orders=${counts.ordersRemoved} webhooks=${counts.webhooksScrubbed} vendors=${vendors.map((v) => `${v.vendor}:${v.outcome}`).join(",")}`,
    );
  },
  "bulk_operations/finish": (finished, ctx) => {
    ctx.followUps.finishedBulkOperation = finished.admin_graphql_api_id;
    return Promise.resolve();
  },
  "shop/redact": async (_request, ctx) => {
    const { db, shop } = ctx;
    const counts = await redactShop(db, shop);
    ctx.followUps.shopJobs = "delete";
    log.info(
      `[privacy] shop redacted shop=${shop} rows=${Object.values(counts).reduce((a, b) => a + b, 0)}`,
    );
  },
};

const ORDER_TOPICS = new Set<string>([
  "orders/create",
  "orders/paid",
  "orders/updated",
  "orders/fulfilled",
]);
const FULFILLMENT_TOPICS = new Set<string>(["fulfillments/create", "fulfillments/update"]);
/** Topics a worker applies as a batch (the bulk of a busy day's webhooks); the rest go one by one. */
const BATCHED_TOPICS = new Set<string>([
  ...ORDER_TOPICS,
  ...FULFILLMENT_TOPICS,
  "fulfillment_events/create",
  "inventory_levels/update",
]);

type ProcessPayload = { eventId: number; shop: string; topic: string; webhookId: string };

/**
 * A worker's fetch of order, parcel, carrier-scan and inventory events in one transaction with a
 * fixed number of statements, however many there are: claim them all, settle what is malformed
 * or from an uninstalled shop, apply the orders, fulfillments, fulfillment events and inventory
 * levels set-based (newest delivery per resource wins, guarded by updated_at, events marked
 * processed), ask Shopify about inventory
 * items with no known variant, hand the events to the recipes. The claim row-locks the events,
 * so a job for the same event elsewhere waits and then finds it settled. Returns the jobs it
 * completed (events already settled count: there is nothing left to do for them).
 */
async function processBatch(
  jobs: BatchJob<ProcessPayload>[],
  { database, queue, clock }: BatchHelpers,
): Promise<Set<string>> {
  const mine = jobs.filter((job) => BATCHED_TOPICS.has(job.payload.topic));
  if (mine.length === 0) return new Set();
  return withTransaction(database, async (executeSql) => {
    const { rows: claimed } = await executeSql(
      `update webhook_events e set attempts = e.attempts + 1
         from jsonb_to_recordset($1::jsonb) as j(id bigint, shop text)
        where e.id = j.id and e.shop = j.shop and e.status = 'received'
        returning e.id, e.shop, e.topic, e.payload, (select s.uninstalled_at from shops s where s.domain = e.shop) as uninstalled_at`,
      [JSON.stringify(mine.map((job) => ({ id: job.payload.eventId, shop: job.payload.shop })))],
      { prepare: true },
    );
    const settled: { id: number; status: "rejected" | "ignored"; reason: string }[] = [];
    const orderDeliveries: OrderDelivery[] = [];
    const levelDeliveries: InventoryLevelDelivery[] = [];
    const fulfillmentDeliveries: { shop: string; fulfillment: FulfillmentRow }[] = [];
    const carrierEvents: { shop: string; event: FulfillmentEventPayload }[] = [];
    const shipmentEventIds: number[] = [];
    const processed: { shop: string; topic: string; eventId: number }[] = [];
    for (const row of claimed) {
      const id = Number(row.id);
      const topic = row.topic as Topic;
      const parsed = TOPIC_SCHEMAS[topic].safeParse(row.payload);
      if (!parsed.success)
        settled.push({
          id,
          status: "rejected",
          reason: `Payload does not match ${topic}: ${errorMessage(parsed.error)}`,
        });
      else if (row.uninstalled_at)
        settled.push({ id, status: "ignored", reason: "Shop had uninstalled the app" });
      else {
        if (ORDER_TOPICS.has(topic))
          orderDeliveries.push({ shop: row.shop, order: parsed.data as OrderPayload, eventId: id });
        else if (FULFILLMENT_TOPICS.has(topic)) {
          const fulfillment = fulfillmentRowOf(parsed.data as FulfillmentPayload);
          fulfillmentDeliveries.push({ shop: row.shop, fulfillment });
          shipmentEventIds.push(id);
        } else if (topic === "fulfillment_events/create") {
          carrierEvents.push({ shop: row.shop, event: parsed.data as FulfillmentEventPayload });
          shipmentEventIds.push(id);
        } else
          levelDeliveries.push({
            shop: row.shop,
            level: parsed.data as InventoryLevelPayload,
            eventId: id,
          });
        processed.push({ shop: row.shop, topic, eventId: id });
      }
    }
    if (settled.length > 0) {
      await executeSql(
        `update webhook_events e set status = s.status, error = s.reason, processed_at = now()
           from jsonb_to_recordset($1::jsonb) as s(id bigint, status text, reason text) where e.id = s.id`,
        [JSON.stringify(settled)],
        { prepare: true },
      );
    }
    await applyOrders(executeSql, orderDeliveries);
    await confirmUpsellCharges({ executeSql, queue }, orderDeliveries, clock.now());
    // Parcels before their carrier scans, as Shopify sends them; either order ends the same.
    await applyShopsFulfillments(executeSql, fulfillmentDeliveries);
    await applyFulfillmentEvents(executeSql, carrierEvents);
    await markEventsProcessed(executeSql, shipmentEventIds);
    const unknownItems = await applyInventoryLevels(executeSql, levelDeliveries);
    // Inventory items with no known variant: learned from Shopify once this commits.
    if (unknownItems.length > 0)
      await queue.enqueueMany(syncInventoryItemTask, unknownItems, { executeSql });
    // The recipes' jobs commit with the read model, so a processed event is never left unrun.
    await handOffManyToRecipes(queue, executeSql, processed);
    return new Set(mine.map((job) => job.id));
  });
}

export const processWebhook = defineTask({
  ...processWebhookTask,
  retry: { retryLimit: 10, retryDelaySeconds: 1, retryDelayMaxSeconds: 300, expireInSeconds: 60 },
  async run({ eventId, shop }, { database, queue, shopJobs, clock }) {
    const db = database.db;
    // Claim the event and learn whether its shop is still installed, in one round trip.
    const claimed = await db
      .update(webhookEvents)
      .set({ attempts: sql`${webhookEvents.attempts} + 1` })
      .where(
        and(
          eq(webhookEvents.id, eventId),
          eq(webhookEvents.shop, shop),
          eq(webhookEvents.status, "received"),
        ),
      )
      .returning({
        event: getTableColumns(webhookEvents),
        uninstalledAt: sql<
          string | null
        >`(select ${shops.uninstalledAt} from ${shops} where ${shops.domain} = ${webhookEvents.shop})`,
      });
    // Gone (shop redacted) or already settled: nothing to do, which makes a re-run harmless.
    if (claimed.length === 0) return;
    const { event, uninstalledAt } = claimed[0]!;

    const topic = event.topic;
    const settle = (status: "rejected" | "ignored", reason: string) =>
      db
        .update(webhookEvents)
        .set({ status, error: reason, processedAt: sql`now()` })
        .where(eq(webhookEvents.id, eventId));
    if (!isKnownTopic(topic))
      return void (await settle("rejected", `Unsubscribed topic "${topic}"`));
    const parsed = TOPIC_SCHEMAS[topic].safeParse(event.payload);
    if (!parsed.success)
      return void (await settle(
        "rejected",
        `Payload does not match ${topic}: ${errorMessage(parsed.error)}`,
      ));
    if (uninstalledAt && !LIFECYCLE_TOPICS.has(topic))
      return void (await settle("ignored", "Shop had uninstalled the app"));

    const followUps: ProcessContext["followUps"] = { inventoryItemIds: [] };
    const applied = db.transaction(async (tx) => {
      const ctx: ProcessContext = {
        db: tx as unknown as Db,
        shop,
        event,
        followUps,
        now: clock.now(),
        queue,
      };
      const settled = await (
        handlers[topic] as (data: unknown, ctx: ProcessContext) => Promise<void | boolean>
      )(parsed.data, ctx);
      if (!settled) {
        await tx
          .update(webhookEvents)
          .set({ status: "processed", error: null, processedAt: sql`now()` })
          .where(eq(webhookEvents.id, eventId));
      }
      // The recipes' job commits with the read model, so a processed event is never left unrun.
      await handOffToRecipes(queue, { tx: tx as unknown as Db, shop, topic, eventId });
    });
    try {
      await applied;
    } catch (error) {
      // A value the schema let through but the database cannot hold (a price beyond any real
      // amount): the payload is malformed, and retrying would fail the same way.
      if (!isDataException(error)) throw error;
      return void (await settle(
        "rejected",
        `Payload of ${topic} holds a value the database cannot store (${errorMessage(error).replace(/^database: /, "")})`,
      ));
    }
    if (followUps.shopJobs) {
      // Uninstalled: the shop's recipes and deliveries stop, but its stored webhooks still get
      // settled (privacy requests processed, the rest marked ignored), never left waiting.
      const affected = await shopJobs(
        shop,
        followUps.shopJobs,
        followUps.shopJobs === "cancel" ? { keepTasks: [processWebhookTask.name] } : undefined,
      );
      log.info(
        `[lifecycle] ${followUps.shopJobs === "cancel" ? "cancelled" : "deleted"} ${affected} jobs of shop=${shop}`,
      );
      // Erased: webhooks stored while the redaction ran lost their jobs with the rest, so they go
      // too rather than wait forever (one stored after this has its own job, and is processed).
      if (followUps.shopJobs === "delete")
        await db
          .delete(webhookEvents)
          .where(
            and(
              eq(webhookEvents.shop, shop),
              eq(webhookEvents.status, "received"),
              ne(webhookEvents.id, eventId),
            ),
          );
    }
    if (followUps.finishedBulkOperation)
      await wakeHistoryImport(db, queue, shop, followUps.finishedBulkOperation);
    for (const inventoryItemId of followUps.inventoryItemIds)
      await queue.enqueue(syncInventoryItemTask, { shop, inventoryItemId });
  },
  runBatch: processBatch,
  async beforeReplay(payload, database) {
    const { eventId } = z.object({ eventId: z.number() }).parse(payload);
    await database.db
      .update(webhookEvents)
      .set({ status: "received", error: null })
      .where(and(eq(webhookEvents.id, eventId), eq(webhookEvents.status, "failed")));
  },
  async onDeadLetter(payload, error, { database }) {
    const parsed = z.object({ eventId: z.number() }).safeParse(payload);
    if (!parsed.success) return;
    await database.db
      .update(webhookEvents)
      .set({ status: "failed", error })
      .where(and(eq(webhookEvents.id, parsed.data.eventId), eq(webhookEvents.status, "received")));
  },
});
