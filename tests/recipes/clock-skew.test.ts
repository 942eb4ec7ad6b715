import { realFetch } from "../helpers/real-fetch";
import "../helpers/shopify";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { deliveries, recipeRuns, recipeTouches } from "../../db/schema/index";
import type { TaskHelpers } from "../../app/jobs/define-task";
import type { RunRecipesPayload } from "../../app/jobs/contracts";
import { runRecipes } from "../../app/jobs/tasks/run-recipes.server";
import { DAILY_SCAN_LOCAL_HOUR } from "../../app/recipes/hand-off.server";
import type { Clock } from "../../app/utils/clock";
import { deliveredOrder } from "../../app/recipes/review-request-timing/fixtures/fulfillment_events-create";
import { recipeKit } from "../helpers/recipes";
import { describeWithRuntime } from "../helpers/runtime";
import { after, DAY_MS, isoDate, skewedClock } from "../helpers/time";
import { withVendorFakes } from "../helpers/vendors";

void realFetch;
withVendorFakes();

/**
 * The job queue starts scheduled work by the database's clock; the worker that runs it reads
 * its own. A server a few seconds off from the database must neither skip nor double-send.
 */
describeWithRuntime(
  "scheduled work on a server whose clock is off from the database's",
  ({ runtime }) => {
    const kit = recipeKit(runtime);

    beforeAll(async () => {
      await kit.connect(["klaviyo"]);
      await kit.enable("review-request-timing", { daysAfterDelivery: 7, holdDays: 3 });
      await kit.enable("win-back-segments");
    });

    /** Runs a run-recipes job the way a worker with this clock would. */
    async function runAs(clock: Clock, payload: RunRecipesPayload) {
      const helpers: TaskHelpers = {
        database: runtime().database,
        clock,
        queue: runtime().queue,
        jobId: "clock-skew-test",
        shopJobs: async () => 0,
        forgetFinishedJob: async () => "gone",
        attempt: 1,
        signal: new AbortController().signal,
      };
      await runRecipes.run(runRecipes.payloadSchema.parse(payload), helpers);
    }

    it("a follow-up due now, run by a server 5 s behind, sends (a touch from 24 h before no longer counts) and only once", async () => {
      const customer = { id: 7_600_000_001, email: "kai.skew@example.com" };
      const due = runtime().clock.now();
      const order = deliveredOrder(31, customer, after(due, -7 * DAY_MS));
      await kit.send("orders/create", order.ordersCreate);
      // The last marketing message went out exactly one cap window (24 h) before this one is due.
      await kit
        .db()
        .insert(recipeTouches)
        .values({
          shop: kit.shop,
          customerKey: `id:${customer.id}`,
          customerId: String(customer.id),
          channel: "marketing",
          recipeId: "replenishment-reminder",
          actionKey: "clock-skew-earlier",
          at: after(due, -DAY_MS),
        });
      const followUp: RunRecipesPayload = {
        type: "follow-up",
        shop: kit.shop,
        recipe: "review-request-timing",
        name: "review-request",
        subject: `order/${order.orderId}`,
        dueAt: due.toISOString(),
        data: { orderId: String(order.orderId), firstDueAt: due.toISOString() },
      };

      await runAs(skewedClock(-5_000), followUp);
      // The same job again on a server 5 s ahead (a lease expired mid-run): nothing new.
      await runAs(skewedClock(5_000), followUp);

      const runs = await kit
        .db()
        .select()
        .from(recipeRuns)
        .where(
          and(
            eq(recipeRuns.shop, kit.shop),
            eq(recipeRuns.orderId, String(order.orderId)),
            eq(recipeRuns.recipeId, "review-request-timing"),
          ),
        );
      expect(runs.map((r) => [r.trigger, r.outcome])).toEqual([
        ["follow-up:review-request", "acted"],
      ]);
      // The run is dated no earlier than it was due, although the worker's clock said 5 s before.
      expect(runs[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(due.getTime());
      const requested = await kit
        .db()
        .select()
        .from(deliveries)
        .where(
          and(
            eq(deliveries.shop, kit.shop),
            eq(deliveries.recipe, "review-request-timing"),
            sql`${deliveries.idempotencyKey} like ${`%order/${order.orderId}/review%`}`,
          ),
        );
      expect(requested).toHaveLength(1);
      const touches = await kit
        .db()
        .select()
        .from(recipeTouches)
        .where(
          and(eq(recipeTouches.shop, kit.shop), eq(recipeTouches.customerId, String(customer.id))),
        );
      expect(touches).toHaveLength(2);
    });

    it("a daily scan schedules the next day's exactly once, whichever side of midnight the server's clock is on", async () => {
      const today = isoDate(runtime().clock.now());
      const tomorrow = isoDate(after(runtime().clock.now(), DAY_MS));
      // The scan of today, run by two servers whose clocks straddle midnight by seconds.
      const lastSecond = new Date(`${today}T23:59:58Z`);
      await runAs({ now: () => lastSecond }, { type: "daily", shop: kit.shop, date: today });
      await runAs(
        { now: () => after(lastSecond, 5_000) },
        { type: "daily", shop: kit.shop, date: today },
      );
      const { rows } = await runtime().database.executeSql(
        `select data->>'date' as date, start_after from pgboss.job where name = 'run-recipes' and state = 'created' and data->>'type' = 'daily' and data->>'shop' = $1 order by start_after`,
        [kit.shop],
      );
      expect(rows.map((r) => [r.date, new Date(r.start_after).toISOString()])).toEqual([
        [tomorrow, `${tomorrow}T0${DAILY_SCAN_LOCAL_HOUR}:00:00.000Z`],
      ]);
    });
  },
);
