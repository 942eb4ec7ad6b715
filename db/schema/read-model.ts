import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { shopifyId } from "./columns";

/**
 * Per-shop read model the recipes query, kept current by webhooks. Every row carries the
 * resource's own `updated_at` from Shopify (`source_updated_at`); an upsert only wins when its
 * delivery is at least as new, so a late or out-of-order webhook never overwrites newer state.
 * Shopify ids are 64-bit integers: bigint columns read and written as decimal text (shopifyId).
 */

const ts = (name: string) => timestamp(name, { withTimezone: true });

export interface OrderLineItem {
  id: string;
  variantId: string | null;
  productId: string | null;
  sku: string | null;
  title: string;
  quantity: number;
  price: string;
}

export const orders = pgTable(
  "orders",
  {
    shop: text("shop").notNull(),
    id: shopifyId("id").notNull(),
    name: text("name").notNull(),
    email: text("email"),
    customerId: shopifyId("customer_id"),
    currency: text("currency").notNull(),
    presentmentCurrency: text("presentment_currency"),
    totalPrice: numeric("total_price", { precision: 14, scale: 2 }).notNull(),
    subtotalPrice: numeric("subtotal_price", { precision: 14, scale: 2 }),
    totalTax: numeric("total_tax", { precision: 14, scale: 2 }),
    /** Total after refunds and edits (shop currency); what lifetime spend sums. */
    currentTotalPrice: numeric("current_total_price", { precision: 14, scale: 2 }).notNull(),
    presentmentTotalPrice: numeric("presentment_total_price", { precision: 14, scale: 2 }),
    /** The shipping address's ISO country code (upsell rules target it); null without one. */
    shippingCountry: text("shipping_country"),
    financialStatus: text("financial_status"),
    fulfillmentStatus: text("fulfillment_status"),
    tags: text("tags").array().notNull().default([]),
    lineItems: jsonb("line_items").$type<OrderLineItem[]>().notNull().default([]),
    refundCount: integer("refund_count").notNull().default(0),
    cancelledAt: ts("cancelled_at"),
    processedAt: ts("processed_at"),
    createdAt: ts("created_at").notNull(),
    sourceUpdatedAt: ts("source_updated_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.id] }),
    index("orders_shop_customer_idx").on(table.shop, table.customerId),
    // A customer's orders in time: their previous and next order (the gap report's daily buyers).
    index("orders_shop_customer_created_idx").on(
      table.shop,
      table.customerId,
      table.createdAt,
      table.id,
    ),
    index("orders_shop_created_idx").on(table.shop, table.createdAt.desc()),
    // The gap report's oversold orders: the orders holding a variant whose stock is below zero.
    index("orders_line_item_variants_idx").using(
      "gin",
      sql`jsonb_path_query_array(${table.lineItems}, '$[*]."variantId"')`,
    ),
    // The gap report's waiting payments: few rows, read at report time (their age moves daily).
    index("orders_shop_outstanding_idx")
      .on(table.shop, table.createdAt)
      .where(
        sql`${table.cancelledAt} is null and ${table.financialStatus} in ('pending', 'authorized', 'partially_paid', 'voided', 'expired')`,
      ),
  ],
);

export const customers = pgTable(
  "customers",
  {
    shop: text("shop").notNull(),
    id: shopifyId("id").notNull(),
    email: text("email"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    phone: text("phone"),
    tags: text("tags").array().notNull().default([]),
    /** Shopify's email_marketing_consent.state: subscribed, not_subscribed, unsubscribed, … */
    emailMarketingState: text("email_marketing_state"),
    acceptsMarketing: boolean("accepts_marketing").notNull().default(false),
    /** Aggregates over this shop's orders in the read model (shop currency). */
    lifetimeSpend: numeric("lifetime_spend", { precision: 14, scale: 2 }).notNull().default("0"),
    orderCount: integer("order_count").notNull().default(0),
    firstOrderAt: ts("first_order_at"),
    lastOrderAt: ts("last_order_at"),
    sourceUpdatedAt: ts("source_updated_at"),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.id] }),
    index("customers_shop_email_idx").on(table.shop, table.email),
    index("customers_shop_last_order_idx").on(table.shop, table.lastOrderAt),
    // Tickets and list members hold lower-cased emails; matching them to customers uses this.
    index("customers_shop_lower_email_idx").on(table.shop, sql`lower(${table.email})`),
  ],
);

export const fulfillments = pgTable(
  "fulfillments",
  {
    shop: text("shop").notNull(),
    id: shopifyId("id").notNull(),
    orderId: shopifyId("order_id").notNull(),
    status: text("status"),
    shipmentStatus: text("shipment_status"),
    trackingCompany: text("tracking_company"),
    trackingNumbers: text("tracking_numbers").array().notNull().default([]),
    trackingUrls: text("tracking_urls").array().notNull().default([]),
    estimatedDeliveryAt: ts("estimated_delivery_at"),
    deliveredAt: ts("delivered_at"),
    /** happened_at of the newest fulfillment event applied to shipment_status. */
    lastEventAt: ts("last_event_at"),
    createdAt: ts("created_at"),
    sourceUpdatedAt: ts("source_updated_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.id] }),
    index("fulfillments_shop_order_idx").on(table.shop, table.orderId),
    // The gap report's parcels shipped / delivered in a window.
    index("fulfillments_shop_created_idx").on(table.shop, table.createdAt),
    index("fulfillments_shop_delivered_idx").on(table.shop, table.deliveredAt),
    // Parcels still on their way with an estimate: late or not depends on when the report looks.
    index("fulfillments_shop_in_transit_idx")
      .on(table.shop, table.createdAt)
      .where(sql`${table.deliveredAt} is null and ${table.estimatedDeliveryAt} is not null`),
  ],
);

/**
 * An order's refunds as Shopify sent them (the order payloads' `refunds[]`): when the refund was
 * issued (`created_at`) and when its money went back (`processed_at` of its refund transactions).
 * `money_status`: sent (its refund transactions succeeded, none pending; `processed_at` is the last success),
 * pending (one is still pending), none (no money moved: a restock or a failed transaction).
 * Written with the order, guarded by the order's `updated_at` (`source_updated_at`). The gap
 * report's refund turnaround reads them.
 */
export const orderRefunds = pgTable(
  "order_refunds",
  {
    shop: text("shop").notNull(),
    id: shopifyId("id").notNull(),
    orderId: shopifyId("order_id").notNull(),
    createdAt: ts("created_at").notNull(),
    processedAt: ts("processed_at"),
    moneyStatus: text("money_status", { enum: ["sent", "pending", "none"] }).notNull(),
    sourceUpdatedAt: ts("source_updated_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.id] }),
    index("order_refunds_shop_order_idx").on(table.shop, table.orderId),
    // The gap report's refunds issued in a window.
    index("order_refunds_shop_created_idx").on(table.shop, table.createdAt),
  ],
);

export const fulfillmentEvents = pgTable(
  "fulfillment_events",
  {
    shop: text("shop").notNull(),
    id: shopifyId("id").notNull(),
    fulfillmentId: shopifyId("fulfillment_id").notNull(),
    orderId: shopifyId("order_id").notNull(),
    status: text("status").notNull(),
    message: text("message"),
    happenedAt: ts("happened_at").notNull(),
    estimatedDeliveryAt: ts("estimated_delivery_at"),
    city: text("city"),
    province: text("province"),
    country: text("country"),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.id] }),
    index("fulfillment_events_shop_fulfillment_idx").on(table.shop, table.fulfillmentId),
  ],
);

export const inventoryLevels = pgTable(
  "inventory_levels",
  {
    shop: text("shop").notNull(),
    inventoryItemId: shopifyId("inventory_item_id").notNull(),
    locationId: shopifyId("location_id").notNull(),
    available: integer("available"),
    sourceUpdatedAt: ts("source_updated_at").notNull(),
    /** When we last learnt this level (webhook or live read); guards the cache age. */
    refreshedAt: ts("refreshed_at").notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.inventoryItemId, table.locationId] })],
);

/** Variant ↔ inventory item, learnt from order line items and the Admin API. */
export const variants = pgTable(
  "variants",
  {
    shop: text("shop").notNull(),
    id: shopifyId("id").notNull(),
    productId: shopifyId("product_id"),
    inventoryItemId: shopifyId("inventory_item_id"),
    sku: text("sku"),
    title: text("title"),
    price: numeric("price", { precision: 14, scale: 2 }),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.id] }),
    index("variants_shop_inventory_item_idx").on(table.shop, table.inventoryItemId),
    index("variants_shop_product_idx").on(table.shop, table.productId),
  ],
);

/** customers/data_request answers: everything we held on the customer when Shopify asked. */
export const privacyExports = pgTable("privacy_exports", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  shop: text("shop").notNull(),
  customerId: shopifyId("customer_id"),
  dataRequestId: shopifyId("data_request_id"),
  webhookId: text("webhook_id").notNull().unique(),
  data: jsonb("data").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
});

export interface CheckoutLineItem {
  variantId: string | null;
  productId: string | null;
  sku: string | null;
  title: string;
  variantTitle: string | null;
  quantity: number;
  price: string;
}

/**
 * Checkouts (checkouts/create, checkouts/update), keyed by their token: what an order names as
 * `checkout_token`. `last_activity_at` is the newest `updated_at` of the checkout while it was
 * still open (a checkout that completes is updated once more: that is not the buyer hesitating),
 * so "no order N hours after the last activity" is an abandoned checkout. An order placed from
 * the checkout sets `order_id` and `ordered_at`; with the recipe's memory of its outreach
 * (recipe_state, abandoned-checkout-recovery) that gives the recovery rate.
 */
export const checkouts = pgTable(
  "checkouts",
  {
    shop: text("shop").notNull(),
    token: text("token").notNull(),
    id: shopifyId("id").notNull(),
    cartToken: text("cart_token"),
    customerId: shopifyId("customer_id"),
    email: text("email"),
    lineItems: jsonb("line_items").$type<CheckoutLineItem[]>().notNull().default([]),
    /** In `currency`, the shop's (presentment amounts are not stored). */
    subtotalPrice: numeric("subtotal_price", { precision: 14, scale: 2 }).notNull(),
    currency: text("currency").notNull(),
    presentmentCurrency: text("presentment_currency"),
    abandonedCheckoutUrl: text("abandoned_checkout_url"),
    completedAt: ts("completed_at"),
    orderId: shopifyId("order_id"),
    orderedAt: ts("ordered_at"),
    createdAt: ts("created_at").notNull(),
    lastActivityAt: ts("last_activity_at").notNull(),
    sourceUpdatedAt: ts("source_updated_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.token] }),
    index("checkouts_shop_id_idx").on(table.shop, table.id),
    index("checkouts_shop_customer_idx").on(table.shop, table.customerId),
    index("checkouts_shop_created_idx").on(table.shop, table.createdAt.desc()),
  ],
);
