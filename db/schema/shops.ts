import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** One row per store that ever installed the app. Reinstalls reuse the row. */
export const shops = pgTable("shops", {
  domain: text("domain").primaryKey(),
  name: text("name"),
  plan: text("plan"),
  currency: text("currency"),
  /** The shop's IANA time zone (Shop.ianaTimezone), for times on screens and daily schedules. */
  ianaTimezone: text("iana_timezone"),
  installedAt: timestamp("installed_at", { withTimezone: true }).notNull().defaultNow(),
  uninstalledAt: timestamp("uninstalled_at", { withTimezone: true }),
  settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type Shop = typeof shops.$inferSelect;
