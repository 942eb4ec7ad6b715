import { boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * The shop's app subscription as Shopify last told us (`app_subscriptions/update`, or a billing
 * check): which plan, its status, when it started (billing periods and the trial count from
 * it) and whether it is a test charge (development stores). No row: the Free plan.
 */
export const shopSubscriptions = pgTable("shop_subscriptions", {
  shop: text("shop").primaryKey(),
  /** Shopify's AppSubscription gid. */
  subscriptionId: text("subscription_id").notNull(),
  /** The plan name it was created with (app/billing/plans.ts). */
  plan: text("plan").notNull(),
  /** Shopify's AppSubscriptionStatus. */
  status: text("status").notNull(),
  /** The usage line's gid, which usage records are created on. */
  usageLineItemId: text("usage_line_item_id"),
  test: boolean("test").notNull().default(false),
  trialDays: integer("trial_days").notNull().default(0),
  createdAt: ts("created_at").notNull(),
  updatedAt: ts("updated_at").notNull(),
});

export const USAGE_RECORD_STATUSES = ["pending", "billed", "capped", "failed", "waived"] as const;
export type UsageRecordStatus = (typeof USAGE_RECORD_STATUSES)[number];

/**
 * One usage charge per charged upsell offer: the primary key (shop, offer) and the idempotency
 * key Shopify is sent (app/billing/plans.ts `usageIdempotencyKey`) make a retried job or a
 * repeated webhook bill once. status: pending → billed (Shopify's record id) | capped (the
 * period's capped amount was reached: shown on the Plan screen, not retried) | failed.
 */
export const billingUsageRecords = pgTable(
  "billing_usage_records",
  {
    shop: text("shop").notNull(),
    offerId: uuid("offer_id").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    /** USD cents billed. */
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull().default("USD"),
    description: text("description").notNull(),
    status: text("status", { enum: USAGE_RECORD_STATUSES }).notNull().default("pending"),
    usageRecordId: text("usage_record_id"),
    error: text("error"),
    createdAt: ts("created_at").notNull(),
    billedAt: ts("billed_at"),
  },
  (t) => [primaryKey({ columns: [t.shop, t.offerId] })],
);

export type ShopSubscriptionRow = typeof shopSubscriptions.$inferSelect;
export type BillingUsageRecord = typeof billingUsageRecords.$inferSelect;
