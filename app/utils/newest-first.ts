import { sql, type AnyColumn, type SQL } from "drizzle-orm";

/**
 * `column desc nulls last`: the order the `(shop, … desc)` indexes are built in. Drizzle's
 * `desc()` means nulls first, which PostgreSQL cannot read from those indexes, so a "newest N"
 * query sorted every matching row instead of reading N from the index.
 */
export const newestFirst = (column: AnyColumn): SQL => sql`${column} desc nulls last`;
