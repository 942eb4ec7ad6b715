/**
 * The store-day simulator: the sandbox store lives through a day (and the next, and the next)
 * on a simulated clock, and every change reaches the app as Shopify would send it — a signed
 * webhook POSTed to `<app>/webhooks/<topic>` with Shopify's headers, retried with the same
 * webhook id when the app does not answer 2xx, and now and then delivered twice.
 *
 * What happens, in simulated time (see docs/sandbox.md):
 * - shoppers place orders, about `ordersPerDay` a day shaped by the shop's local hour: repeat
 *   buyers (the more they bought, the likelier), sign-ups, guests, VIP-sized baskets →
 *   orders/create, inventory_levels/update for the stock they took, orders/paid, customers/update;
 * - pending payments are captured (orders/paid, orders/updated) and paid orders are fulfilled
 *   within hours (fulfillments/create, fulfillment_events/create, orders/fulfilled);
 * - carriers scan parcels until they arrive — some delayed, missed or failed on the way
 *   (fulfillment_events/create, fulfillments/update);
 * - stock is counted, sold in the shop downtown and restocked when it runs low, crossing the
 *   low-stock and sold-out thresholds (inventory_levels/update);
 * - customers subscribe and unsubscribe (customers/update);
 * - some shoppers leave at checkout (checkouts/create, no order); some come back hours later and
 *   order from the same checkout (orders/create naming its checkout_token, checkouts/update);
 * - shoppers write to the helpdesk — "where is my order?" after a troubled scan, questions
 *   about recent orders — and agents answer and close the tickets, through the Gorgias fake
 *   (which calls the app's Gorgias endpoint when the integration is registered);
 * - when the app tags an order or customer through the Admin API fake, Shopify's follow-up
 *   orders/updated or customers/update is sent.
 *
 * Everything the simulator decides comes from `seed` and the store, never from the wall clock:
 * what is due is derived from the store (open orders, parcels in transit, low stock), so a
 * resumed store carries on where it stopped. The wall clock only paces it (`speed` simulated
 * seconds per real second) and times retries.
 */
import { createHmac, randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import type { GorgiasFake } from "./fakes/gorgias";
import type { AdminMutationEvent } from "./store/admin-graphql";
import { createSandboxStore } from "./store/generate";
import { parseGid } from "./store/ids";
import { customerStats, indexStore } from "./store/lookup";
import { DAY_MS, HOUR_MS, isoUtc, toShopLocal } from "./store/time";
import type {
  SandboxCheckout,
  SandboxCustomer,
  SandboxFulfillment,
  SandboxOrder,
  SandboxStore,
} from "./store/types";
import { webhookPayload, type WebhookSubjects, type WebhookTopic } from "./store/webhook-payloads";
import { SANDBOX_WEBHOOK_API_VERSION } from "./config";
import {
  applyChangeset,
  ChangesetRefused,
  visitPostPurchasePage,
  type AppliedChangeset,
  type PostPurchaseVisit,
} from "./post-purchase";
import { withholdProtectedCustomerData } from "./store/protected-data";
import {
  abandonCheckout,
  addShipmentEvent,
  between,
  capturePayment,
  changeAvailable,
  fulfillOrder,
  intBetween,
  keyed,
  nextOrderGapMs,
  nextShipmentStep,
  pick,
  placeOrder,
  receiveStock,
  refreshCustomerTags,
  toggleEmailConsent,
  TROUBLED_SHIPMENT_STATUSES,
  unfulfilledLines,
} from "./store-day";

const MINUTE_MS = 60_000;

/** What the simulator needs to carry on after a restart (saved next to the store). */
export interface SimulatorState {
  version: 1;
  seed: number;
  /** When the simulation began: derived timings are spread out from here. */
  anchor: string;
  /** The simulated clock. */
  now: string;
  counters: {
    orders: number;
    adjustments: number;
    consents: number;
    questions: number;
    deliveries: number;
  };
  next: { order: string; adjustment: string; consent: string; question: string };
  /** Tracking events that already made a shopper write in. */
  ticketsOpenedFor: number[];
  stats: { delivered: number; duplicates: number; retried: number; failed: number };
}

/** One webhook as Shopify would send it. */
export interface WebhookDelivery {
  topic: WebhookTopic;
  shop: string;
  webhookId: string;
  eventId: string;
  triggeredAt: string;
  body: string;
  /** For people: "#1358 · $84.20 · Maya Chen". */
  summary: string;
}

/** The HTTP request Shopify makes for a delivery: headers with the HMAC of the exact body. */
export function signedDeliveryHeaders(
  delivery: WebhookDelivery,
  secret: string,
): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "User-Agent": "Shopify-Captain-Hook",
    "X-Shopify-Topic": delivery.topic,
    "X-Shopify-Hmac-Sha256": createHmac("sha256", secret)
      .update(delivery.body, "utf8")
      .digest("base64"),
    "X-Shopify-Shop-Domain": delivery.shop,
    "X-Shopify-API-Version": SANDBOX_WEBHOOK_API_VERSION,
    "X-Shopify-Webhook-Id": delivery.webhookId,
    "X-Shopify-Event-Id": delivery.eventId,
    "X-Shopify-Triggered-At": delivery.triggeredAt,
  };
}

/** Sends one delivery; resolves with the HTTP status (a thrown error counts as no answer). */
export type WebhookTransport = (
  delivery: WebhookDelivery,
  headers: Record<string, string>,
) => Promise<number>;

/** POSTs to `<appUrl>/webhooks/<topic>` with Shopify's 5-second patience. */
export function httpTransport(
  appUrl: string,
  fetchImpl: typeof fetch = globalThis.fetch,
): WebhookTransport {
  return async (delivery, headers) => {
    const response = await fetchImpl(`${appUrl.replace(/\/$/, "")}/webhooks/${delivery.topic}`, {
      method: "POST",
      headers,
      body: delivery.body,
      signal: AbortSignal.timeout(5_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.status;
  };
}

/** A line in the simulator's feed, shown by the sandbox inbox. */
export interface FeedEntry {
  /** Increases by one per entry. */
  seq: number;
  /** Wall-clock time. */
  at: string;
  /** Simulated time, in the shop's zone. */
  storeTime: string;
  kind: "webhook" | "helpdesk" | "shopper";
  title: string;
  detail: string;
  /** Webhooks: the app's HTTP status (null: no answer). */
  status?: number | null;
  attempt?: number;
  duplicate?: boolean;
  webhookId?: string;
}

export interface SimulatorOptions {
  store: SandboxStore;
  /** Where webhooks go; or pass `transport`. */
  appUrl?: string;
  transport?: WebhookTransport;
  /** The app's client secret: the HMAC key. */
  apiSecret: string;
  seed: number;
  /** Simulated seconds per real second. Default 60: an hour a minute. */
  speed?: number;
  /** A saved state to resume from. */
  state?: SimulatorState;
  /** Helpdesk: without it nobody writes in. */
  gorgias?: GorgiasFake;
  ordersPerDay?: number;
  /** Share of deliveries Shopify sends twice (same webhook id). Default 0.03. */
  duplicateRate?: number;
  /** Real milliseconds between ticks. Default 200. */
  tickMs?: number;
  /**
   * Whether the app has Shopify's protected customer data access. false: webhooks carry the
   * customers' names, emails, phones and addresses as null, as Shopify sends them. Default true.
   */
  protectedCustomerData?: boolean;
  /**
   * Buyers on the post-purchase page (sandbox/post-purchase.ts): without it nobody sees an offer.
   * Shopify skips the page for manual payments and wallet checkouts (`walletRate` of the rest,
   * default 0.2); on it, each offer is accepted with `acceptRate` (default 0.35), else declined.
   */
  postPurchase?: {
    apiKey: string;
    acceptRate?: number;
    walletRate?: number;
    /** Shopify's clock, which stamps its tokens. Default: the wall clock. */
    now?: () => Date;
    /** Reaches the app's endpoints (default: global fetch to `appUrl`). */
    fetch?: typeof fetch;
  };
  log?: (line: string) => void;
}

type Action =
  | { kind: "order"; due: number; key: string }
  | { kind: "adjustment"; due: number; key: string }
  | { kind: "consent"; due: number; key: string }
  | { kind: "question"; due: number; key: string }
  | { kind: "admin-change"; due: number; key: string; index: number }
  | { kind: "close-ticket"; due: number; key: string; ticketId: number }
  | { kind: "pay"; due: number; key: string; order: SandboxOrder }
  | { kind: "fulfill"; due: number; key: string; order: SandboxOrder }
  | { kind: "scan"; due: number; key: string; fulfillment: SandboxFulfillment }
  | { kind: "wismo"; due: number; key: string; fulfillment: SandboxFulfillment; eventId: number }
  | { kind: "restock"; due: number; key: string; levelId: number }
  | { kind: "recover"; due: number; key: string; checkout: SandboxCheckout };

/** Of the shoppers who reach checkout, the share who leave without ordering. */
const ABANDON_RATE = 0.25;
/** Of those, the share who come back (1 to 30 hours later) and order from the same checkout. */
const RECOVER_RATE = 0.3;

interface PendingSend {
  delivery: WebhookDelivery;
  attempt: number;
  duplicate: boolean;
  notBefore: number;
}

const QUESTIONS = [
  (o: SandboxOrder) => ({
    subject: `Can I change the grind on ${o.name}?`,
    body: `Hi! I just ordered ${o.name} and picked the wrong grind. Could you switch it to whole bean?`,
  }),
  (o: SandboxOrder) => ({
    subject: `Return for ${o.name}`,
    body: `The mug from ${o.name} arrived with a chip. How do I return it?`,
  }),
  (o: SandboxOrder) => ({
    subject: `Discount code on ${o.name}`,
    body: `My LOYAL15 code didn't apply on ${o.name}. Can you refund the difference?`,
  }),
  (o: SandboxOrder) => ({
    subject: `Gift note for ${o.name}`,
    body: `${o.name} is a gift. Could you leave out the receipt and add a note?`,
  }),
  (o: SandboxOrder) => ({
    subject: `Address change for ${o.name}`,
    body: `I moved last week. Can ${o.name} go to my new address?`,
  }),
];

const money = (amount: string) => `$${amount}`;

/** Post-purchase defaults: the share of offers accepted, and of card buyers paying with a wallet. */
export const POST_PURCHASE_ACCEPT_RATE = 0.35;
const POST_PURCHASE_WALLET_RATE = 0.2;

export class StoreDaySimulator {
  readonly store: SandboxStore;
  private readonly options: SimulatorOptions;
  private readonly transport: WebhookTransport;
  private state: SimulatorState;
  private readonly ticketed: Set<number>;
  private speed: number;
  private paused = false;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private lastReal = 0;
  private chain: Promise<void> = Promise.resolve();
  private readonly retries: PendingSend[] = [];
  private readonly adminChanges: {
    topic: "orders/updated" | "customers/update";
    id: number;
    at: number;
  }[] = [];
  private readonly openTickets: { ticketId: number; closeAt: number }[] = [];
  private readonly feedEntries: FeedEntry[] = [];
  private feedSeq = 0;

  constructor(options: SimulatorOptions) {
    if (!options.transport && !options.appUrl)
      throw new Error("StoreDaySimulator needs appUrl or transport");
    this.options = options;
    this.store = options.store;
    this.transport = options.transport ?? httpTransport(options.appUrl!);
    this.state = structuredClone(
      options.state ?? StoreDaySimulator.freshState(options.store, options.seed),
    );
    this.ticketed = new Set(this.state.ticketsOpenedFor);
    this.speed = options.speed ?? 60;
  }

  /** The state of a simulation that has not started: the clock at the store's "now". */
  static freshState(store: SandboxStore, seed: number): SimulatorState {
    const anchor = Date.parse(store.baseDate);
    const after = (key: string, min: number, max: number) =>
      isoUtc(anchor + Math.round(between(keyed(seed, "first", key), min, max)));
    return {
      version: 1,
      seed,
      anchor: store.baseDate,
      now: store.baseDate,
      counters: { orders: 0, adjustments: 0, consents: 0, questions: 0, deliveries: 0 },
      // Someone is already at the checkout: the first order comes within minutes.
      next: {
        order: after("order", 1 * MINUTE_MS, 3 * MINUTE_MS),
        adjustment: after("adjustment", 20 * MINUTE_MS, 60 * MINUTE_MS),
        consent: after("consent", 60 * MINUTE_MS, 180 * MINUTE_MS),
        question: after("question", 30 * MINUTE_MS, 90 * MINUTE_MS),
      },
      ticketsOpenedFor: [],
      stats: { delivered: 0, duplicates: 0, retried: 0, failed: 0 },
    };
  }

  /** The simulated clock, in milliseconds. */
  now(): number {
    return Date.parse(this.state.now);
  }

  /** A copy of what must be saved to resume. */
  snapshotState(): SimulatorState {
    return structuredClone({ ...this.state, ticketsOpenedFor: [...this.ticketed] });
  }

  status() {
    const now = this.now();
    return {
      running: this.running,
      paused: this.paused,
      speed: this.speed,
      storeTime: toShopLocal(isoUtc(now), this.store.shop.ianaTimezone),
      /** The shop's IANA zone, which storeTime is in (the clock names it). */
      timeZone: this.store.shop.ianaTimezone,
      day: Math.floor((now - Date.parse(this.state.anchor)) / DAY_MS) + 1,
      ordersPlaced: this.state.counters.orders,
      ...this.state.stats,
      pendingRetries: this.retries.filter((r) => !r.duplicate).length,
      openTickets: this.openTickets.length,
    };
  }

  /** Newest first. */
  feed(limit = 100): FeedEntry[] {
    return this.feedEntries.slice(-limit).reverse();
  }

  /** Starts pacing the simulation against the wall clock. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.lastReal = Date.now();
    this.schedule();
  }

  /** Stops pacing and waits for the delivery in flight; queued retries are dropped. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.chain;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.lastReal = Date.now();
  }

  setSpeed(speed: number): void {
    if (!Number.isFinite(speed) || speed <= 0) throw new Error("speed must be a positive number");
    this.speed = speed;
  }

  /** Runs everything due up to `until` (simulated ms), delivering as it goes. */
  advanceTo(until: number): Promise<void> {
    const run = this.chain.then(async () => {
      for (;;) {
        const action = this.nextDue(until);
        if (!action) break;
        this.state.now = isoUtc(Math.max(this.now(), action.due));
        await this.perform(action);
      }
      if (until > this.now()) this.state.now = isoUtc(until);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.now() + ms);
  }

  /** Delivers queued retries and duplicates; `all` ignores their delay (tests, shutdown). */
  deliverQueued(options: { all?: boolean } = {}): Promise<void> {
    const run = this.chain.then(async () => {
      const due = this.retries.filter((r) => options.all || r.notBefore <= Date.now());
      for (const entry of due) {
        this.retries.splice(this.retries.indexOf(entry), 1);
        await this.send(entry.delivery, entry.attempt, entry.duplicate);
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The Admin API fake changed an order's or customer's tags: Shopify follows up with a webhook. */
  handleAdminMutation(event: AdminMutationEvent): void {
    const parsed = parseGid(event.id);
    if (!parsed || event.shop !== this.store.shop.domain) return;
    if (event.type === "Order")
      this.adminChanges.push({ topic: "orders/updated", id: parsed.id, at: this.now() });
    else if (event.type === "Customer")
      this.adminChanges.push({ topic: "customers/update", id: parsed.id, at: this.now() });
  }

  // -------------------------------------------------------------------------------------------

  private schedule() {
    this.timer = setTimeout(() => void this.tick(), this.options.tickMs ?? 200);
  }

  private async tick() {
    const real = Date.now();
    // After a laptop sleep, carry on instead of replaying hours in one burst.
    const elapsed = Math.min(real - this.lastReal, 2_000);
    this.lastReal = real;
    try {
      if (!this.paused) await this.advanceTo(this.now() + Math.round(elapsed * this.speed));
      await this.deliverQueued();
    } catch (error) {
      this.log(`[simulator] ${error instanceof Error ? error.stack : String(error)}`);
    }
    if (this.running) this.schedule();
  }

  private log(line: string) {
    this.options.log?.(line);
  }

  private get seed() {
    return this.state.seed;
  }

  /** The earliest action due by `until` (ties broken by key, so the order never depends on timing). */
  private nextDue(until: number): Action | null {
    let best: Action | null = null;
    const consider = (action: Action) => {
      if (action.due > until) return;
      if (!best || action.due < best.due || (action.due === best.due && action.key < best.key))
        best = action;
    };
    const anchor = Date.parse(this.state.anchor);
    const seed = this.seed;
    const spread = (key: string, id: number | string, min: number, max: number) =>
      Math.round(between(keyed(seed, key, id), min, max));

    consider({ kind: "order", due: Date.parse(this.state.next.order), key: "a:order" });
    consider({
      kind: "adjustment",
      due: Date.parse(this.state.next.adjustment),
      key: "a:adjustment",
    });
    consider({ kind: "consent", due: Date.parse(this.state.next.consent), key: "a:consent" });
    if (this.options.gorgias)
      consider({ kind: "question", due: Date.parse(this.state.next.question), key: "a:question" });
    this.adminChanges.forEach((change, index) =>
      consider({ kind: "admin-change", due: change.at, key: `b:${index}`, index }),
    );
    for (const ticket of this.openTickets)
      consider({
        kind: "close-ticket",
        due: ticket.closeAt,
        key: `c:${ticket.ticketId}`,
        ticketId: ticket.ticketId,
      });

    for (const order of this.store.orders) {
      if (order.cancelledAt || Date.parse(order.createdAt) < until - 14 * DAY_MS) continue;
      const start = Math.max(Date.parse(order.createdAt), anchor);
      if (order.financialStatus === "pending" || order.financialStatus === "authorized") {
        consider({
          kind: "pay",
          due: start + spread("pay", order.id, 20 * MINUTE_MS, 6 * HOUR_MS),
          key: `d:${order.id}`,
          order,
        });
      } else if (
        order.financialStatus === "paid" &&
        order.fulfillmentStatus !== "fulfilled" &&
        unfulfilledLines(this.store, order).length > 0
      ) {
        consider({
          kind: "fulfill",
          due: start + spread("fulfill", order.id, 2 * HOUR_MS, 16 * HOUR_MS),
          key: `e:${order.id}`,
          order,
        });
      }
    }
    for (const fulfillment of this.store.fulfillments) {
      if (
        fulfillment.status !== "success" ||
        Date.parse(fulfillment.createdAt) < until - 21 * DAY_MS
      )
        continue;
      const last = fulfillment.events[fulfillment.events.length - 1];
      const step = nextShipmentStep(
        fulfillment,
        keyed(seed, "scan", fulfillment.id, fulfillment.events.length),
      );
      if (step) {
        // A parcel whose next scan was already due before the simulation began gets it soon after.
        let due = Date.parse(last?.happenedAt ?? fulfillment.createdAt) + step.afterMs;
        if (due < anchor)
          due = anchor + spread("scan-backlog", fulfillment.id, 10 * MINUTE_MS, 8 * HOUR_MS);
        consider({ kind: "scan", due, key: `f:${fulfillment.id}`, fulfillment });
      }
      if (
        this.options.gorgias &&
        last &&
        TROUBLED_SHIPMENT_STATUSES.has(last.status) &&
        Date.parse(last.createdAt) >= anchor &&
        !this.ticketed.has(last.id) &&
        keyed(seed, "wismo", last.id)() < 0.65
      ) {
        consider({
          kind: "wismo",
          due: Date.parse(last.happenedAt) + spread("wismo-after", last.id, HOUR_MS, 5 * HOUR_MS),
          key: `g:${last.id}`,
          fulfillment,
          eventId: last.id,
        });
      }
    }
    for (const checkout of this.store.checkouts ?? []) {
      if (checkout.completedAt || checkout.closedAt) continue;
      if (keyed(seed, "recover", checkout.id)() >= RECOVER_RATE) continue;
      consider({
        kind: "recover",
        due:
          Date.parse(checkout.updatedAt) +
          spread("recover-after", checkout.id, HOUR_MS, 30 * HOUR_MS),
        key: `i:${checkout.id}`,
        checkout,
      });
    }
    for (const level of this.store.inventoryLevels) {
      if (level.locationId !== this.store.shop.primaryLocationId || level.quantities.available > 2)
        continue;
      const since = Math.max(Date.parse(level.updatedAt), anchor);
      consider({
        kind: "restock",
        due: since + spread("restock", `${level.id}:${level.updatedAt}`, 4 * HOUR_MS, 12 * HOUR_MS),
        key: `h:${level.id}`,
        levelId: level.id,
      });
    }
    return best;
  }

  private async perform(action: Action): Promise<void> {
    const at = action.due;
    const seed = this.seed;
    const counters = this.state.counters;
    switch (action.kind) {
      case "order": {
        // Some shoppers leave at checkout: the app hears checkouts/create and no order. Not the
        // first one: a new store's first order comes within minutes, whatever the hour.
        if (counters.orders > 0 && keyed(seed, "abandon", this.state.next.order)() < ABANDON_RATE) {
          const left = abandonCheckout(
            this.store,
            keyed(seed, "abandon-cart", this.state.next.order),
            at,
          );
          this.state.next.order = isoUtc(
            at +
              nextOrderGapMs(
                this.store,
                at,
                keyed(seed, "abandon-gap", this.state.next.order),
                this.options.ordersPerDay ?? 48,
              ),
          );
          if (left)
            await this.emit(
              "checkouts/create",
              { checkoutId: left.id },
              `checkout ${left.id} left · ${left.lines.length} item${left.lines.length === 1 ? "" : "s"}`,
            );
          return;
        }
        const placed = placeOrder(this.store, keyed(seed, "order", counters.orders), at);
        counters.orders += 1;
        this.state.next.order = isoUtc(
          at +
            nextOrderGapMs(
              this.store,
              at,
              keyed(seed, "order-gap", counters.orders),
              this.options.ordersPerDay ?? 48,
            ),
        );
        if (!placed) return;
        const { order } = placed;
        await this.emit(
          "orders/create",
          { orderId: order.id },
          this.orderSummary(order, placed.vipSized ? "VIP-sized" : undefined),
        );
        for (const level of placed.levels)
          await this.emitInventory(level.inventoryItemId, level.locationId);
        if (order.financialStatus === "paid")
          await this.emit("orders/paid", { orderId: order.id }, this.orderSummary(order));
        await this.customerChanged(order, at);
        await this.postPurchasePage(order, at);
        return;
      }
      case "recover": {
        const { checkout } = action;
        const placed = placeOrder(
          this.store,
          keyed(seed, "recover-order", checkout.id),
          at,
          checkout,
        );
        if (!placed) {
          // Nothing in it is in stock any more: they do not come back.
          checkout.closedAt = isoUtc(at);
          return;
        }
        const { order } = placed;
        checkout.completedAt = isoUtc(at);
        checkout.updatedAt = isoUtc(at);
        checkout.orderId = order.id;
        await this.emit(
          "orders/create",
          { orderId: order.id },
          this.orderSummary(order, "from an abandoned checkout"),
        );
        for (const level of placed.levels)
          await this.emitInventory(level.inventoryItemId, level.locationId);
        if (order.financialStatus === "paid")
          await this.emit("orders/paid", { orderId: order.id }, this.orderSummary(order));
        await this.emit(
          "checkouts/update",
          { checkoutId: checkout.id },
          `checkout ${checkout.id} · completed (${order.name})`,
        );
        await this.customerChanged(order, at);
        await this.postPurchasePage(order, at);
        return;
      }
      case "pay":
        capturePayment(action.order, at);
        await this.emit(
          "orders/paid",
          { orderId: action.order.id },
          this.orderSummary(action.order, "payment captured"),
        );
        await this.emit(
          "orders/updated",
          { orderId: action.order.id },
          this.orderSummary(action.order),
        );
        await this.customerChanged(action.order, at);
        return;
      case "fulfill": {
        const shipped = fulfillOrder(
          this.store,
          action.order,
          at,
          keyed(seed, "fulfillment", action.order.id, action.order.fulfillmentStatus ?? "none"),
        );
        if (!shipped) return;
        const { fulfillment, event } = shipped;
        const tracking =
          `${fulfillment.trackingCompany} ${fulfillment.trackingNumbers[0] ?? ""}`.trim();
        await this.emit(
          "fulfillments/create",
          { fulfillmentId: fulfillment.id },
          `${fulfillment.name} · ${tracking}`,
        );
        await this.emit(
          "fulfillment_events/create",
          { eventId: event.id },
          `${fulfillment.name} · confirmed`,
        );
        if (action.order.fulfillmentStatus === "fulfilled")
          await this.emit(
            "orders/fulfilled",
            { orderId: action.order.id },
            this.orderSummary(action.order),
          );
        await this.emit(
          "orders/updated",
          { orderId: action.order.id },
          this.orderSummary(action.order),
        );
        return;
      }
      case "scan": {
        const { fulfillment } = action;
        const step = nextShipmentStep(
          fulfillment,
          keyed(seed, "scan", fulfillment.id, fulfillment.events.length),
        );
        if (!step) return;
        const event = addShipmentEvent(
          this.store,
          fulfillment,
          step.status,
          at,
          keyed(seed, "scan-place", fulfillment.id, fulfillment.events.length),
        );
        const label = step.status.replace(/_/g, " ");
        await this.emit(
          "fulfillment_events/create",
          { eventId: event.id },
          `${fulfillment.name} · ${label}`,
        );
        await this.emit(
          "fulfillments/update",
          { fulfillmentId: fulfillment.id },
          `${fulfillment.name} · ${label}`,
        );
        return;
      }
      case "restock": {
        const level = indexStore(this.store).inventoryLevels.get(action.levelId);
        if (!level) return;
        receiveStock(
          level,
          intBetween(keyed(seed, "restock-qty", `${level.id}:${level.updatedAt}`), 18, 48),
          at,
        );
        await this.emitInventory(level.inventoryItemId, level.locationId, "restocked");
        return;
      }
      case "adjustment": {
        const rand = keyed(seed, "adjustment", counters.adjustments);
        counters.adjustments += 1;
        this.state.next.adjustment = isoUtc(
          at + Math.round(between(rand, 40 * MINUTE_MS, 2 * HOUR_MS)),
        );
        const primary = this.store.shop.primaryLocationId;
        const roll = rand();
        const levels = this.store.inventoryLevels;
        let note: string;
        let level;
        let delta: number;
        if (roll < 0.3) {
          const shelf = levels.filter(
            (l) => l.locationId !== primary && l.quantities.available > 0,
          );
          if (shelf.length === 0) return;
          level = pick(rand, shelf);
          delta = -1;
          note = "sold in the shop";
        } else if (roll < 0.85) {
          // Cycle counts find shrinkage, mostly on items already running low.
          const low = levels.filter(
            (l) =>
              l.locationId === primary &&
              l.quantities.available >= 3 &&
              l.quantities.available <= 10,
          );
          const any = levels.filter((l) => l.locationId === primary && l.quantities.available >= 2);
          const pool = low.length > 0 && rand() < 0.7 ? low : any;
          if (pool.length === 0) return;
          level = pick(rand, pool);
          delta = -Math.min(level.quantities.available, intBetween(rand, 1, 4));
          note = "stock count";
        } else {
          level = pick(
            rand,
            levels.filter((l) => l.locationId === primary),
          );
          delta = intBetween(rand, 2, 6);
          note = "found in the back";
        }
        changeAvailable(level, delta, at);
        await this.emitInventory(
          level.inventoryItemId,
          level.locationId,
          `${delta > 0 ? "+" : ""}${delta}, ${note}`,
        );
        return;
      }
      case "consent": {
        const rand = keyed(seed, "consent", counters.consents);
        counters.consents += 1;
        this.state.next.consent = isoUtc(
          at + Math.round(between(rand, 90 * MINUTE_MS, 4 * HOUR_MS)),
        );
        const customer = pick(rand, this.store.customers);
        const now = toggleEmailConsent(customer, at);
        await this.emit(
          "customers/update",
          { customerId: customer.id },
          `${this.customerName(customer)} · ${now} to email`,
        );
        return;
      }
      case "question": {
        const rand = keyed(seed, "question", counters.questions);
        counters.questions += 1;
        this.state.next.question = isoUtc(at + Math.round(between(rand, 2 * HOUR_MS, 6 * HOUR_MS)));
        const recent = this.store.orders.filter(
          (o) => !o.cancelledAt && Date.parse(o.createdAt) >= at - 30 * DAY_MS,
        );
        if (recent.length === 0) return;
        const order = pick(rand, recent);
        const { subject, body } = pick(rand, QUESTIONS)(order);
        this.openTicket(
          order,
          subject,
          body,
          at + Math.round(between(rand, HOUR_MS, 8 * HOUR_MS)),
          rand() < 0.3 ? "chat" : "email",
          [],
        );
        return;
      }
      case "wismo": {
        this.ticketed.add(action.eventId);
        const order = indexStore(this.store).orders.get(action.fulfillment.orderId);
        const event = action.fulfillment.events.find((e) => e.id === action.eventId);
        if (!order || !event) return;
        const rand = keyed(seed, "wismo-ticket", action.eventId);
        this.openTicket(
          order,
          `Where is my order ${order.name}?`,
          `The tracking for ${order.name} (${action.fulfillment.trackingCompany} ${action.fulfillment.trackingNumbers[0] ?? ""}) says "${event.message}". When will it arrive?`,
          at + Math.round(between(rand, 2 * HOUR_MS, 10 * HOUR_MS)),
          "email",
          ["wismo"],
        );
        return;
      }
      case "close-ticket": {
        this.openTickets.splice(
          this.openTickets.findIndex((t) => t.ticketId === action.ticketId),
          1,
        );
        const gorgias = this.options.gorgias;
        if (!gorgias) return;
        try {
          gorgias.addMessage(action.ticketId, {
            from: "agent",
            text: "Thanks for reaching out, this is sorted now. Have a great day!",
          });
          const ticket = gorgias.closeTicket(action.ticketId);
          this.record(
            {
              kind: "helpdesk",
              title: "ticket closed",
              detail: `#${ticket.id} · ${ticket.subject ?? ""}`,
            },
            at,
          );
        } catch (error) {
          this.log(
            `[simulator] could not close Gorgias ticket ${action.ticketId}: ${(error as Error).message}`,
          );
        }
        return;
      }
      case "admin-change": {
        const [change] = this.adminChanges.splice(action.index, 1);
        if (!change) return;
        if (change.topic === "orders/updated") {
          const order = indexStore(this.store).orders.get(change.id);
          if (order)
            await this.emit(
              "orders/updated",
              { orderId: order.id },
              this.orderSummary(order, `tags: ${order.tags.join(", ") || "none"}`),
            );
        } else {
          const customer = indexStore(this.store).customers.get(change.id);
          if (customer)
            await this.emit(
              "customers/update",
              { customerId: customer.id },
              `${this.customerName(customer)} · tags: ${customer.tags.join(", ") || "none"}`,
            );
        }
        return;
      }
    }
  }

  private openTicket(
    order: SandboxOrder,
    subject: string,
    body: string,
    closeAt: number,
    channel: string,
    tags: string[],
  ) {
    const gorgias = this.options.gorgias;
    if (!gorgias) return;
    const customer = order.customerId
      ? indexStore(this.store).customers.get(order.customerId)
      : undefined;
    const name = customer
      ? this.customerName(customer)
      : [order.shippingAddress?.firstName, order.shippingAddress?.lastName]
          .filter(Boolean)
          .join(" ");
    try {
      const ticket = gorgias.openTicket({
        customer: { email: order.email, ...(name ? { name } : {}) },
        subject,
        body,
        channel,
        tags,
      });
      this.openTickets.push({ ticketId: ticket.id, closeAt });
      this.record(
        {
          kind: "helpdesk",
          title: "ticket opened",
          detail: `#${ticket.id} · ${subject} (${order.email})`,
        },
        this.now(),
      );
    } catch (error) {
      this.log(`[simulator] could not open a Gorgias ticket: ${(error as Error).message}`);
    }
  }

  private async customerChanged(order: SandboxOrder, at: number) {
    const customer = order.customerId
      ? indexStore(this.store).customers.get(order.customerId)
      : undefined;
    if (!customer) return;
    refreshCustomerTags(this.store, customer, at);
    const stats = customerStats(this.store, customer.id);
    await this.emit(
      "customers/update",
      { customerId: customer.id },
      `${this.customerName(customer)} · ${stats.ordersCount} orders, $${(stats.totalSpentCents / 100).toFixed(2)}`,
    );
  }

  private customerName(customer: SandboxCustomer) {
    return `${customer.firstName} ${customer.lastName}`;
  }

  private orderSummary(order: SandboxOrder, note?: string) {
    const customer = order.customerId
      ? indexStore(this.store).customers.get(order.customerId)
      : undefined;
    const who = customer
      ? `${this.customerName(customer)} (${customerStats(this.store, customer.id).ordersCount} orders)`
      : "guest";
    return [order.name, money(order.totals.total.shop), who, note].filter(Boolean).join(" · ");
  }

  /**
   * The buyer of `order` on the post-purchase page, when it is set up: a manual payment or a
   * wallet checkout skips the page; otherwise the shopper answers each offer the app makes
   * (sandbox/post-purchase.ts). An applied changeset reaches the app as Shopify sends it:
   * orders/edited, the stock it reserved, then orders/updated with the added line.
   */
  private async postPurchasePage(order: SandboxOrder, at: number): Promise<void> {
    const page = this.options.postPurchase;
    if (!page || order.financialStatus === "pending") return;
    const rand = keyed(this.seed, "post-purchase", order.id);
    if (rand() < (page.walletRate ?? POST_PURCHASE_WALLET_RATE)) return;
    let visit: PostPurchaseVisit;
    try {
      visit = await visitPostPurchasePage({
        store: this.store,
        order,
        appUrl: this.options.appUrl ?? "",
        apiKey: page.apiKey,
        apiSecret: this.options.apiSecret,
        acceptRate: page.acceptRate ?? POST_PURCHASE_ACCEPT_RATE,
        rand,
        now: page.now ?? (() => new Date()),
        at,
        fetch: page.fetch,
      });
    } catch (error) {
      // The app did not answer: Shopify moves the buyer on to the thank-you page.
      this.log(
        `[simulator] post-purchase page for ${order.name}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    const customer = order.customerId
      ? indexStore(this.store).customers.get(order.customerId)
      : undefined;
    const who = customer ? this.customerName(customer) : "a guest";
    for (const answer of visit.answers) {
      const { offer } = answer;
      const what = `${offer.productTitle}${offer.variantTitle ? ` (${offer.variantTitle})` : ""} for ${money(offer.discountedPrice)}`;
      this.record(
        {
          kind: "shopper",
          title: `offer ${answer.answer}`,
          detail: `${order.name} · ${who} ${answer.answer === "refused" ? `accepted ${what}, Shopify could not add it: ${answer.reason}` : `${answer.answer} ${what}`}`,
        },
        at,
      );
      if (answer.answer === "accepted") await this.announceChangeset(order, answer.applied);
    }
  }

  /**
   * Shopify's applyChangeset for a buyer on the sandbox checkout page (sandbox/admin/checkout.ts):
   * the app's token is verified and applied to the order, and the webhooks follow. Throws
   * ChangesetRefused.
   */
  applyChangesetFromPage(orderId: number, token: string, apiKey: string): Promise<void> {
    const run = this.chain.then(async () => {
      const order = this.store.orders.find((o) => o.id === orderId);
      if (!order) throw new ChangesetRefused(`no order ${orderId}`);
      const applied = await applyChangeset(this.store, order, token, {
        apiKey,
        apiSecret: this.options.apiSecret,
        at: this.now(),
        now: this.options.postPurchase?.now?.() ?? new Date(),
      });
      this.record(
        {
          kind: "shopper",
          title: "offer accepted",
          detail: `${order.name} · ${applied.lines.map((line) => line.name).join(", ")} accepted on the checkout page`,
        },
        this.now(),
      );
      await this.announceChangeset(order, applied);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** What Shopify sends after applying a changeset: orders/edited, the stock, orders/updated. */
  private async announceChangeset(order: SandboxOrder, applied: AppliedChangeset) {
    await this.emit(
      "orders/edited",
      { editId: applied.edit.id },
      `${order.name} · ${applied.lines.map((line) => line.name).join(", ")} added after checkout`,
    );
    for (const level of applied.levels)
      await this.emitInventory(level.inventoryItemId, level.locationId);
    await this.emit(
      "orders/updated",
      { orderId: order.id },
      this.orderSummary(order, "post-purchase offer added"),
    );
  }

  private emitInventory(inventoryItemId: number, locationId: number, note?: string) {
    const index = indexStore(this.store);
    const item = index.inventoryItems.get(inventoryItemId);
    const level = (index.levelsByItem.get(inventoryItemId) ?? []).find(
      (l) => l.locationId === locationId,
    );
    const location = index.locations.get(locationId);
    const summary = `${item?.sku ?? inventoryItemId} @ ${location?.name ?? locationId}: ${level?.quantities.available ?? "?"} available${note ? ` (${note})` : ""}`;
    return this.emit("inventory_levels/update", { inventoryItemId, locationId }, summary);
  }

  /** The payload as Shopify would send it to this app (protected fields withheld without access). */
  private payloadFor<T extends WebhookTopic>(topic: T, subject: WebhookSubjects[T]) {
    const payload = webhookPayload(this.store, topic, subject);
    return this.options.protectedCustomerData === false
      ? withholdProtectedCustomerData(topic, payload)
      : payload;
  }

  private async emit<T extends WebhookTopic>(
    topic: T,
    subject: WebhookSubjects[T],
    summary: string,
  ): Promise<void> {
    const counters = this.state.counters;
    const delivery: WebhookDelivery = {
      topic,
      shop: this.store.shop.domain,
      webhookId: randomUUID(),
      eventId: randomUUID(),
      triggeredAt: new Date(this.now()).toISOString(),
      body: JSON.stringify(this.payloadFor(topic, subject)),
      summary,
    };
    const duplicate =
      keyed(this.seed, "duplicate", counters.deliveries)() < (this.options.duplicateRate ?? 0.03);
    counters.deliveries += 1;
    await this.send(delivery, 1, false);
    if (duplicate)
      this.retries.push({
        delivery,
        attempt: 1,
        duplicate: true,
        notBefore:
          Date.now() +
          intBetween(keyed(this.seed, "duplicate-delay", counters.deliveries), 1_000, 4_000),
      });
  }

  /**
   * Practice: one signed orders/create whose body is JSON but not an order Shopify would send
   * (its line items are a string). The app should keep it with the reason, visible in Activity,
   * and answer 200 so it is not retried. Returns the webhook id.
   */
  async sendMalformedOrder(): Promise<string> {
    const counters = this.state.counters;
    const orderId = 9_000_000_000_000 + counters.deliveries;
    const delivery: WebhookDelivery = {
      topic: "orders/create",
      shop: this.store.shop.domain,
      webhookId: randomUUID(),
      eventId: randomUUID(),
      triggeredAt: new Date(this.now()).toISOString(),
      body: JSON.stringify({
        id: orderId,
        name: "#PRACTICE",
        created_at: new Date(this.now()).toISOString(),
        line_items: "not a list of line items",
      }),
      summary: "A malformed order (practice): its line items are not a list",
    };
    counters.deliveries += 1;
    await this.send(delivery, 1, false);
    return delivery.webhookId;
  }

  private async send(
    delivery: WebhookDelivery,
    attempt: number,
    duplicate: boolean,
  ): Promise<void> {
    let status: number | null = null;
    let error: string | undefined;
    try {
      status = await this.transport(
        delivery,
        signedDeliveryHeaders(delivery, this.options.apiSecret),
      );
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    const ok = status !== null && status >= 200 && status < 300;
    const stats = this.state.stats;
    if (duplicate) stats.duplicates += 1;
    else if (ok) stats.delivered += 1;
    if (attempt > 1) stats.retried += 1;
    this.record(
      {
        kind: "webhook",
        title: delivery.topic,
        detail: delivery.summary + (error ? ` — ${error}` : ""),
        status,
        attempt,
        duplicate,
        webhookId: delivery.webhookId,
      },
      Date.parse(delivery.triggeredAt),
    );
    if (!ok && !duplicate) {
      // Shopify retries a failed delivery with the same webhook id, backing off; so do we (faster).
      if (attempt < 6)
        this.retries.push({
          delivery,
          attempt: attempt + 1,
          duplicate: false,
          notBefore: Date.now() + 1_000 * 2 ** (attempt - 1),
        });
      else {
        stats.failed += 1;
        this.log(
          `[simulator] gave up on ${delivery.topic} ${delivery.webhookId} after ${attempt} attempts (${error ?? `HTTP ${status}`})`,
        );
      }
    }
  }

  private record(entry: Omit<FeedEntry, "seq" | "at" | "storeTime">, simAt: number) {
    this.feedSeq += 1;
    this.feedEntries.push({
      ...entry,
      seq: this.feedSeq,
      at: new Date().toISOString(),
      storeTime: toShopLocal(isoUtc(simAt), this.store.shop.ianaTimezone),
    });
    if (this.feedEntries.length > 500) this.feedEntries.splice(0, this.feedEntries.length - 500);
  }
}

// ---------------------------------------------------------------------------------------------
// Standalone: `npx tsx sandbox/simulator.ts --app http://localhost:3000 [--seed 1] [--speed 60]`
// drives any running Switchboard with an in-memory store (no Admin API or helpdesk fakes; use
// `npm run demo` for the whole sandbox).

function flag(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

async function main(args: string[]) {
  const appUrl = flag(args, "app") ?? "http://localhost:3000";
  const seed = Number(flag(args, "seed") ?? 1);
  const speed = Number(flag(args, "speed") ?? 60);
  const hours = flag(args, "hours");
  const store = createSandboxStore({
    seed,
    baseDate: new Date(Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS),
  });
  const simulator = new StoreDaySimulator({
    store,
    appUrl,
    seed,
    speed,
    apiSecret: process.env.SHOPIFY_API_SECRET || "local-dev-api-secret",
    log: (line) => console.error(line),
  });
  let shown = 0;
  const report = () => {
    for (const entry of simulator.feed(500).reverse()) {
      if (entry.seq <= shown) continue;
      shown = entry.seq;
      console.log(
        `${entry.storeTime}  ${String(entry.status ?? "—").padEnd(3)} ${entry.title.padEnd(26)} ${entry.detail}${entry.duplicate ? " (duplicate)" : ""}`,
      );
    }
  };
  if (hours) {
    await simulator.advanceBy(Number(hours) * HOUR_MS);
    await simulator.deliverQueued({ all: true });
    report();
    return;
  }
  console.log(
    `Simulating ${store.shop.domain} for ${appUrl} at ${speed}x (seed ${seed}). Ctrl-C stops.`,
  );
  simulator.start();
  const printer = setInterval(report, 1_000);
  const stop = async () => {
    clearInterval(printer);
    await simulator.stop();
    report();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
