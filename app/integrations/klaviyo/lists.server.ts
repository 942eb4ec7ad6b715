import { and, eq, isNull, sql } from "drizzle-orm";
import { klaviyoLists } from "../../../db/schema/index";
import type { Db } from "../../db.server";
import { VendorRetryableError } from "../http.server";
import type { KlaviyoClient } from "./client.server";

/**
 * A claim older than this is abandoned (its worker died) and may be taken over. Claims are
 * stamped and aged by the database's clock alone, so workers whose clocks disagree by a few
 * seconds never both take one over.
 */
const CLAIM_TTL_SECONDS = 60;
const WAIT_FOR_OTHER_MS = 5_000;

/**
 * The Klaviyo list id for a name, found or created once per shop. Concurrent jobs coordinate
 * through a claim row in `klaviyo_lists`: one creates the list, the others wait for its id, so
 * Klaviyo never gets two lists with the same name from us (list creation is also 150/day).
 * No database lock is held across the HTTP calls.
 */
export async function ensureKlaviyoList(
  db: Db,
  client: KlaviyoClient,
  shop: string,
  name: string,
): Promise<string> {
  const deadline = performance.now() + WAIT_FOR_OTHER_MS;
  for (;;) {
    const [row] = await db
      .select()
      .from(klaviyoLists)
      .where(and(eq(klaviyoLists.shop, shop), eq(klaviyoLists.name, name)));
    if (row?.listId) return row.listId;
    let claimed = false;
    if (!row) {
      claimed =
        (
          await db
            .insert(klaviyoLists)
            .values({ shop, name })
            .onConflictDoNothing()
            .returning({ name: klaviyoLists.name })
        ).length > 0;
    } else {
      claimed =
        (
          await db
            .update(klaviyoLists)
            .set({ claimedAt: sql`now()` })
            .where(
              and(
                eq(klaviyoLists.shop, shop),
                eq(klaviyoLists.name, name),
                isNull(klaviyoLists.listId),
                sql`${klaviyoLists.claimedAt} < now() - make_interval(secs => ${CLAIM_TTL_SECONDS})`,
              ),
            )
            .returning({ name: klaviyoLists.name })
        ).length > 0;
    }
    if (claimed) {
      try {
        const list = await client.findOrCreateList(name);
        await db
          .update(klaviyoLists)
          .set({ listId: list.id })
          .where(and(eq(klaviyoLists.shop, shop), eq(klaviyoLists.name, name)));
        return list.id;
      } catch (error) {
        // Let another attempt try; a timeout may have created the list, which findOrCreate then finds.
        await db
          .delete(klaviyoLists)
          .where(
            and(
              eq(klaviyoLists.shop, shop),
              eq(klaviyoLists.name, name),
              isNull(klaviyoLists.listId),
            ),
          );
        throw error;
      }
    }
    if (performance.now() > deadline) {
      throw new VendorRetryableError(
        {
          vendor: "klaviyo",
          operation: "create-list",
          failure: "rate-limited",
          status: null,
          detail: `another job is still creating the list "${name}"`,
        },
        2,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The cached list id for a name, without creating anything. */
export async function cachedKlaviyoListId(
  db: Db,
  shop: string,
  name: string,
): Promise<string | null> {
  const [row] = await db
    .select()
    .from(klaviyoLists)
    .where(and(eq(klaviyoLists.shop, shop), eq(klaviyoLists.name, name)));
  return row?.listId ?? null;
}

/** The list was deleted in Klaviyo: forget its id so the next attempt finds or creates it again. */
export async function forgetKlaviyoList(db: Db, shop: string, listId: string): Promise<void> {
  await db
    .delete(klaviyoLists)
    .where(and(eq(klaviyoLists.shop, shop), eq(klaviyoLists.listId, listId)));
}
