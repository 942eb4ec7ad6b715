import "../helpers/shopify";
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { privacyExports, recipeRuns, recipeState, recipeTouches } from "../../db/schema/index";
import { customerKey } from "../../app/recipes/engine/guards.server";
import {
  customersDataRequestPayload,
  customersRedactPayload,
  orderPayload,
  shopRedactPayload,
} from "../fixtures/shopify-payloads";
import { recipeKit } from "../helpers/recipes";
import { describeWithRuntime } from "../helpers/runtime";
import { deliver, waitFor } from "../helpers/webhooks";

const SHOP = "test-shop.myshopify.com";
const JANE = 7_001_002_003;
const OTHER = 7_999_000_123;

describeWithRuntime("recipe data and privacy webhooks", ({ runtime }) => {
  const kit = recipeKit(runtime, SHOP);
  const rows = async (customerId: number) => ({
    runs: (
      await kit
        .db()
        .select()
        .from(recipeRuns)
        .where(eq(recipeRuns.customerId, String(customerId)))
    ).length,
    touches: (
      await kit
        .db()
        .select()
        .from(recipeTouches)
        .where(eq(recipeTouches.customerId, String(customerId)))
    ).length,
    memory: (
      await kit
        .db()
        .select()
        .from(recipeState)
        .where(eq(recipeState.customerId, String(customerId)))
    ).length,
  });

  beforeAll(async () => {
    // VIP sync runs on every order (a first order is not VIP yet), filing a run under the customer.
    await kit.enable("vip-tier-sync");
    for (const [id, customerId, email] of [
      [5_812_345_678_901, JANE, "jane.doe@example.com"],
      [5_812_345_678_902, OTHER, "other@example.com"],
    ] as const) {
      const event = await kit.send(
        "orders/create",
        orderPayload({
          id,
          email,
          customer: { id: customerId, email, updated_at: "2026-11-20T10:00:00Z" },
        }),
      );
      await kit.runFor("vip-tier-sync", event.id);
      await kit
        .db()
        .insert(recipeTouches)
        .values({
          shop: SHOP,
          customerKey: customerKey({ id: String(customerId) })!,
          customerId: String(customerId),
          channel: "marketing",
          recipeId: "review-request-timing",
          actionKey: `touch-${customerId}`,
        });
      await kit
        .db()
        .insert(recipeState)
        .values({
          shop: SHOP,
          recipeId: "vip-tier-sync",
          subject: `customer:${customerId}`,
          customerId: String(customerId),
          value: { vip: true },
        });
    }
    // A guest's touch, keyed by the hash of their email.
    await kit
      .db()
      .insert(recipeTouches)
      .values({
        shop: SHOP,
        customerKey: customerKey({ email: "Jane.Doe@example.com" })!,
        channel: "marketing",
        recipeId: "review-request-timing",
        actionKey: "touch-guest-jane",
      });
  });

  it("exports the customer's recipe runs, touches and memory on customers/data_request", async () => {
    const event = await kit.send("customers/data_request", customersDataRequestPayload());
    const [exported] = await kit
      .db()
      .select()
      .from(privacyExports)
      .where(eq(privacyExports.webhookId, event.webhookId));
    const data = exported!.data as {
      recipes: {
        runs: { customerId: string }[];
        frequencyCapTouches: unknown[];
        memory: unknown[];
      };
    };
    expect(data.recipes.runs.map((r) => r.customerId)).toEqual([String(JANE)]);
    expect(data.recipes.frequencyCapTouches).toHaveLength(2);
    expect(data.recipes.memory).toHaveLength(1);
  });

  it("removes them on customers/redact, and only theirs", async () => {
    expect(await rows(JANE)).toEqual({ runs: 1, touches: 1, memory: 1 });
    await kit.send("customers/redact", customersRedactPayload());
    expect(await rows(JANE)).toEqual({ runs: 0, touches: 0, memory: 0 });
    expect(
      await kit
        .db()
        .select()
        .from(recipeTouches)
        .where(eq(recipeTouches.actionKey, "touch-guest-jane")),
    ).toEqual([]);
    expect(await rows(OTHER)).toEqual({ runs: 1, touches: 1, memory: 1 });
  });

  it("removes every recipe table's rows of the shop on shop/redact", async () => {
    // Its own webhook event goes too, so wait for the effect instead.
    expect(
      (await deliver("shop/redact", shopRedactPayload({ shop_domain: SHOP }), { shop: SHOP }))
        .status,
    ).toBe(200);
    await waitFor(
      async () =>
        (await runtime().database.executeSql(`select 1 from recipe_runs where shop = $1`, [SHOP]))
          .rows.length === 0,
    );
    for (const table of ["recipe_runs", "recipe_touches", "recipe_state", "recipe_settings"]) {
      const { rows: left } = await runtime().database.executeSql(
        `select count(*)::int as n from ${table} where shop = $1`,
        [SHOP],
      );
      expect(left[0].n, table).toBe(0);
    }
  });
});
