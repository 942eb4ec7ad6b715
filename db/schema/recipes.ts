import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { shopifyId } from "./columns";

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * The recipe engine's tables. Recipe ids (`post-purchase-upsell`, …) are stored here, so they are
 * never renamed. Customer data: `recipe_runs`, `recipe_touches` and `recipe_state` carry
 * customer ids (never emails); app/models/privacy.server.ts exports and redacts them.
 */

/** One row per shop and recipe the merchant has touched: on/off and the saved settings. */
export const recipeSettings = pgTable(
  "recipe_settings",
  {
    shop: text("shop").notNull(),
    recipeId: text("recipe_id").notNull(),
    enabled: boolean("enabled").notNull().default(false),
    /** The form's values as saved (parsed with the recipe's zod schema, defaults filled, at run time). */
    config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
    enabledAt: ts("enabled_at"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.recipeId] })],
);

/** The guards every recipe shares (frequency caps, suppression, inventory cache age), per shop. */
export const recipeGuardSettings = pgTable("recipe_guard_settings", {
  shop: text("shop").primaryKey(),
  config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** `waiting`: its actions wait for an integration to be reconnected (held, not skipped). */
export const RUN_OUTCOMES = [
  "acted",
  "waiting",
  "scheduled",
  "skipped",
  "blocked",
  "failed",
] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** What became of one action a run wanted: requested, held back by a guard, or already done. */
export interface RunActionRecord {
  kind: string;
  channel: string;
  summary: string;
  status:
    | "requested"
    | "already-requested"
    | "capped"
    | "suppressed"
    | "skipped"
    | "waiting"
    | "dropped"
    | "decided"
    | "would-request";
  /**
   * Why it was not requested (guards), or what it waits for: `waiting` actions are held until
   * their integration is reconnected, then `requested`; `dropped` when they waited too long.
   */
  reason?: string;
  /** The delivery's idempotency key (joins `deliveries.idempotency_key`). */
  key?: string;
}

/**
 * Every recipe run: which recipe, on what event, what it decided and why, and how long it took.
 * `event_key` names the triggering event (`webhook/123`, `follow-up/…`); one run per recipe and
 * event, so a replayed event does not add a second row.
 *
 * outcome: acted (≥ 1 action requested, or its memory changed) | scheduled (a follow-up was set,
 * nothing else) | skipped (nothing to do, see reasons) | blocked (every action held back by a
 * guard or a missing connection) | failed (the recipe threw; the job retries).
 */
export const recipeRuns = pgTable(
  "recipe_runs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shop: text("shop").notNull(),
    recipeId: text("recipe_id").notNull(),
    /** What started it: a webhook topic, `gorgias/ticket`, `daily`, `follow-up:<name>`, `offer-outcome`. */
    trigger: text("trigger").notNull(),
    eventKey: text("event_key").notNull(),
    /** A label for people: "Order #1042", "Customer 7001002003", "SKU MUG-12". */
    subject: text("subject"),
    orderId: shopifyId("order_id"),
    customerId: shopifyId("customer_id"),
    outcome: text("outcome", { enum: RUN_OUTCOMES }).notNull(),
    actions: jsonb("actions").$type<RunActionRecord[]>().notNull().default([]),
    reasons: text("reasons").array().notNull().default([]),
    /** Follow-ups the run scheduled: `[{ name, at }]`. */
    scheduled: jsonb("scheduled").$type<{ name: string; at: string }[]>().notNull().default([]),
    durationMs: doublePrecision("duration_ms").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("recipe_runs_event_idx").on(table.shop, table.recipeId, table.eventKey),
    index("recipe_runs_shop_created_idx").on(table.shop, table.createdAt.desc()),
    index("recipe_runs_shop_customer_idx").on(table.shop, table.customerId),
    index("recipe_runs_shop_order_idx").on(table.shop, table.orderId),
    // The gap report's "first outreach / first review request per order": acted runs only.
    index("recipe_runs_shop_recipe_acted_idx")
      .on(table.shop, table.recipeId, table.orderId, table.createdAt)
      .where(sql`outcome = 'acted'`),
  ],
);

/**
 * The frequency-cap ledger: one row per capped action that was let through (marketing touch,
 * upsell), across recipes. `customer_key` is `id:<customer id>` or `email:<sha-256 of the
 * lower-cased email>` for guests. `action_key` makes a replay count once.
 */
export const recipeTouches = pgTable(
  "recipe_touches",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shop: text("shop").notNull(),
    customerKey: text("customer_key").notNull(),
    customerId: shopifyId("customer_id"),
    channel: text("channel").notNull(),
    recipeId: text("recipe_id").notNull(),
    actionKey: text("action_key").notNull().unique(),
    at: ts("at").notNull().defaultNow(),
  },
  (table) => [
    index("recipe_touches_lookup_idx").on(
      table.shop,
      table.customerKey,
      table.channel,
      table.at.desc(),
    ),
  ],
);

/**
 * What a recipe remembers between runs, by subject (`customer:123`, `variant:456`,
 * `order:789`): VIP membership, win-back stage, low-stock pause, the offer chosen for an order.
 * Values hold ids and flags only; `customer_id` says whose it is (redaction).
 */
export const recipeState = pgTable(
  "recipe_state",
  {
    shop: text("shop").notNull(),
    recipeId: text("recipe_id").notNull(),
    subject: text("subject").notNull(),
    customerId: shopifyId("customer_id"),
    value: jsonb("value").$type<Record<string, unknown>>().notNull(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.recipeId, table.subject] }),
    index("recipe_state_shop_customer_idx").on(table.shop, table.customerId),
  ],
);

/**
 * Live stock reads from the Admin API (a variant's inventoryQuantity, summed over locations),
 * made when the webhook-fed inventory_levels row was missing or older than the shop's limit.
 */
export const variantStockChecks = pgTable(
  "variant_stock_checks",
  {
    shop: text("shop").notNull(),
    variantId: shopifyId("variant_id").notNull(),
    available: integer("available"),
    checkedAt: ts("checked_at").notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.variantId] })],
);

/** Product tags and collections (for upsell rules), read from the Admin API and kept a day. */
export const productFacts = pgTable(
  "product_facts",
  {
    shop: text("shop").notNull(),
    productId: shopifyId("product_id").notNull(),
    title: text("title"),
    tags: text("tags").array().notNull().default([]),
    collectionIds: shopifyId("collection_ids").array().notNull().default([]),
    fetchedAt: ts("fetched_at").notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.productId] })],
);

export type RecipeSettingsRow = typeof recipeSettings.$inferSelect;
export type RecipeRun = typeof recipeRuns.$inferSelect;
