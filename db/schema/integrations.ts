import { bigint, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const VENDORS = ["klaviyo", "gorgias"] as const;
export type Vendor = (typeof VENDORS)[number];

/**
 * One connection per shop and vendor. Credentials are one AES-256-GCM sealed JSON document
 * (`app/utils/encryption.server.ts`): Klaviyo `{ apiKey }`, Gorgias `{ apiKey, webhookSecret }`;
 * `credentials_key_id` names the ENCRYPTION_KEYS entry that sealed it. Only `secret_hint`
 * (e.g. `pk_…1234`) ever reaches the browser. Disconnecting deletes the row.
 *
 * status: connected → error (the vendor refused the stored key during a delivery or check).
 */
export const integrations = pgTable(
  "integrations",
  {
    shop: text("shop").notNull(),
    vendor: text("vendor", { enum: VENDORS }).notNull(),
    status: text("status", { enum: ["connected", "error"] })
      .notNull()
      .default("connected"),
    credentials: text("credentials").notNull(),
    credentialsKeyId: text("credentials_key_id").notNull(),
    secretHint: text("secret_hint").notNull(),
    klaviyoAccountId: text("klaviyo_account_id"),
    klaviyoAccountName: text("klaviyo_account_name"),
    grantedScopes: text("granted_scopes").array().notNull().default([]),
    missingScopes: text("missing_scopes").array().notNull().default([]),
    gorgiasDomain: text("gorgias_domain"),
    /** The helpdesk user whose API key this is (a staff email, not a customer's). */
    gorgiasEmail: text("gorgias_email"),
    /** Id of the HTTP integration we registered in the merchant's Gorgias. */
    gorgiasHttpIntegrationId: bigint("gorgias_http_integration_id", { mode: "number" }),
    lastError: text("last_error"),
    connectedAt: ts("connected_at").notNull().defaultNow(),
    checkedAt: ts("checked_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.vendor] })],
);

export type Integration = typeof integrations.$inferSelect;
