import { realFetch } from "../../../tests/helpers/real-fetch";
import "../../../tests/helpers/shopify";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { beforeAll, expect, it } from "vitest";
import { recipeRuns, recipeState } from "../../../db/schema/index";
import { runRecipes } from "../../jobs/tasks/run-recipes.server";
import { disconnect } from "../../integrations/connections.server";
import { saveRecipeConfig, setRecipeEnabled } from "../../models/recipe-settings.server";
import { drizzleExecuteSql } from "../../utils/drizzle-execute-sql.server";
import { klaviyoEvent } from "../actions";
import { engineServices } from "../host.server";
import { orderSchema } from "../../webhooks/payloads";
import { orderPayload } from "../../../tests/fixtures/shopify-payloads";
import { recipeKit } from "../../../tests/helpers/recipes";
import { describeWithRuntime } from "../../../tests/helpers/runtime";
import { withVendorFakes } from "../../../tests/helpers/vendors";
import { after, DAY_MS } from "../../../tests/helpers/time";
import { waitFor } from "../../../tests/helpers/webhooks";
import { dropStaleHeldWork, heldWork, releaseHeldWork } from "../held-work.server";
import { defineRecipe, type RecipeEvent } from "./define-recipe";
import { runRecipesOnEvent } from "./run-recipes.server";

void realFetch;
const fakes = withVendorFakes();

let failuresLeft = 0;
/** A recipe for these tests only: thanks each order's customer, failing the first time if asked to. */
const thankYou = defineRecipe({
  id: "engine-test-thank-you",
  title: "Engine test",
  summary: "",
  fr: { title: "Test du moteur", summary: "" },
  requires: ["klaviyo"],
  triggers: [{ type: "webhook", topics: ["orders/create"] }],
  configSchema: z.object({
    metric: z.string().min(1).default("Thank You"),
    flaky: z.boolean().default(false),
  }),
  describe: () => "",
  async run(event, ctx, config) {
    if (event.type !== "webhook" || event.topic !== "orders/create") return null;
    if (config.flaky && failuresLeft-- > 0) throw new Error("Klaviyo's status page says degraded");
    const order = (await ctx.order(event.data.id))!;
    return {
      subject: { label: `Order ${order.name}`, orderId: order.id, customerId: order.customerId },
      actions: [
        klaviyoEvent(
          {
            source: `order/${order.id}`,
            channel: "service",
            customer: { id: order.customerId, email: order.email },
            summary: `Thank ${order.name}`,
          },
          { metric: config.metric, profile: { email: order.email! } },
        ),
      ],
      state: [
        { subject: `order:${order.id}`, customerId: order.customerId, value: { thanked: true } },
      ],
    };
  },
});

describeWithRuntime("recipe engine", ({ runtime }) => {
  const kit = recipeKit(runtime);
  const services = () => ({
    ...engineServices(runtime().database, runtime().queue),
    recipes: [thankYou],
  });
  const eventFor = async (payload: Record<string, unknown>): Promise<RecipeEvent> => {
    const event = await kit.send("orders/create", payload);
    return {
      type: "webhook",
      topic: "orders/create",
      eventId: event.id,
      data: orderSchema.parse(payload),
    } as RecipeEvent;
  };

  const settleEarlierDeliveries = async () =>
    kit.settled((await kit.deliveries()).map((d) => d.idempotencyKey));

  beforeAll(async () => {
    await kit.connect(["klaviyo"]);
    await saveRecipeConfig(kit.db(), kit.shop, thankYou.id, {});
    await setRecipeEnabled(kit.db(), kit.shop, thankYou.id, true);
  });

  it("records a run with its actions, and evaluating the same event again requests nothing new", async () => {
    const event = await eventFor(orderPayload({ id: 6_600_000_001, name: "#6601" }));
    const first = await runRecipesOnEvent(runtime().database, kit.shop, event, services(), {
      now: runtime().clock.now(),
    });
    expect(first.evaluations.map((e) => [e.outcome, e.actions.map((a) => a.status)])).toEqual([
      ["acted", ["requested"]],
    ]);
    const key = first.evaluations[0]!.actions[0]!.key;
    expect(key).toBe(
      `deliver-klaviyo:${kit.shop}:engine-test-thank-you:order/6600000001:klaviyo-event:Thank You`,
    );
    const second = await runRecipesOnEvent(runtime().database, kit.shop, event, services(), {
      now: runtime().clock.now(),
    });
    expect(second.evaluations[0]!.actions.map((a) => a.status)).toEqual(["already-requested"]);
    expect(
      (await kit.deliveries("engine-test-thank-you")).filter((d) => d.idempotencyKey === key),
    ).toHaveLength(1);
    const runs = await kit
      .db()
      .select()
      .from(recipeRuns)
      .where(eq(recipeRuns.recipeId, thankYou.id));
    expect(runs.map((r) => [r.eventKey, r.outcome, r.actions[0]!.status])).toEqual([
      [`webhook/${event.type === "webhook" ? event.eventId : 0}`, "acted", "requested"],
    ]);
    expect(runs[0]!.durationMs).toBeGreaterThan(0);
  });

  it("records a failed run and replaces it with the retry's outcome", async () => {
    failuresLeft = 1;
    await saveRecipeConfig(kit.db(), kit.shop, thankYou.id, { flaky: true });
    const event = await eventFor(orderPayload({ id: 6_600_000_002, name: "#6602" }));
    const failed = await runRecipesOnEvent(runtime().database, kit.shop, event, services(), {
      now: runtime().clock.now(),
    });
    expect(failed.retryable.map((e) => e.error?.message)).toEqual([
      "Klaviyo's status page says degraded",
    ]);
    const [row] = await kit
      .db()
      .select()
      .from(recipeRuns)
      .where(eq(recipeRuns.orderId, "6600000002"));
    expect(row).toMatchObject({
      outcome: "failed",
      reasons: ["the recipe failed: Klaviyo's status page says degraded"],
    });
    await runRecipesOnEvent(runtime().database, kit.shop, event, services(), {
      now: runtime().clock.now(),
    });
    const rows = await kit
      .db()
      .select()
      .from(recipeRuns)
      .where(eq(recipeRuns.orderId, "6600000002"));
    expect(rows.map((r) => r.outcome)).toEqual(["acted"]);
    await saveRecipeConfig(kit.db(), kit.shop, thankYou.id, {});
  });

  it("holds an action while its integration is not connected, and delivers it exactly once when it is connected again", async () => {
    await saveRecipeConfig(kit.db(), kit.shop, thankYou.id, { metric: "Held thanks" });
    const sent = () =>
      [...fakes().klaviyo.state.events, ...fakes().klaviyo.state.duplicateEvents].filter(
        (e) => e.metricName === "Held thanks",
      );
    const event = await eventFor(orderPayload({ id: 6_600_000_003, name: "#6603" }));
    // The earlier tests' deliveries run on the worker: sent before Klaviyo goes, or they
    // would be held too and released with this one.
    await settleEarlierDeliveries();
    await disconnect(kit.db(), kit.shop, "klaviyo");
    const held = await runRecipesOnEvent(runtime().database, kit.shop, event, services(), {
      now: runtime().clock.now(),
    });
    expect(
      held.evaluations.map((e) => [e.outcome, e.reasons, e.actions.map((a) => a.status)]),
    ).toEqual([["waiting", ["Waiting for Klaviyo to be connected"], ["waiting"]]]);
    const key = held.evaluations[0]!.actions[0]!.key;
    const delivery = async () =>
      (await kit.deliveries(thankYou.id)).filter((d) => d.idempotencyKey === key);
    expect((await delivery()).map((d) => [d.status, d.attempts])).toEqual([["waiting", 0]]);
    // The event again (a retried job, a replayed webhook) holds nothing new.
    const replayed = await runRecipesOnEvent(runtime().database, kit.shop, event, services(), {
      now: runtime().clock.now(),
    });
    expect(replayed.evaluations[0]!.actions.map((a) => a.status)).toEqual(["already-requested"]);
    expect(await delivery()).toHaveLength(1);

    await kit.connect(["klaviyo"]);
    const now = runtime().clock.now();
    expect(
      await releaseHeldWork(runtime().database, runtime().queue, kit.shop, "klaviyo", now),
    ).toEqual({ delivered: 1, dropped: 0 });
    // Reconnecting twice (or two tabs at once) sends it once.
    expect(
      await releaseHeldWork(runtime().database, runtime().queue, kit.shop, "klaviyo", now),
    ).toEqual({ delivered: 0, dropped: 0 });
    const [done] = await kit.settled([key]);
    expect(done!.status).toBe("succeeded");
    expect(sent()).toHaveLength(1);
    // Activity's run now says it acted.
    const [run] = await kit
      .db()
      .select()
      .from(recipeRuns)
      .where(eq(recipeRuns.orderId, "6600000003"));
    expect([run!.outcome, run!.reasons, run!.actions.map((a) => a.status)]).toEqual([
      "acted",
      [],
      ["requested"],
    ]);
    await saveRecipeConfig(kit.db(), kit.shop, thankYou.id, {});
  });

  it("drops held work that waited more than 7 days, with the reason, instead of sending it late", async () => {
    await saveRecipeConfig(kit.db(), kit.shop, thankYou.id, { metric: "Late thanks" });
    const now = runtime().clock.now();
    await settleEarlierDeliveries();
    await disconnect(kit.db(), kit.shop, "klaviyo");
    const stale = await eventFor(orderPayload({ id: 6_600_000_005, name: "#6605" }));
    const fresh = await eventFor(orderPayload({ id: 6_600_000_006, name: "#6606" }));
    const [old] = (
      await runRecipesOnEvent(runtime().database, kit.shop, stale, services(), {
        now: after(now, -8 * DAY_MS),
      })
    ).evaluations;
    const [recent] = (
      await runRecipesOnEvent(runtime().database, kit.shop, fresh, services(), {
        now: after(now, -6 * DAY_MS),
      })
    ).evaluations;
    expect([old!.outcome, recent!.outcome]).toEqual(["waiting", "waiting"]);

    await kit.connect(["klaviyo"]);
    expect(
      await releaseHeldWork(runtime().database, runtime().queue, kit.shop, "klaviyo", now),
    ).toEqual({ delivered: 1, dropped: 1 });
    const keys = [old!.actions[0]!.key, recent!.actions[0]!.key];
    const settled = await kit.settled(keys);
    const byKey = new Map(settled.map((d) => [d.idempotencyKey, d]));
    expect(byKey.get(keys[0]!)).toMatchObject({
      status: "dropped",
      attempts: 0,
      lastError: "Dropped: waited more than 7 days for Klaviyo to be connected",
    });
    expect(byKey.get(keys[1]!)!.status).toBe("succeeded");
    expect(fakes().klaviyo.state.events.filter((e) => e.metricName === "Late thanks")).toHaveLength(
      1,
    );
    const [run] = await kit
      .db()
      .select()
      .from(recipeRuns)
      .where(eq(recipeRuns.orderId, "6600000005"));
    expect([run!.outcome, run!.reasons, run!.actions.map((a) => a.status)]).toEqual([
      "blocked",
      ["Dropped: waited more than 7 days for Klaviyo to be connected"],
      ["dropped"],
    ]);
    await saveRecipeConfig(kit.db(), kit.shop, thankYou.id, {});
  });

  it("drops stale held work in the daily purge too, without waiting for a reconnect", async () => {
    await saveRecipeConfig(kit.db(), kit.shop, thankYou.id, { metric: "Forgotten thanks" });
    const now = runtime().clock.now();
    await settleEarlierDeliveries();
    await disconnect(kit.db(), kit.shop, "klaviyo");
    const event = await eventFor(orderPayload({ id: 6_600_000_007, name: "#6607" }));
    const [held] = (
      await runRecipesOnEvent(runtime().database, kit.shop, event, services(), {
        now: after(now, -10 * DAY_MS),
      })
    ).evaluations;
    expect(await heldWork(runtime().database, kit.shop, now)).toEqual([]);
    expect(await dropStaleHeldWork(runtime().database, kit.shop, now)).toBe(1);
    expect(await dropStaleHeldWork(runtime().database, kit.shop, now)).toBe(0);
    const [row] = (await kit.deliveries(thankYou.id)).filter(
      (d) => d.idempotencyKey === held!.actions[0]!.key,
    );
    expect([row!.status, row!.lastError]).toEqual([
      "dropped",
      "Dropped: waited more than 7 days for Klaviyo to be connected",
    ]);
    await kit.connect(["klaviyo"]);
    expect(
      await releaseHeldWork(runtime().database, runtime().queue, kit.shop, "klaviyo", now),
    ).toEqual({ delivered: 0, dropped: 0 });
    await saveRecipeConfig(kit.db(), kit.shop, thankYou.id, {});
  });

  it("fails a run whose saved settings no longer parse, without retrying", async () => {
    await saveRecipeConfig(kit.db(), kit.shop, thankYou.id, { metric: "" });
    const other = await eventFor(orderPayload({ id: 6_600_000_004, name: "#6604" }));
    const broken = await runRecipesOnEvent(runtime().database, kit.shop, other, services(), {
      now: runtime().clock.now(),
    });
    expect(broken.evaluations[0]!.outcome).toBe("failed");
    expect(broken.evaluations[0]!.reasons[0]).toMatch(
      /its settings are no longer valid \(metric: .*\); open the recipe and save them again/,
    );
    expect(broken.retryable).toEqual([]);
    await saveRecipeConfig(kit.db(), kit.shop, thankYou.id, {});
  });

  it("commits the state it was given only with the transaction (raw SQL joins a Drizzle transaction)", async () => {
    await expect(
      kit.db().transaction(async (tx) => {
        await drizzleExecuteSql(tx as never)(
          `insert into recipe_state (shop, recipe_id, subject, value) values ($1, $2, $3, $4::jsonb)`,
          [kit.shop, "x", "rolled-back", JSON.stringify({ a: "it's $1" })],
        );
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(
      await kit.db().select().from(recipeState).where(eq(recipeState.subject, "rolled-back")),
    ).toEqual([]);
    const { rows } = await drizzleExecuteSql(kit.db())(
      `select $1::int + $2::int as n, $3::text as t`,
      [2, 3, "$2"],
    );
    expect(rows).toEqual([{ n: 5, t: "$2" }]);
  });

  it("records a follow-up that comes due after its recipe was switched off", async () => {
    await setRecipeEnabled(kit.db(), kit.shop, "review-request-timing", false);
    await runtime().queue.enqueue(runRecipes, {
      type: "follow-up",
      shop: kit.shop,
      recipe: "review-request-timing",
      name: "review-request",
      subject: "order/6600000001",
      dueAt: runtime().clock.now().toISOString(),
      data: { orderId: "6600000001" },
    });
    const run = await waitFor(
      async () =>
        (
          await kit
            .db()
            .select()
            .from(recipeRuns)
            .where(eq(recipeRuns.recipeId, "review-request-timing"))
        )[0],
    );
    expect(run).toMatchObject({
      outcome: "skipped",
      trigger: "follow-up:review-request",
      reasons: ["the recipe was switched off after this was scheduled"],
    });
  });
});
