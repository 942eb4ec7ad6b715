import { integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import type { GapReport } from "../../app/models/gap-report/types";

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * The automation-gap report, cached per shop, window and language (the report's sentences are
 * written in the admin's language, app/models/gap-report/copy.ts): the engine computes it on a schedule
 * (and when the merchant asks), the screen only reads it, so the page stays fast on a store with
 * a year of orders. `requested_at` set and newer than `computed_at` means a computation is queued
 * or running.
 */
export const gapReports = pgTable(
  "gap_reports",
  {
    shop: text("shop").notNull(),
    windowDays: integer("window_days").notNull(),
    /** "en" or "fr" (app/i18n/locale.ts). */
    locale: text("locale").notNull().default("en"),
    report: jsonb("report").$type<GapReport>(),
    computedAt: ts("computed_at"),
    requestedAt: ts("requested_at"),
    /** Why the last computation failed (merchant language), cleared by the next success. */
    lastError: text("last_error"),
  },
  (t) => [primaryKey({ columns: [t.shop, t.windowDays, t.locale] })],
);
