import { bigint, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { shopifyId } from "./columns";

/** What one vendor was asked to erase for a redaction, or why it was not asked. */
export interface RedactionVendorRecord {
  vendor: "klaviyo" | "gorgias";
  /** requested: a deletion delivery was queued (its key names the `deliveries` row). */
  outcome: "requested" | "not-connected" | "no-identifier";
  deliveryKey?: string;
}

/**
 * One `customers/redact` as processed: the customer id, counts of what was deleted here and
 * what each vendor was asked to erase. No email, phone or name: those are what was erased.
 */
export const privacyRedactions = pgTable(
  "privacy_redactions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    shop: text("shop").notNull(),
    customerId: shopifyId("customer_id").notNull(),
    webhookId: text("webhook_id").notNull().unique(),
    removed: jsonb("removed").$type<Record<string, number>>().notNull(),
    vendors: jsonb("vendors").$type<RedactionVendorRecord[]>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("privacy_redactions_shop_created").on(t.shop, t.createdAt)],
);

export type PrivacyRedaction = typeof privacyRedactions.$inferSelect;
