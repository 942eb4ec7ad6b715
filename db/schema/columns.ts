import { customType } from "drizzle-orm/pg-core";

/**
 * A PostgreSQL `bigint` holding a Shopify id (app/utils/shopify-id.ts), read and written as its decimal text: Drizzle's
 * bigint knows only number mode (rounds above 2^53) and bigint mode (not JSON-safe).
 * node-postgres hands int8 over as text, PGlite as a BigInt; both become the same string.
 */
export const shopifyId = customType<{ data: string; driverData: string | bigint | number }>({
  dataType: () => "bigint",
  toDriver: (value) => value,
  fromDriver: (value) => String(value),
});
