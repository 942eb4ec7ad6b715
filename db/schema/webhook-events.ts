import { sql } from "drizzle-orm";
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/**
 * Every Shopify webhook delivery we accepted, stored before we answer 200. `webhook_id` is
 * unique: Shopify's retries of one delivery carry the same id, so a repeat stores nothing.
 *
 * status: received → processed | rejected (payload failed validation; never retried)
 *         | failed (processing gave up; see dead_letters) | ignored (shop uninstalled).
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shop: text("shop").notNull(),
    topic: text("topic").notNull(),
    webhookId: text("webhook_id").notNull(),
    eventId: text("event_id"),
    triggeredAt: timestamp("triggered_at", { withTimezone: true }),
    apiVersion: text("api_version"),
    /** The payload as Shopify sent it; null only when the body was not valid JSON. */
    payload: jsonb("payload"),
    /** The raw body, kept only when it could not be stored as JSON. */
    rawBody: text("raw_body"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    status: text("status", { enum: ["received", "processed", "rejected", "failed", "ignored"] })
      .notNull()
      .default("received"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (table) => [
    uniqueIndex("webhook_events_webhook_id_key").on(table.webhookId),
    index("webhook_events_shop_received_idx").on(table.shop, table.receivedAt.desc()),
    index("webhook_events_shop_status_idx")
      .on(table.shop, table.status)
      .where(sql`${table.status} <> 'processed'`),
  ],
);

export type WebhookEvent = typeof webhookEvents.$inferSelect;
