import { bigint, boolean, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Shopify sessions, in the exact column layout @shopify/shopify-app-session-storage-drizzle
 * reads and writes (camelCase column names are the adapter's, not ours).
 */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    shop: text("shop").notNull(),
    state: text("state").notNull(),
    isOnline: boolean("isOnline").default(false).notNull(),
    scope: text("scope"),
    expires: timestamp("expires", { mode: "date" }),
    accessToken: text("accessToken").notNull(),
    userId: bigint("userId", { mode: "number" }),
    firstName: text("firstName"),
    lastName: text("lastName"),
    email: text("email"),
    accountOwner: boolean("accountOwner"),
    locale: text("locale"),
    collaborator: boolean("collaborator"),
    emailVerified: boolean("emailVerified"),
    refreshToken: text("refreshToken"),
    refreshTokenExpires: timestamp("refreshTokenExpires", { mode: "date" }),
  },
  (table) => [index("sessions_shop_idx").on(table.shop)],
);
