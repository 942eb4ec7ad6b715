import { realFetch } from "../helpers/real-fetch";
import "../helpers/shopify";
import { and, eq, like, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { deliveries } from "../../db/schema/index";
import { RetryableError } from "../../app/jobs/errors";
import { runReconciliation } from "../../app/jobs/tasks/reconcile-segments.server";
import { deliveryAttemptsFor } from "../../app/models/deliveries.server";
import { recordTicketState } from "../../app/models/gorgias-tickets.server";
import { deliveriesWithAttempts } from "../../app/models/recipe-activity.server";
import { saveRecipeConfig } from "../../app/models/recipe-settings.server";
import { engineServices } from "../../app/recipes/host.server";
import { openTicketSuppression } from "../../app/recipes/open-ticket-suppression/recipe";
import { switchRecipe } from "../../app/recipes/settings.server";
import { vipTierSync } from "../../app/recipes/vip-tier-sync/recipe";
import type { AnyRecipe } from "../../app/recipes/engine/define-recipe";
import { recipeKit } from "../helpers/recipes";
import { describeWithRuntime } from "../helpers/runtime";
import { DAY_MS, isoDate } from "../helpers/time";
import { KLAVIYO_KEYS, SHOP_B, withVendorFakes } from "../helpers/vendors";
import { waitFor } from "../helpers/webhooks";

void realFetch;
const fakes = withVendorFakes();

const VIPS = 250;
const OTHERS = 50;
const vipEmail = (i: number) => `vip-${String(i).padStart(3, "0")}@example.com`;

describeWithRuntime("segments kept by reconciliation", ({ runtime }) => {
  const kit = recipeKit(runtime);
  // Its own shop: the Klaviyo fake starts each test afresh (its list ids too), our records do not.
  const other = recipeKit(runtime, SHOP_B);

  /** Emails on a Klaviyo list of the shop's account in the fake. */
  const listMembers = (name: string, shop = kit.shop) => {
    const { klaviyo } = fakes();
    const key = KLAVIYO_KEYS[shop as keyof typeof KLAVIYO_KEYS];
    const state = klaviyo.accountState(key)!;
    const list = [...state.lists.values()].find((l) => l.name === name);
    return list
      ? klaviyo
          .listMemberIds(list.id, key)
          .map((id) => state.profiles.get(id)!.email!)
          .sort()
      : [];
  };
  const profileOf = (email: string, shop = kit.shop) =>
    fakes().klaviyo.findProfile({ email }, KLAVIYO_KEYS[shop as keyof typeof KLAVIYO_KEYS])!;

  /** Switches a recipe on as the merchant does, and waits for the reconciliation it starts. */
  async function switchOn(recipe: AnyRecipe, shopKit = kit) {
    const { database, queue, clock } = runtime();
    const result = await switchRecipe(
      database,
      queue,
      shopKit.shop,
      recipe,
      true,
      engineServices(database, queue),
      clock.now(),
    );
    expect(result).toMatchObject({ ok: true });
    return waitFor(
      async () => {
        const [row] = await shopKit
          .db()
          .select()
          .from(deliveries)
          .where(
            and(
              eq(deliveries.shop, shopKit.shop),
              eq(deliveries.recipe, recipe.id),
              eq(deliveries.operation, "klaviyo-list-reconcile"),
              like(deliveries.source, "reconcile/enabled/%"),
            ),
          );
        return row?.status === "succeeded" || row?.status === "dead" ? row : undefined;
      },
      { timeoutMs: 30_000 },
    );
  }

  /** The daily reconciliation of `recipe`, as its job runs it, `days` from now. */
  /** A daily reconciliation `days` ahead, run as its job would: again while another holds the lease. */
  const reconcile = async (recipe: AnyRecipe, days: number, shop = kit.shop) => {
    const at = new Date(runtime().clock.now().getTime() + days * DAY_MS);
    for (let attempt = 1; ; attempt++) {
      try {
        return await runReconciliation(
          { shop, recipe: recipe.id, trigger: `daily/${isoDate(at)}` },
          {
            database: runtime().database,
            clock: { now: () => at },
            attempt,
            signal: new AbortController().signal,
          },
          { pollIntervalMs: 5 },
        );
      } catch (error) {
        const busy = error instanceof RetryableError && /is running/.test(error.message);
        if (!busy || attempt >= 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };

  const callsOf = async (recipe: AnyRecipe, source: string) => {
    const [row] = await kit
      .db()
      .select()
      .from(deliveries)
      .where(
        and(
          eq(deliveries.shop, kit.shop),
          eq(deliveries.recipe, recipe.id),
          eq(deliveries.source, source),
        ),
      );
    return deliveryAttemptsFor(kit.db(), kit.shop, row!.id);
  };

  beforeAll(async () => {
    await kit.connect(["klaviyo", "gorgias"]);
    // A store with history: VIPS customers over $1,000 lifetime, OTHERS below, one without email.
    const now = runtime().clock.now().toISOString();
    await kit.db().execute(sql`
      insert into customers (shop, id, email, first_name, last_name, lifetime_spend, order_count, first_order_at, last_order_at)
      select ${kit.shop}, (8800000000 + i)::text::bigint, 'vip-' || lpad(i::text, 3, '0') || '@example.com',
             'Vip', 'Number ' || i, case when i <= ${VIPS} then 1500 else 200 end, 3,
             ${now}::timestamptz - interval '200 days', ${now}::timestamptz - interval '10 days'
      from generate_series(1, ${VIPS + OTHERS}) as i`);
    await kit.db().execute(sql`
      insert into customers (shop, id, email, lifetime_spend, order_count)
      values (${kit.shop}, 8899999999, null, 5000, 9)`);
  });

  it("switching VIP tier sync on puts the store's qualifying customers on the list in bulk, in a few requests Activity shows; after that only changes are sent, one reconciliation at a time", async () => {
    await saveRecipeConfig(kit.db(), kit.shop, vipTierSync.id, {
      minLifetimeSpend: 1000,
      minOrders: 0,
      listName: "VIP customers",
    });
    const run = await switchOn(vipTierSync);
    expect(run.status, run.lastError ?? "").toBe("succeeded");
    expect(listMembers("VIP customers")).toEqual(
      Array.from({ length: VIPS }, (_, i) => vipEmail(i + 1)),
    );
    const profile = profileOf(vipEmail(7));
    expect(profile.properties).toMatchObject({
      switchboard_vip: true,
      switchboard_lifetime_spend: 1500,
      switchboard_order_count: 3,
    });

    // One bulk import for 250 people, not 250 upserts: find/create the list, import, poll.
    const calls = await callsOf(vipTierSync, run.source);
    const operations = calls.map((c) => c.operation);
    expect(operations.filter((o) => o === "bulk-import")).toHaveLength(1);
    expect(operations).not.toContain("profile-import");
    expect(calls.length).toBeLessThanOrEqual(8);

    // Activity lists it among the deliveries, with what changed and every call.
    const shown = (
      await deliveriesWithAttempts(kit.db(), kit.shop, { recipe: vipTierSync.id })
    ).find((d) => d.source === run.source);
    expect(shown).toMatchObject({
      operation: "klaviyo-list-reconcile",
      status: "succeeded",
      response: { "VIP customers": `${VIPS} added, 0 removed, 0 unchanged` },
    });
    expect(shown!.calls).toHaveLength(calls.length);

    // The next day's reconciliation: nothing changed, nothing sent.
    const same = await reconcile(vipTierSync, 1);
    expect(same).toMatchObject({
      status: "reconciled",
      lists: [{ list: "VIP customers", added: 0, removed: 0, unchanged: VIPS }],
    });
    expect(
      await callsOf(
        vipTierSync,
        `reconcile/daily/${isoDate(new Date(runtime().clock.now().getTime() + DAY_MS))}`,
      ),
    ).toEqual([]);

    // Refunds bring 120 of them under $1,000.
    await kit.db().execute(sql`
      update customers set lifetime_spend = 400
      where shop = ${kit.shop} and id between 8800000001 and 8800000120`);
    const fell = await reconcile(vipTierSync, 2);
    expect(fell).toMatchObject({
      lists: [{ list: "VIP customers", added: 0, removed: 120, unchanged: VIPS - 120 }],
    });
    expect(listMembers("VIP customers")).toEqual(
      Array.from({ length: VIPS - 120 }, (_, i) => vipEmail(i + 121)),
    );
    expect(profileOf(vipEmail(1)).properties).toMatchObject({
      switchboard_vip: false,
    });
    // In bulk: one removal call for all 120.
    const removals = (
      await callsOf(
        vipTierSync,
        `reconcile/daily/${isoDate(new Date(runtime().clock.now().getTime() + 2 * DAY_MS))}`,
      )
    ).filter((c) => c.operation === "remove-list-members");
    expect(removals).toHaveLength(1);

    // The same job again (a retry after it succeeded) does nothing.
    expect(await reconcile(vipTierSync, 2)).toEqual({ status: "already-reconciled" });

    // Another reconciliation of the same lists is running: this one waits for it.
    await kit
      .db()
      .insert(deliveries)
      .values({
        shop: kit.shop,
        vendor: "klaviyo",
        operation: "klaviyo-list-reconcile",
        idempotencyKey: `reconcile-segments:${kit.shop}:${vipTierSync.id}/saved/1`,
        recipe: vipTierSync.id,
        source: "reconcile/saved/1",
        payload: { kind: "klaviyo-list-reconcile", lists: ["VIP customers"] },
      });
    const busy = await reconcile(vipTierSync, 3).catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(RetryableError);
    expect((busy as RetryableError).retryAfterSeconds).toBeGreaterThan(0);
    await kit
      .db()
      .update(deliveries)
      .set({ status: "succeeded" })
      .where(eq(deliveries.source, "reconcile/saved/1"));
    expect(await reconcile(vipTierSync, 3)).toMatchObject({ status: "reconciled" });
  });

  it("the open-ticket list reflects who has an open Gorgias ticket", async () => {
    await other.connect(["klaviyo", "gorgias"]);
    await kit.db().execute(sql`
      insert into customers (shop, id, email, first_name, lifetime_spend, order_count)
      select ${SHOP_B}, (8800000000 + i)::text::bigint, 'vip-' || i || '@example.com', 'Vip', 100, 1
      from generate_series(200, 202) as i`);
    const now = runtime().clock.now();
    const ticket = (ticketId: number, email: string, status: "open" | "closed") =>
      recordTicketState(kit.db(), SHOP_B, { ticketId, email, status, updatedAt: now });
    await ticket(71_001, vipEmail(200), "open");
    await ticket(71_002, "guest.with.question@example.com", "open");
    await ticket(71_003, vipEmail(201), "closed");
    await ticket(71_004, vipEmail(202), "open");
    await ticket(71_005, vipEmail(202), "open");

    const run = await switchOn(openTicketSuppression, other);
    expect(run.status, run.lastError ?? "").toBe("succeeded");
    expect(listMembers("Open support ticket", SHOP_B)).toEqual(
      ["guest.with.question@example.com", vipEmail(200), vipEmail(202)].sort(),
    );
    expect(profileOf(vipEmail(200), SHOP_B).properties).toMatchObject({
      switchboard_open_ticket: true,
    });
    // Connecting Gorgias started its ticket import, which reconciles the list in the background
    // when it finishes; let it (and any reconciliation it queued) finish first, or under load
    // it can apply the closures below before the reconciliation this test runs.
    await waitFor(
      async () => {
        const { rows } = await runtime().database.executeSql(
          `select (select count(*) from gorgias_ticket_imports where shop = $1 and status = 'running')
                + (select count(*) from pgboss.job where name in ('import-gorgias-tickets', 'reconcile-segments')
                     and state in ('created', 'retry', 'active') and data->>'shop' = $1) as busy`,
          [SHOP_B],
        );
        return Number(rows[0]?.busy) === 0 ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );

    // The guest's ticket closes; one of two of the VIP's does: only the guest leaves.
    await recordTicketState(kit.db(), SHOP_B, {
      ticketId: 71_002,
      email: "guest.with.question@example.com",
      status: "closed",
      updatedAt: new Date(now.getTime() + 60_000),
    });
    await recordTicketState(kit.db(), SHOP_B, {
      ticketId: 71_004,
      email: vipEmail(202),
      status: "closed",
      updatedAt: new Date(now.getTime() + 60_000),
    });
    const after = await reconcile(openTicketSuppression, 1, SHOP_B);
    expect(after).toMatchObject({
      lists: [{ list: "Open support ticket", added: 0, removed: 1, unchanged: 2 }],
    });
    expect(listMembers("Open support ticket", SHOP_B)).toEqual([vipEmail(200), vipEmail(202)]);
    expect(profileOf("guest.with.question@example.com", SHOP_B).properties).toMatchObject({
      switchboard_open_ticket: false,
    });
  });
});
