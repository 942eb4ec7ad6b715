import { sql, type SQL } from "drizzle-orm";
import type { Db, ExecuteSql } from "../db.server";

/**
 * A raw `$1`-style SQL runner on a Drizzle database or transaction, so code that takes an
 * ExecuteSql (pg-boss's transactional enqueue, requestDelivery) can join a Drizzle transaction.
 * Placeholders become bound parameters; the text around them is passed through unchanged.
 */
export function drizzleExecuteSql(db: Db): ExecuteSql {
  return async (text, values = []) => {
    const parts = text.split(/\$(\d+)/);
    const chunks: SQL[] = parts.map((part, i) =>
      i % 2 === 1 ? sql`${values[Number(part) - 1]}` : sql.raw(part),
    );
    const result = (await db.execute(sql.join(chunks, sql.raw("")))) as unknown as
      { rows?: any[] } | any[];
    return { rows: Array.isArray(result) ? result : (result.rows ?? []) };
  };
}
