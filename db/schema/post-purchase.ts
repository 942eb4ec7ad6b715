import { sql } from "drizzle-orm";
import {
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { shopifyId } from "./columns";

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * How the offer page showed an offer beyond the row's own fields: the variant's title and image,
 * the merchant's words in the shopper's language, the rule's countdown. Kept so a reload or a
 * concurrent call describes the same page (and the countdown runs on from the first showing).
 */
export interface OfferDisplay {
  variantTitle: string | null;
  imageUrl: string | null;
  copy: { headline: string | null; body: string | null; button: string | null } | null;
  countdownMinutes: number | null;
}

export const UPSELL_OFFER_STATUSES = ["shown", "accepted", "declined"] as const;
export type UpsellOfferStatus = (typeof UPSELL_OFFER_STATUSES)[number];

/**
 * Where an offer sits in its rule's funnel: the rule's own offer, the step after it was
 * accepted, or the downsell after it was declined (in that order).
 */
export const FUNNEL_STEPS = ["offer", "next", "downsell"] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

/**
 * One row per post-purchase offer put in front of a buyer (the extension's ShouldRender got an
 * offer back), and what the buyer did with it. `reference_id` is the initial purchase's
 * referenceId from Shopify's signed token; `customer_id` comes from that same token (covered by
 * app/models/privacy.server.ts). Money is in the shop's currency: `price` is the variant's unit
 * price before the discount, `revenue` what the accepted offer should add (after the discount), and
 * `initial_total` the purchase's own total, for the AOV comparison on Home.
 *
 * status: shown → accepted (the app signed its changeset) | declined. Signing is not a sale:
 * an accepted offer is *charged* once Shopify's order shows the added line (an order webhook,
 * app/post-purchase/charges.server.ts): `charged_at`, the `order_id` and `charged_revenue`, what
 * that order line says in the shop's currency. Only charged revenue is reported; `revenue` is
 * what the offer was expected to add when it was signed.
 */
export const upsellOffers = pgTable(
  "upsell_offers",
  {
    id: uuid("id").primaryKey(),
    shop: text("shop").notNull(),
    referenceId: text("reference_id").notNull(),
    customerId: shopifyId("customer_id"),
    recipe: text("recipe").notNull(),
    /** The decision's own words: why this variant (e.g. "fallback: the main offer is below its minimum stock"). */
    reason: text("reason"),
    productId: shopifyId("product_id"),
    variantId: shopifyId("variant_id").notNull(),
    quantity: integer("quantity").notNull().default(1),
    title: text("title").notNull(),
    price: numeric("price", { precision: 14, scale: 2 }).notNull(),
    discountType: text("discount_type", { enum: ["percentage", "fixed_amount"] }),
    discountValue: numeric("discount_value", { precision: 14, scale: 2 }),
    currency: text("currency").notNull(),
    initialTotal: numeric("initial_total", { precision: 14, scale: 2 }),
    status: text("status", { enum: UPSELL_OFFER_STATUSES }).notNull().default("shown"),
    revenue: numeric("revenue", { precision: 14, scale: 2 }),
    /** The order Shopify added the accepted line to, once seen. */
    orderId: shopifyId("order_id"),
    chargedAt: ts("charged_at"),
    chargedRevenue: numeric("charged_revenue", { precision: 14, scale: 2 }),
    /** The jti its changeset is signed with: fixed when the offer is made, usable once. */
    changesetJti: uuid("changeset_jti").notNull().unique(),
    shownAt: ts("shown_at").notNull().defaultNow(),
    respondedAt: ts("responded_at"),
    /** The rule's A/B test this offer was shown in (app/recipes/post-purchase-upsell/experiment.ts), and its version. */
    experimentKey: text("experiment_key"),
    arm: text("arm", { enum: ["A", "B"] }),
    /** The offer rule (its position when shown) and where in its funnel: what the next step follows. */
    ruleIndex: integer("rule_index"),
    step: text("step", { enum: FUNNEL_STEPS }).notNull().default("offer"),
    display: jsonb("display").$type<OfferDisplay>(),
  },
  (table) => [
    index("upsell_offers_shop_reference_idx").on(table.shop, table.referenceId),
    // One purchase has one unanswered offer at a time: concurrent ShouldRender calls share it.
    uniqueIndex("upsell_offers_one_pending_idx")
      .on(table.shop, table.referenceId)
      .where(sql`${table.status} = 'shown'`),
    index("upsell_offers_shop_shown_idx").on(table.shop, table.shownAt),
    index("upsell_offers_shop_experiment_idx")
      .on(table.shop, table.experimentKey)
      .where(sql`${table.experimentKey} is not null`),
    index("upsell_offers_shop_customer_idx").on(table.shop, table.customerId),
    // Accepted offers waiting for Shopify's order to show their line: what order webhooks look for.
    index("upsell_offers_awaiting_charge_idx")
      .on(table.shop, table.customerId)
      .where(sql`${table.status} = 'accepted' and ${table.chargedAt} is null`),
  ],
);

/**
 * Purchases an A/B test held out: an offer was in stock for the buyer and, being in the test's
 * holdout, they saw none. The test compares them with the buyers who saw version A or B. One
 * row per purchase (concurrent ShouldRender calls share it); `customer_id` comes from Shopify's
 * token (covered by app/models/privacy.server.ts); `initial_total` in the shop's currency.
 */
export const upsellHoldouts = pgTable(
  "upsell_holdouts",
  {
    shop: text("shop").notNull(),
    referenceId: text("reference_id").notNull(),
    customerId: shopifyId("customer_id"),
    experimentKey: text("experiment_key").notNull(),
    /** The variant the buyer would have been offered. */
    variantId: shopifyId("variant_id").notNull(),
    initialTotal: numeric("initial_total", { precision: 14, scale: 2 }),
    currency: text("currency").notNull(),
    heldAt: ts("held_at").notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("upsell_holdouts_purchase_idx").on(table.shop, table.referenceId),
    index("upsell_holdouts_experiment_idx").on(table.shop, table.experimentKey, table.heldAt),
  ],
);

/**
 * Every changeset JWT the app signed, by jti. The primary key is the replay guard: a second
 * request to sign the same jti finds the row and is refused. Holds no customer data.
 */
export const changesetSignatures = pgTable(
  "changeset_signatures",
  {
    jti: uuid("jti").primaryKey(),
    shop: text("shop").notNull(),
    referenceId: text("reference_id").notNull(),
    offerId: uuid("offer_id")
      .notNull()
      .references(() => upsellOffers.id, { onDelete: "cascade" }),
    signedAt: ts("signed_at").notNull().defaultNow(),
  },
  (table) => [index("changeset_signatures_shop_idx").on(table.shop)],
);

export type UpsellOffer = typeof upsellOffers.$inferSelect;
