import { z } from "zod";
import { LOCALES } from "../i18n/locale";
import type { ExecuteSql } from "../db.server";
import { shopifyIdSchema } from "../utils/shopify-id";
// The vendors deliveries go to; each has one deliver-<vendor> task.
import { DELIVERY_VENDORS, type DeliveryVendor } from "../../db/schema/deliveries";

/**
 * What it takes to enqueue each task — its name, payload schema and job key — without its
 * executor (docs/decisions/013-composition-root-and-task-contracts.md). Enqueuers import these;
 * the executors in app/jobs/tasks/ extend them with `run`. A leaf: zod and types only.
 */

export interface TaskContract<Schema extends z.ZodType = z.ZodType> {
  /** Task identifier: kebab `<verb>-<object>`, also the pg-boss queue name. */
  name: string;
  payloadSchema: Schema;
  /** The source-id part of the deterministic job key `<task>:<shop>:<source id>`. */
  sourceId(payload: z.output<Schema>): string;
  shop(payload: z.output<Schema>): string | null;
}

const contract = <Schema extends z.ZodType>(task: TaskContract<Schema>): TaskContract<Schema> =>
  task;

export function jobKey(task: TaskContract<any>, payload: unknown): string {
  return `${task.name}:${task.shop(payload) ?? "-"}:${task.sourceId(payload)}`;
}

export interface EnqueueOptions {
  /** Run inside the caller's transaction, so the job exists only if the transaction commits. */
  executeSql?: ExecuteSql;
  /** An instant: the job starts once the database's clock reaches it. */
  startAfter?: Date;
  /**
   * A wait from now, counted by the database (whose clock decides when jobs start), so a
   * process whose clock is off by a few seconds still waits the full time.
   */
  delaySeconds?: number;
  /** Overrides the derived key (replays use `<key>:replay:<n>`). */
  key?: string;
}

/** Enqueues jobs by contract: the job queue, handed to whoever needs to enqueue. */
export interface Enqueuer {
  /** Validates and enqueues one job; returns its id (the same id for the same key). */
  enqueue<T extends TaskContract>(
    task: T,
    payload: z.input<T["payloadSchema"]>,
    options?: EnqueueOptions,
  ): Promise<string>;
  enqueueMany<T extends TaskContract>(
    task: T,
    payloads: z.input<T["payloadSchema"]>[],
    options?: EnqueueOptions,
  ): Promise<string[]>;
}

const shop = z.string().min(1);

/** A stored webhook event to apply to the read model. */
export const processWebhookTask = contract({
  name: "process-webhook",
  payloadSchema: z.object({
    eventId: z.number().int(),
    shop: z.string(),
    topic: z.string(),
    webhookId: z.string(),
  }),
  sourceId: (payload) => payload.webhookId,
  shop: (payload) => payload.shop,
});

/** An inventory item whose variant is not known yet, to look up in Shopify. */
export const syncInventoryItemTask = contract({
  name: "sync-inventory-item",
  payloadSchema: z.object({ shop: z.string(), inventoryItemId: shopifyIdSchema }),
  sourceId: (p) => String(p.inventoryItemId),
  shop: (p) => p.shop,
});

/**
 * An order edit Shopify committed (orders/edited) while a post-purchase offer waits for its
 * charge: read the order from Shopify and charge the offers its lines confirm.
 */
export const confirmUpsellChargeTask = contract({
  name: "confirm-upsell-charge",
  payloadSchema: z.object({ shop, orderId: shopifyIdSchema, editId: shopifyIdSchema }),
  sourceId: (p) => `${p.orderId}/${p.editId}`,
  shop: (p) => p.shop,
});

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** What a run of the shop's recipes is about. Ids only (never emails): they sit in the job table. */
export const runRecipesPayload = z.discriminatedUnion("type", [
  z.object({ type: z.literal("webhook"), shop, eventId: z.number().int().positive() }),
  z.object({
    type: z.literal("ticket"),
    shop,
    ticketId: z.number().int().positive(),
    status: z.enum(["open", "closed"]),
    at: z.iso.datetime({ offset: true }),
  }),
  z.object({ type: z.literal("daily"), shop, date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
  z.object({
    type: z.literal("follow-up"),
    shop,
    recipe: z.string().min(1),
    name: z.string().min(1),
    subject: z.string().min(1),
    dueAt: z.iso.datetime({ offset: true }),
    attempt: z.number().int().min(1).default(1),
    data: z.record(z.string(), scalar).default({}),
  }),
]);
export type RunRecipesPayload = z.input<typeof runRecipesPayload>;

export function runRecipesSourceId(p: z.output<typeof runRecipesPayload>): string {
  switch (p.type) {
    case "webhook":
      return `webhook/${p.eventId}`;
    case "ticket":
      return `ticket/${p.ticketId}/${p.status}/${Date.parse(p.at)}`;
    case "daily":
      return `daily/${p.date}`;
    case "follow-up":
      return `follow-up/${p.recipe}/${p.name}/${p.subject}/${p.attempt}`;
  }
}

/** The shop's enabled recipes on one event: a processed webhook, a ticket change, the daily scan, a due follow-up. */
export const runRecipesTask = contract({
  name: "run-recipes",
  payloadSchema: runRecipesPayload,
  sourceId: runRecipesSourceId,
  shop: (p) => p.shop,
});

export type { DeliveryVendor };

const deliveryPayload = z.object({ shop: z.string().min(1), sourceId: z.string().min(1) });
export type DeliveryPayload = z.output<typeof deliveryPayload>;

/**
 * One outbound side effect. The job key is the delivery's idempotency key; the payload carries
 * no customer data (that lives in the deliveries row).
 */
export function deliveryTask(vendor: DeliveryVendor) {
  return DELIVERY_TASKS[vendor];
}

const DELIVERY_TASKS = Object.fromEntries(
  DELIVERY_VENDORS.map((vendor) => [
    vendor,
    contract({
      name: `deliver-${vendor}`,
      payloadSchema: deliveryPayload,
      sourceId: (p) => p.sourceId,
      shop: (p) => p.shop,
    }),
  ]),
) as Record<DeliveryVendor, TaskContract<typeof deliveryPayload>>;

/** A finished job's row to delete (what shop/redact leaves of itself). */
export const forgetJobTask = contract({
  name: "forget-job",
  payloadSchema: z.object({ queue: z.string().min(1), jobId: z.string().uuid() }),
  sourceId: ({ jobId }) => jobId,
  shop: () => null,
});

/**
 * The daily purge of expired data (docs/decisions/015-retention.md). Without a shop: the day's
 * walk over every shop, which enqueues one job per shop and the next day's walk. With a shop:
 * that shop's expired rows, in small batches; `round` counts the continuations of a shop whose
 * backlog did not fit in one job.
 */
export const purgeExpiredDataTask = contract({
  name: "purge-expired-data",
  payloadSchema: z.object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    shop: shop.optional(),
    round: z.number().int().min(1).default(1),
  }),
  sourceId: (p) => (p.round > 1 ? `${p.date}/${p.round}` : p.date),
  shop: (p) => p.shop ?? null,
});

/**
 * A few pages of a shop's open-ticket import from Gorgias (connecting starts it; each step
 * enqueues the next). The cursor lives in gorgias_ticket_imports, so a retry resumes there.
 */
export const importGorgiasTicketsTask = contract({
  name: "import-gorgias-tickets",
  payloadSchema: z.object({ shop, importId: z.string().min(1), step: z.number().int().min(0) }),
  sourceId: (p) => `${p.importId}/${p.step}`,
  shop: (p) => p.shop,
});

/**
 * One step of a shop's history import (Shopify Bulk Operations): start the phase's bulk
 * operation, wait for it (the bulk_operations/finish webhook enqueues the next step at once;
 * otherwise the step polls), then stream its JSONL into the read model. The checkpoint lives in
 * history_imports, so a retry or a restart resumes there; `importId` keeps a re-import's steps
 * apart from an earlier import's.
 */
export const importShopifyHistoryTask = contract({
  name: "import-shopify-history",
  payloadSchema: z.object({ shop, importId: z.string().min(1), step: z.number().int().min(0) }),
  sourceId: (p) => `${p.importId}/${p.step}`,
  shop: (p) => p.shop,
});

/**
 * The install's shop lookup (name, currency, time zone, plan) asked again after it failed in
 * afterAuth. One per install: `installedAt` tells a reinstall's lookup from an earlier one's.
 */
export const syncShopDetailsTask = contract({
  name: "sync-shop-details",
  payloadSchema: z.object({ shop, installedAt: z.iso.datetime({ offset: true }) }),
  sourceId: (p) => `install/${Date.parse(p.installedAt)}`,
  shop: (p) => p.shop,
});

/**
 * A reconciliation of one recipe's segments with the lists it keeps (the recipe declares them:
 * `segments` in its definition): switching the recipe on starts one at once
 * (`enabled/<epoch ms>`), so does saving its settings while on (`saved/<epoch ms>`), a finished
 * history import (`imported/<epoch ms>`: the segments now see the store's past), and the
 * daily scan one a day (`daily/<date>`). Runs of one shop's recipe
 * never overlap (the executor holds a lease), and a repeated key does nothing.
 */
export const reconcileSegmentsTask = contract({
  name: "reconcile-segments",
  payloadSchema: z.object({
    shop,
    recipe: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    trigger: z.string().regex(/^((enabled|saved|imported)\/\d+|daily\/\d{4}-\d{2}-\d{2})$/),
  }),
  sourceId: (p) => `${p.recipe}/${p.trigger}`,
  shop: (p) => p.shop,
});

/**
 * The usage charge for one charged upsell offer (app/billing/usage.server.ts): one job per
 * offer; a repeated charge webhook finds the job key taken, and a retried job sends Shopify the
 * same idempotency key.
 */
export const billUpsellFeeTask = contract({
  name: "bill-upsell-fee",
  payloadSchema: z.object({ shop, offerId: z.uuid() }),
  sourceId: (p) => p.offerId,
  shop: (p) => p.shop,
});

/**
 * The automation-gap report computed for one shop and window, and cached (gap_reports). Keyed by
 * the request's instant, so each request (the daily schedule's, or the merchant's) runs once.
 */
export const computeGapReportTask = contract({
  name: "compute-gap-report",
  payloadSchema: z.object({
    shop,
    windowDays: z.union([z.literal(30), z.literal(90), z.literal(365)]),
    /** The report's language (jobs queued before reports had one are English). */
    locale: z.enum(LOCALES).default("en"),
    requestedAt: z.iso.datetime({ offset: true }),
  }),
  sourceId: (p) =>
    p.locale === "en"
      ? `${p.windowDays}/${Date.parse(p.requestedAt)}`
      : `${p.windowDays}/${p.locale}/${Date.parse(p.requestedAt)}`,
  shop: (p) => p.shop,
});
