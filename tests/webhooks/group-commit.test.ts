import { inArray, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { webhookEvents } from "../../db/schema/index";
import { SHOP, orderPayload } from "../fixtures/shopify-payloads";
import { describeWithRuntime } from "../helpers/runtime";
import { deliver } from "../helpers/webhooks";

/**
 * Acks share transactions when webhooks arrive together (one commit acknowledges many), and a
 * webhook at a quiet time gets its own. Rows written by one transaction share its xmin.
 */
describeWithRuntime(
  "webhook ingest: group commit",
  ({ runtime }) => {
    const transactionsOf = async (webhookIds: string[]) => {
      const rows = await runtime()
        .database.db.select({
          transactions: sql<number>`count(distinct ${webhookEvents}.xmin::text)::int`,
        })
        .from(webhookEvents)
        .where(inArray(webhookEvents.webhookId, webhookIds));
      return rows[0]!.transactions;
    };

    it("a burst of deliveries is stored in two transactions, each answered once its own is committed; a repeat in the burst is a duplicate", async () => {
      const ids = Array.from({ length: 20 }, (_, i) => `wh-group-${i}`);
      const answers = await Promise.all([
        ...ids.map((webhookId, i) =>
          deliver("orders/create", orderPayload({ id: 6_300_000_000 + i, name: `#G${i}` }), {
            webhookId,
          }),
        ),
        deliver("orders/create", orderPayload({ id: 6_300_000_000, name: "#G0" }), {
          webhookId: ids[0],
        }),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual(Array(21).fill(200));
      const stored = await runtime()
        .database.db.select({ webhookId: webhookEvents.webhookId })
        .from(webhookEvents)
        .where(inArray(webhookEvents.webhookId, ids));
      expect(stored.map((row) => row.webhookId).sort()).toEqual([...ids].sort());
      // The first at once (nothing was in flight), the other nineteen and the repeat together.
      expect(await transactionsOf(ids)).toBe(2);
    });

    it("deliveries one after another at a quiet time are each their own transaction", async () => {
      const ids = ["wh-quiet-1", "wh-quiet-2", "wh-quiet-3"];
      for (const [i, webhookId] of ids.entries()) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(
          (
            await deliver(
              "orders/create",
              orderPayload({ id: 6_310_000_000 + i, name: `#Q${i}` }),
              { webhookId, shop: SHOP },
            )
          ).status,
        ).toBe(200);
      }
      expect(await transactionsOf(ids)).toBe(3);
    });
  },
  { workers: false },
);
