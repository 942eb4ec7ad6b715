import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { recipeState } from "../../../db/schema/index";
import type { Db } from "../../db.server";
import type { StateReader, StateRow } from "./context";
import { memoKey, type Memo } from "./memo";

/** A recipe's memory (`recipe_state`) as it reads it; single subjects go through the evaluation's memo. */
export function recipeStateReader(db: Db, shop: string, memo: Memo, recipeId: string): StateReader {
  return {
    get: (subject) =>
      memo.get(memoKey.state(recipeId, subject), async () => {
        const [row] = await db
          .select({ value: recipeState.value })
          .from(recipeState)
          .where(
            and(
              eq(recipeState.shop, shop),
              eq(recipeState.recipeId, recipeId),
              eq(recipeState.subject, subject),
            ),
          );
        return row?.value;
      }),
    getMany: async (subjects) => {
      const found = new Map<string, Record<string, unknown>>();
      if (subjects.length === 0) return found;
      const rows = await db
        .select({ subject: recipeState.subject, value: recipeState.value })
        .from(recipeState)
        .where(
          and(
            eq(recipeState.shop, shop),
            eq(recipeState.recipeId, recipeId),
            inArray(recipeState.subject, subjects),
          ),
        );
      for (const row of rows) found.set(row.subject, row.value);
      return found;
    },
    matching: async (partial, { since, limit = 500 } = {}) => {
      const rows = await db
        .select()
        .from(recipeState)
        .where(
          and(
            eq(recipeState.shop, shop),
            eq(recipeState.recipeId, recipeId),
            sql`${recipeState.value} @> ${JSON.stringify(partial)}::jsonb`,
            since ? gte(recipeState.updatedAt, since) : undefined,
          ),
        )
        .orderBy(desc(recipeState.updatedAt))
        .limit(limit);
      return rows.map((r): StateRow => ({
        subject: r.subject,
        customerId: r.customerId,
        value: r.value,
        updatedAt: r.updatedAt,
      }));
    },
    of: (other) => recipeStateReader(db, shop, memo, other),
  };
}
