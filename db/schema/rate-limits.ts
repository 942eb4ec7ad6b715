import { bigint, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { VENDORS } from "./integrations";

/**
 * Each shop's request budget at a vendor, shared by every process (app/integrations/
 * rate-limiter.server.ts). One row per shop × vendor × bucket (a Klaviyo endpoint, or Gorgias's
 * one account-wide bucket), so the table stays bounded; shop/redact deletes a shop's rows.
 *
 * Every budget ("at most N requests in any W ms") is counted in W/10-wide slots: `slots` holds
 * each position's slot number (time ÷ slot width) and `counts` its requests, 11 positions per
 * budget, budgets one after another. Times are milliseconds of the limiter's clock.
 * `rate_limit_take()` (migration 0013) reads and spends them in one statement.
 */
export const rateLimitBuckets = pgTable(
  "rate_limit_buckets",
  {
    shop: text("shop").notNull(),
    vendor: text("vendor", { enum: VENDORS }).notNull(),
    bucket: text("bucket").notNull(),
    slots: bigint("slots", { mode: "number" }).array().notNull().default([]),
    counts: integer("counts").array().notNull().default([]),
    /** The vendor's last Retry-After: nothing starts before this (ms). */
    blockedUntilMs: bigint("blocked_until_ms", { mode: "number" }).notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.vendor, table.bucket] })],
);
