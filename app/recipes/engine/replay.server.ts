import { and, count, desc, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import {
  checkouts,
  fulfillmentEvents,
  fulfillments,
  gorgiasTickets,
  inventoryLevels,
  orders,
} from "../../../db/schema/index";
import type { Db } from "../../db.server";
import type { Topic } from "../../webhooks/payloads";
import { storedOrderEvent } from "../shared";
import type { AnyRecipe, RecipeEvent, RecipeTrigger } from "./define-recipe";
import { orderView } from "./views.server";
import { newestFirst } from "../../utils/newest-first";

/**
 * What a dry run replays: for each kind of trigger a recipe declares, the read model's record of
 * those triggers over a window (parcel scans, ticket changes, stock changes, checkouts, orders),
 * newest first and at most `limit` of them, rebuilt as the events the engine would have received.
 */

export interface ReplayWindow {
  /** null: the most recent, however old. */
  since: Date | null;
  /**
   * The dry run's now. What the store stamped later than it (its clock ahead of ours: skew, or
   * the sandbox's simulated store running fast) is still replayed, at this time.
   */
  now: Date;
  /** The shop's local date now (YYYY-MM-DD): the date today's daily scan is for. */
  today: string;
  limit: number;
}

export interface ReplayedEvent {
  event: RecipeEvent;
  /** When it happened: the engine evaluates it at that time. */
  at: Date;
}

export interface Replay {
  source: ReplaySourceId;
  /** What the merchant calls these ("parcel scans"), for "the 50 most recent of 312 parcel scans". */
  noun: readonly [one: string, many: string];
  /** The trigger declaration it replays (its `actsFor` words). */
  trigger: RecipeTrigger;
  events: ReplayedEvent[];
  /** How many happened in the window (events holds at most the window's limit of them). */
  total: number;
  /** More than COUNT_CAP happened: `total` is the cap. */
  more: boolean;
}

/** Counting stops here: a large store's whole history is not counted to say "of 10,000+". */
export const COUNT_CAP = 10_000;

export type ReplaySourceId =
  | "orders"
  | "parcel-scans"
  | "shipment-updates"
  | "stock-changes"
  | "checkouts"
  | "tickets-opened"
  | "tickets-closed"
  | "daily-scan";

interface Source {
  noun: readonly [string, string];
  /** The events of the window; `replaying` names the recipe's other sources (overlap rules). */
  load(
    db: Db,
    shop: string,
    window: ReplayWindow,
    topics: readonly Topic[],
    replaying: ReadonlySet<ReplaySourceId>,
  ): Promise<{ events: ReplayedEvent[]; total: number }>;
}

/** The source each webhook topic is replayed from; topics without one are not replayable. */
const TOPIC_SOURCES: Partial<Record<Topic, ReplaySourceId>> = {
  "orders/create": "orders",
  "orders/paid": "orders",
  "orders/updated": "orders",
  "fulfillment_events/create": "parcel-scans",
  "fulfillments/create": "shipment-updates",
  "fulfillments/update": "shipment-updates",
  "inventory_levels/update": "stock-changes",
  "checkouts/create": "checkouts",
  "checkouts/update": "checkouts",
};

/** The first of `preferred` the recipe listens to (one event per record, not one per topic). */
function pick<T extends Topic>(topics: readonly Topic[], preferred: readonly T[]): T {
  return preferred.find((t) => topics.includes(t)) ?? preferred[0]!;
}

async function windowed<Row>(
  rows: (limit: number) => Promise<Row[]>,
  counted: () => Promise<{ n: number }[]>,
  window: ReplayWindow,
): Promise<{ rows: Row[]; total: number }> {
  const [found, [total]] = await Promise.all([rows(window.limit), counted()]);
  return { rows: found, total: Number(total?.n ?? found.length) };
}

const PAID_STATUSES = ["paid", "partially_refunded", "refunded"];

const SOURCES: Record<ReplaySourceId, Source> = {
  orders: {
    noun: ["order", "orders"],
    async load(db, shop, window, topics) {
      const topic = pick(topics, ["orders/create", "orders/paid", "orders/updated"] as const);
      const where = and(
        eq(orders.shop, shop),
        window.since ? gte(orders.createdAt, window.since) : undefined,
        topic === "orders/paid" ? inArray(orders.financialStatus, PAID_STATUSES) : undefined,
      );
      const { rows, total } = await windowed(
        (limit) =>
          db.select().from(orders).where(where).orderBy(newestFirst(orders.createdAt)).limit(limit),
        () =>
          db.select({ n: count() }).from(
            db
              .select({ one: sql`1` })
              .from(orders)
              .where(where)
              .limit(COUNT_CAP)
              .as("capped"),
          ),
        window,
      );
      return {
        total,
        events: rows.map((row) => {
          const order = orderView(row);
          return { event: storedOrderEvent(topic, order), at: order.processedAt ?? row.createdAt };
        }),
      };
    },
  },
  "parcel-scans": {
    noun: ["parcel scan", "parcel scans"],
    async load(db, shop, window) {
      const where = and(
        eq(fulfillmentEvents.shop, shop),
        window.since ? gte(fulfillmentEvents.happenedAt, window.since) : undefined,
      );
      const { rows, total } = await windowed(
        (limit) =>
          db
            .select()
            .from(fulfillmentEvents)
            .where(where)
            .orderBy(desc(fulfillmentEvents.happenedAt))
            .limit(limit),
        () =>
          db.select({ n: count() }).from(
            db
              .select({ one: sql`1` })
              .from(fulfillmentEvents)
              .where(where)
              .limit(COUNT_CAP)
              .as("capped"),
          ),
        window,
      );
      return {
        total,
        events: rows.map((row) => ({
          at: row.happenedAt,
          event: {
            type: "webhook",
            topic: "fulfillment_events/create",
            eventId: 0,
            data: {
              id: row.id,
              fulfillment_id: row.fulfillmentId,
              order_id: row.orderId,
              status: row.status,
              message: row.message,
              happened_at: row.happenedAt,
              estimated_delivery_at: row.estimatedDeliveryAt,
              city: row.city,
              province: row.province,
              country: row.country,
              created_at: row.happenedAt,
              updated_at: row.happenedAt,
            },
          },
        })),
      };
    },
  },
  "shipment-updates": {
    noun: ["shipment update", "shipment updates"],
    async load(db, shop, window, topics, replaying) {
      const topic = pick(topics, ["fulfillments/update", "fulfillments/create"] as const);
      // A status learnt from a parcel scan is replayed as that scan, not a second time here.
      const fromScans = replaying.has("parcel-scans");
      const where = and(
        eq(fulfillments.shop, shop),
        window.since ? gte(fulfillments.sourceUpdatedAt, window.since) : undefined,
        fromScans ? isNull(fulfillments.lastEventAt) : undefined,
      );
      const { rows, total } = await windowed(
        (limit) =>
          db
            .select()
            .from(fulfillments)
            .where(where)
            .orderBy(desc(fulfillments.sourceUpdatedAt))
            .limit(limit),
        () =>
          db.select({ n: count() }).from(
            db
              .select({ one: sql`1` })
              .from(fulfillments)
              .where(where)
              .limit(COUNT_CAP)
              .as("capped"),
          ),
        window,
      );
      return {
        total,
        events: rows.map((row) => {
          const at = row.deliveredAt ?? row.sourceUpdatedAt;
          return {
            at,
            event: {
              type: "webhook",
              topic,
              eventId: 0,
              data: {
                id: row.id,
                order_id: row.orderId,
                status: row.status,
                shipment_status: row.shipmentStatus,
                tracking_company: row.trackingCompany,
                tracking_numbers: row.trackingNumbers,
                tracking_urls: row.trackingUrls,
                estimated_delivery_at: row.estimatedDeliveryAt,
                created_at: row.createdAt,
                updated_at: at,
              },
            },
          };
        }),
      };
    },
  },
  "stock-changes": {
    noun: ["stock change", "stock changes"],
    async load(db, shop, window) {
      const where = and(
        eq(inventoryLevels.shop, shop),
        window.since ? gte(inventoryLevels.sourceUpdatedAt, window.since) : undefined,
      );
      const { rows, total } = await windowed(
        (limit) =>
          db
            .select()
            .from(inventoryLevels)
            .where(where)
            .orderBy(desc(inventoryLevels.sourceUpdatedAt))
            .limit(limit),
        () =>
          db.select({ n: count() }).from(
            db
              .select({ one: sql`1` })
              .from(inventoryLevels)
              .where(where)
              .limit(COUNT_CAP)
              .as("capped"),
          ),
        window,
      );
      return {
        total,
        events: rows.map((row) => ({
          at: row.sourceUpdatedAt,
          event: {
            type: "webhook",
            topic: "inventory_levels/update",
            eventId: 0,
            data: {
              inventory_item_id: row.inventoryItemId,
              location_id: row.locationId,
              available: row.available,
              updated_at: row.sourceUpdatedAt,
            },
          },
        })),
      };
    },
  },
  checkouts: {
    noun: ["checkout", "checkouts"],
    async load(db, shop, window, topics) {
      const topic = pick(topics, ["checkouts/update", "checkouts/create"] as const);
      const where = and(
        eq(checkouts.shop, shop),
        window.since ? gte(checkouts.createdAt, window.since) : undefined,
      );
      const { rows, total } = await windowed(
        (limit) =>
          db
            .select()
            .from(checkouts)
            .where(where)
            .orderBy(newestFirst(checkouts.createdAt))
            .limit(limit),
        () =>
          db.select({ n: count() }).from(
            db
              .select({ one: sql`1` })
              .from(checkouts)
              .where(where)
              .limit(COUNT_CAP)
              .as("capped"),
          ),
        window,
      );
      return {
        total,
        events: rows.map((row) => ({
          // The buyer's last change: what "no order N hours later" counts from.
          at: row.lastActivityAt,
          event: {
            type: "webhook",
            topic,
            eventId: 0,
            data: {
              id: row.id,
              token: row.token,
              cart_token: row.cartToken,
              email: row.email,
              currency: row.currency,
              presentment_currency: row.presentmentCurrency,
              subtotal_price: row.subtotalPrice,
              total_price: null,
              abandoned_checkout_url: row.abandonedCheckoutUrl,
              line_items: row.lineItems.map((l) => ({
                key: null,
                variant_id: l.variantId,
                product_id: l.productId,
                sku: l.sku,
                title: l.title,
                variant_title: l.variantTitle,
                quantity: l.quantity,
                price: l.price,
              })),
              customer: row.customerId ? { id: row.customerId, email: row.email } : null,
              completed_at: row.completedAt,
              closed_at: null,
              created_at: row.createdAt,
              updated_at: row.lastActivityAt,
            },
          } as RecipeEvent,
        })),
      };
    },
  },
  "tickets-opened": ticketReplay("open", ["ticket opened", "tickets opened"]),
  "tickets-closed": ticketReplay("closed", ["ticket closed", "tickets closed"]),
  "daily-scan": {
    noun: ["daily scan", "daily scans"],
    // Today's scan only: a scan reads the shop as it is now, so earlier days would read the same.
    async load(_db, _shop, window) {
      return {
        events: [{ event: { type: "daily", date: window.today }, at: window.now }],
        total: 1,
      };
    },
  },
};

/** The recipe's triggers as replay sources, each with the topics it stands for. */
export function replaySourcesOf(recipe: AnyRecipe): {
  sources: { id: ReplaySourceId; trigger: RecipeTrigger; topics: Topic[] }[];
  /** Topics no stored record replays (orders/edited…): named in the dry run's notes. */
  unreplayable: Topic[];
} {
  const sources = new Map<ReplaySourceId, { trigger: RecipeTrigger; topics: Topic[] }>();
  const unreplayable: Topic[] = [];
  const add = (id: ReplaySourceId, trigger: RecipeTrigger, topic?: Topic) => {
    const known = sources.get(id) ?? { trigger, topics: [] };
    if (topic) known.topics.push(topic);
    sources.set(id, known);
  };
  for (const trigger of recipe.triggers) {
    if (trigger.type === "ticket") {
      add("tickets-opened", trigger);
      add("tickets-closed", trigger);
    } else if (trigger.type === "daily") add("daily-scan", trigger);
    else
      for (const topic of trigger.topics) {
        const id = TOPIC_SOURCES[topic];
        if (id) add(id, trigger, topic);
        else unreplayable.push(topic);
      }
  }
  return { sources: [...sources].map(([id, s]) => ({ id, ...s })), unreplayable };
}

/** Reads every trigger the recipe declares over the window, source by source. */
export async function loadReplays(
  db: Db,
  shop: string,
  recipe: AnyRecipe,
  window: ReplayWindow,
): Promise<{ replays: Replay[]; unreplayable: Topic[] }> {
  const { sources, unreplayable } = replaySourcesOf(recipe);
  const replaying = new Set(sources.map((s) => s.id));
  const replays: Replay[] = [];
  for (const { id, trigger, topics } of sources) {
    const source = SOURCES[id];
    const { events, total } = await source.load(db, shop, window, topics, replaying);
    replays.push({
      source: id,
      noun: source.noun,
      trigger,
      events,
      total,
      more: total >= COUNT_CAP,
    });
  }
  return { replays, unreplayable };
}

/** Tickets that reached `status` in the window, newest first: the same replay for opened and closed. */
function ticketReplay(status: "open" | "closed", noun: [string, string]): Source {
  return {
    noun,
    async load(db: Db, shop: string, window: ReplayWindow) {
      const where = and(
        eq(gorgiasTickets.shop, shop),
        window.since ? gte(gorgiasTickets.sourceUpdatedAt, window.since) : undefined,
        eq(gorgiasTickets.status, status),
      );
      const { rows, total } = await windowed(
        (limit) =>
          db
            .select()
            .from(gorgiasTickets)
            .where(where)
            .orderBy(desc(gorgiasTickets.sourceUpdatedAt))
            .limit(limit),
        () =>
          db.select({ n: count() }).from(
            db
              .select({ one: sql`1` })
              .from(gorgiasTickets)
              .where(where)
              .limit(COUNT_CAP)
              .as("capped"),
          ),
        window,
      );
      return {
        total,
        events: rows.map((row) => ({
          at: row.sourceUpdatedAt,
          event: {
            type: "ticket",
            ticketId: row.ticketId,
            email: row.customerEmail,
            status: row.status,
            changedAt: row.sourceUpdatedAt,
          },
        })),
      };
    },
  };
}
