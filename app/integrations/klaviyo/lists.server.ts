import { and, eq, isNull, lt } from "drizzle-orm";
import { klaviyoLists } from "../../../db/schema/index";
import type { Db } from "../../db.server";
import { VendorRetryableError } from "../http.server";
import type { KlaviyoClient } from "./client.server";

/** A claim older than this is abandoned (its worker died) and may be taken over. */
const CLAIM_TTL_MS = 60_000;
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
  const deadline = Date.now() + WAIT_FOR_OTHER_MS;
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
    } else if (row.claimedAt.getTime() < Date.now() - CLAIM_TTL_MS) {
      claimed =
        (
          await db
            .update(klaviyoLists)
            .set({ claimedAt: new Date() })
            .where(
              and(
                eq(klaviyoLists.shop, shop),
                eq(klaviyoLists.name, name),
                isNull(klaviyoLists.listId),
                lt(klaviyoLists.claimedAt, new Date(Date.now() - CLAIM_TTL_MS)),
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
    if (Date.now() > deadline) {
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
