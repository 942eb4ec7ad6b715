import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, expect, it } from "vitest";
import { klaviyoListMembers, klaviyoLists } from "../../db/schema/index";
import { connectKlaviyo } from "../../app/integrations/connections.server";
import { VendorRetryableError } from "../../app/integrations/http.server";
import {
  syncSegmentForShop,
  type SegmentMember,
} from "../../app/integrations/klaviyo/segment-sync.server";
import { describeEachDatabase } from "../helpers/database";
import { KLAVIYO_KEYS, SHOP_A, withVendorFakes } from "../helpers/vendors";

const fakes = withVendorFakes({ klaviyo: { importJobDelayMs: 20 } });
const LIST = "Switchboard win-back 90 days";
const fast = { pollIntervalMs: 30 };
const people = (from: number, to: number): SegmentMember[] =>
  Array.from({ length: to - from }, (_, i) => ({ email: `Customer-${from + i}@Example.com` }));

/** Requests that change something in Klaviyo. */
const writes = () => fakes().klaviyo.received.filter((r) => r.method !== "GET");

describeEachDatabase("Klaviyo segment sync", ({ use: testDatabase }) => {
  const db = () => testDatabase().database.db;
  const memberEmails = () => {
    const { klaviyo } = fakes();
    const [list] = [...klaviyo.state.lists.values()];
    return klaviyo
      .listMemberIds(list!.id)
      .map((id) => klaviyo.state.profiles.get(id)!.email)
      .sort();
  };

  beforeAll(async () => {
    expect(await connectKlaviyo(db(), SHOP_A, KLAVIYO_KEYS[SHOP_A])).toMatchObject({ ok: true });
  });
  beforeEach(async () => {
    await db().delete(klaviyoLists);
    await db().delete(klaviyoListMembers);
  });

  it("makes a list equal a small set, then sends only the difference", async () => {
    const first = await syncSegmentForShop(
      db(),
      { shop: SHOP_A, list: LIST, members: people(0, 5) },
      fast,
    );
    expect(first).toMatchObject({
      added: 5,
      removed: 0,
      unchanged: 0,
      failed: [],
      bulkImportJobs: 0,
    });
    expect(memberEmails()).toEqual(
      people(0, 5)
        .map((p) => p.email.toLowerCase())
        .sort(),
    );
    expect(writes().map((r) => r.path)).toEqual([
      "/api/lists",
      ...Array(5).fill("/api/profile-import"),
      `/api/lists/${first.listId}/relationships/profiles`,
    ]);

    const before = writes().length;
    const again = await syncSegmentForShop(
      db(),
      { shop: SHOP_A, list: LIST, members: people(0, 5) },
      fast,
    );
    expect(again).toMatchObject({ added: 0, removed: 0, unchanged: 5 });
    expect(writes().length).toBe(before);

    const changed = await syncSegmentForShop(
      db(),
      { shop: SHOP_A, list: LIST, members: [...people(2, 5), ...people(5, 6)] },
      fast,
    );
    expect(changed).toMatchObject({ added: 1, removed: 2, unchanged: 3 });
    expect(
      writes()
        .slice(before)
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual([
      "POST /api/profile-import",
      `POST /api/lists/${first.listId}/relationships/profiles`,
      `DELETE /api/lists/${first.listId}/relationships/profiles`,
    ]);
    expect(memberEmails()).toEqual(
      people(2, 6)
        .map((p) => p.email.toLowerCase())
        .sort(),
    );
  });

  it("uses bulk import jobs for a large set, and removes with ≤ 1,000-id calls", async () => {
    const result = await syncSegmentForShop(
      db(),
      { shop: SHOP_A, list: LIST, members: people(0, 2_500) },
      fast,
    );
    expect(result).toMatchObject({ added: 2_500, bulkImportJobs: 1, failed: [] });
    expect(memberEmails()).toHaveLength(2_500);
    expect(writes().map((r) => r.path)).toEqual(["/api/lists", "/api/profile-bulk-import-jobs"]);

    const before = fakes().klaviyo.received.length;
    const shrunk = await syncSegmentForShop(
      db(),
      { shop: SHOP_A, list: LIST, members: people(0, 1_300) },
      fast,
    );
    expect(shrunk).toMatchObject({ added: 0, removed: 1_200 });
    const calls = fakes().klaviyo.received.slice(before);
    // 1,200 ids never learnt from the bulk job: looked up 100 emails at a time, removed 1,000 at a time.
    expect(calls.filter((r) => r.path === "/api/profiles")).toHaveLength(12);
    expect(
      calls
        .filter((r) => r.method === "DELETE")
        .map((r) => (r.body as { data: unknown[] }).data.length),
    ).toEqual([1_000, 200]);
    expect(memberEmails()).toHaveLength(1_300);
    const rows = await db()
      .select()
      .from(klaviyoListMembers)
      .where(
        and(eq(klaviyoListMembers.shop, SHOP_A), eq(klaviyoListMembers.listId, result.listId)),
      );
    expect(rows).toHaveLength(1_300);
  });

  it("reports profiles Klaviyo rejects and syncs the rest; the next run tries them again", async () => {
    const members = [
      ...people(0, 150),
      { email: "big@example.com", properties: { notes: "x".repeat(100_001) } },
    ];
    const result = await syncSegmentForShop(
      db(),
      { shop: SHOP_A, list: LIST, members: [...members, { email: "not an email" }] },
      fast,
    );
    expect(result.added).toBe(150);
    expect(result.failed).toEqual([
      { email: "not an email", detail: "not an email address" },
      { email: "big@example.com", detail: expect.stringContaining("100000 bytes") },
    ]);
    const retry = await syncSegmentForShop(
      db(),
      { shop: SHOP_A, list: LIST, members },
      { ...fast, bulkThreshold: 1 },
    );
    expect(retry).toMatchObject({ added: 0, unchanged: 150, bulkImportJobs: 1 });
    expect(retry.failed.map((f) => f.email)).toEqual(["big@example.com"]);
  });

  it("rebuilds a list someone deleted in Klaviyo", async () => {
    const { klaviyo } = fakes();
    const first = await syncSegmentForShop(
      db(),
      { shop: SHOP_A, list: LIST, members: people(0, 3) },
      fast,
    );
    klaviyo.state.lists.delete(first.listId);
    const failed = await syncSegmentForShop(
      db(),
      { shop: SHOP_A, list: LIST, members: people(0, 4) },
      fast,
    ).catch((e) => e);
    expect(failed).toBeInstanceOf(VendorRetryableError);
    expect(failed.message).toContain("no longer exists in Klaviyo");
    const rebuilt = await syncSegmentForShop(
      db(),
      { shop: SHOP_A, list: LIST, members: people(0, 4) },
      fast,
    );
    expect(rebuilt.listId).not.toBe(first.listId);
    expect(rebuilt.added).toBe(4);
    expect(klaviyo.listMemberIds(rebuilt.listId)).toHaveLength(4);
  });
});
