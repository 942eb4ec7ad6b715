import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { VENDORS } from "./integrations";

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** Where deliveries go: the connected vendors, and Shopify itself (tags), reached with the shop's own access. */
export const DELIVERY_VENDORS = [...VENDORS, "shopify"] as const;
export type DeliveryVendor = (typeof DELIVERY_VENDORS)[number];

export const DELIVERY_STATUSES = ["queued", "waiting", "succeeded", "dead", "dropped"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One row per outbound side effect (a Klaviyo event, a list change, a Gorgias ticket, Shopify tags…), created
 * when a delivery is requested and keyed by its idempotency key, which is also its job key
 * (`<task>:<shop>:<source id>`). The executor reads it before calling the vendor and writes the
 * outcome after, so a replayed job never repeats a side effect that succeeded.
 *
 * status: queued → succeeded | dead (terminal vendor error, or retries used up; see last_error).
 * A Klaviyo or Gorgias action requested while that integration is not connected is held:
 * waiting (no job) → queued when the merchant reconnects, or dropped (see last_error) when it
 * waited longer than HELD_MAX_AGE_DAYS (app/integrations/delivery/held.server.ts).
 */
export const deliveries = pgTable(
  "deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shop: text("shop").notNull(),
    vendor: text("vendor", { enum: DELIVERY_VENDORS }).notNull(),
    /** The action kind: klaviyo-event, klaviyo-list-add, gorgias-ticket, … */
    operation: text("operation").notNull(),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    recipe: text("recipe").notNull(),
    source: text("source").notNull(),
    /** The action as requested (holds customer identifiers: covered by app/models/privacy.server.ts). */
    payload: jsonb("payload").notNull(),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("queued"),
    /** The vendor's id for what was made (ticket id, profile id, list id), when it has one. */
    vendorId: text("vendor_id"),
    /** A short summary of the vendor's answer. */
    response: jsonb("response"),
    /** The vendor's own message for the last failure. */
    lastError: text("last_error"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    completedAt: ts("completed_at"),
  },
  (table) => [
    index("deliveries_shop_created_idx").on(table.shop, table.createdAt.desc()),
    index("deliveries_shop_status_idx").on(table.shop, table.status),
  ],
);

/**
 * Every HTTP call made to a vendor, for the Activity screen and for rate-limit forensics.
 * `attempt` is the job attempt (1 on the first try); `delivery_id` is null for calls made
 * outside a delivery (connection checks, segment sync).
 */
export const deliveryAttempts = pgTable(
  "delivery_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deliveryId: bigint("delivery_id", { mode: "number" }).references(() => deliveries.id, {
      onDelete: "cascade",
    }),
    shop: text("shop").notNull(),
    vendor: text("vendor", { enum: DELIVERY_VENDORS }).notNull(),
    /** The vendor operation, e.g. create-event, get-tickets. */
    operation: text("operation").notNull(),
    /** null when no answer came (timeout, network error). */
    httpStatus: integer("http_status"),
    latencyMs: integer("latency_ms").notNull(),
    error: text("error"),
    attempt: integer("attempt").notNull(),
    at: ts("at").notNull().defaultNow(),
  },
  (table) => [
    index("delivery_attempts_delivery_idx").on(table.deliveryId),
    index("delivery_attempts_shop_at_idx").on(table.shop, table.at.desc()),
  ],
);

export type Delivery = typeof deliveries.$inferSelect;
export type DeliveryAttempt = typeof deliveryAttempts.$inferSelect;
