import { boolean, date, integer, numeric, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

/**
 * The gap report's figures added up per shop and shop-local day, so a year's report sums 365 rows
 * instead of reading every order and parcel (docs/gap-report.md, "Daily facts"). Only figures
 * that are a pure function of the day's rows live here (nothing that depends on when the report
 * looks); the report computes the partial days at its window's edges from the base tables.
 * Triggers on the base tables (migration 0017) mark the UTC days a write touches in
 * `shop_daily_dirty`; the report recomputes those days before summing.
 */
export const shopDailyFacts = pgTable(
  "shop_daily_facts",
  {
    shop: text("shop").notNull(),
    /** The shop-local day, in `time_zone` (a zone change makes the rows stale). */
    day: date("day", { mode: "string" }).notNull(),
    timeZone: text("time_zone").notNull(),
    orders: integer("orders").notNull(),
    revenue: numeric("revenue", { precision: 16, scale: 2 }).notNull(),
    /** Orders not cancelled whose payment is pending, authorized, partly paid, voided or expired. */
    outstanding: integer("outstanding").notNull(),
    outstandingAmount: numeric("outstanding_amount", { precision: 16, scale: 2 }).notNull(),
    /** Parcels created that day. */
    parcels: integer("parcels").notNull(),
    /**
     * Of those, the ones delayed whenever the report looks: a delay status, or delivered after
     * their estimate. Undelivered parcels past their estimate depend on the report's end and are
     * counted at report time.
     */
    parcelsDelayed: integer("parcels_delayed").notNull(),
    /** Parcels delivered that day (by when they were delivered). */
    delivered: integer("delivered").notNull(),
    /**
     * Gorgias tickets last updated that day, and those from a customer with a parcel on its way
     * then ("where is my order"): both fixed once the day's tickets and parcels are.
     */
    tickets: integer("tickets").notNull(),
    wismoTickets: integer("wismo_tickets").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.day] })],
);

/** Orders placed that day (not cancelled) by time to their first fulfillment, in tenths of an hour. */
export const shopDailyShipTimes = pgTable(
  "shop_daily_ship_times",
  {
    shop: text("shop").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    tenths: integer("tenths").notNull(),
    orders: integer("orders").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.day, t.tenths] })],
);

/** UTC days whose base rows changed since their facts were computed (written by triggers). */
export const shopDailyDirty = pgTable(
  "shop_daily_dirty",
  {
    shop: text("shop").notNull(),
    utcDay: date("utc_day", { mode: "string" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.utcDay] })],
);

/**
 * Orders placed that day by a customer account, by the shop-local day of that customer's previous
 * order ('-infinity': none) and whether that one was their first (`prev_first`); `first_time`:
 * those that were the customer's first. A span's customers are its orders less those whose
 * previous order is in the span too, its returning ones those less the ones that were a first
 * order and stayed the customer's only one there: the repeat-purchase rate without reading a
 * year's orders. A new order only changes its own day's row, not the previous order's.
 */
export const shopDailyBuyers = pgTable(
  "shop_daily_buyers",
  {
    shop: text("shop").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    prevDay: date("prev_day", { mode: "string" }).notNull(),
    prevFirst: boolean("prev_first").notNull(),
    orders: integer("orders").notNull(),
    firstTime: integer("first_time").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.day, t.prevDay, t.prevFirst] })],
);

/** Units sold that day per variant (orders not cancelled): the window's best-sellers. */
export const shopDailyVariantUnits = pgTable(
  "shop_daily_variant_units",
  {
    shop: text("shop").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    variantId: text("variant_id").notNull(),
    /** Null when no line item of the variant said its quantity. */
    units: integer("units"),
  },
  (t) => [primaryKey({ columns: [t.shop, t.day, t.variantId] })],
);

/**
 * Parcels delivered that day by the shop-local day of their order's first review request (an
 * `acted` Review request timing run; 'infinity': none yet): a span's asked parcels are the rows
 * of its days whose request came before the span's end.
 */
export const shopDailyReviewAsks = pgTable(
  "shop_daily_review_asks",
  {
    shop: text("shop").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    askedDay: date("asked_day", { mode: "string" }).notNull(),
    parcels: integer("parcels").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.day, t.askedDay] })],
);
