import { realFetch } from "../helpers/real-fetch";
import "../helpers/shopify";
import { expect, it } from "vitest";
import type { Database } from "../../app/db.server";
import { computeGapReport } from "../../app/models/gap-report/gap-report.server";
import type { GapReport, Measure } from "../../app/models/gap-report/types";
import { describeWithRuntime } from "../helpers/runtime";
import { DAY_MS } from "../helpers/time";
import { SHOP_A, SHOP_B } from "../helpers/vendors";
import { SimulatedClock, withStoreDays } from "./store-days";

/**
 * The gap report's promise, in the sandbox: after the history import, a recipe switched on moves
 * its measure in the simulated store's following days — and the same days without it do not.
 */

const DAYS = 2;
/** Settings that let a recipe act within the simulated days (its defaults may wait a week). */
const SOONEST: Record<string, Record<string, unknown>> = {
  "review-request-timing": { daysAfterDelivery: 1 },
};
const REPORT_SHOP = "gap-report-sandbox.myshopify.com";

/**
 * Parcels a carrier reported delayed, failed or
 * attempted since `since` whose customer was told through Klaviyo (the delivery succeeded).
 */
async function delayedParcels(database: Database, shop: string, since: Date) {
  const { rows } = await database.executeSql(
    `select count(distinct fe.fulfillment_id)::int as delayed,
            count(distinct fe.fulfillment_id) filter (where exists (
              select 1 from deliveries d where d.shop = fe.shop and d.recipe = 'shipping-delay-outreach'
                and d.operation = 'klaviyo-event' and d.status = 'succeeded'
                and d.source = 'fulfillment/' || fe.fulfillment_id))::int as reached
       from fulfillment_events fe
      where fe.shop = $1 and fe.happened_at >= $2
        and fe.status in ('delayed', 'failure', 'attempted_delivery')`,
    [shop, since.toISOString()],
  );
  return rows[0] as { delayed: number; reached: number };
}

void realFetch;
const clock = new SimulatedClock();

describeWithRuntime(
  "a recipe switched on in the sandbox moves its measure",
  ({ runtime }) => {
    const days = withStoreDays(runtime, {
      clock,
      shops: [SHOP_A, SHOP_B, REPORT_SHOP],
      extraKlaviyoKeys: { [REPORT_SHOP]: "pk_gap_3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c" },
    });

    it("shipping delay outreach: delayed parcels reached out to go from none to some, and stay none without it", async () => {
      const database = runtime().database;
      const without = await days.runStoreDays(SHOP_A, { days: DAYS });
      const start = without.start;
      const off = await delayedParcels(database, SHOP_A, start);
      expect(off.delayed).toBeGreaterThan(0);
      expect(off.reached).toBe(0);

      // The same store, the same days, with the recipe on from the first.
      const withRecipe = await days.open(SHOP_B);
      expect(withRecipe.now()).toEqual(start);
      await withRecipe.switchOn(["shipping-delay-outreach"]);
      expect(await delayedParcels(database, SHOP_B, start)).toEqual({ delayed: 0, reached: 0 });
      await withRecipe.runDays(DAYS);
      const on = await delayedParcels(database, SHOP_B, start);
      expect(on.delayed).toBe(off.delayed);
      expect(on.reached).toBeGreaterThan(0);
    }, 120_000);

    it("the report's top recipe gap, switched on, improves its measure in the following days", async () => {
      const database = runtime().database;
      const store = await days.open(REPORT_SHOP);
      const measureOf = (report: GapReport, id: string): Measure | undefined =>
        report.zones.flatMap((z) => z.measures).find((m) => m.id === id);

      const before = await computeGapReport(database.db, REPORT_SHOP, {
        windowDays: 30,
        now: store.now(),
      });
      expect(before.zones).toHaveLength(4);
      for (const zone of before.zones) expect(zone.measures.length).toBeGreaterThan(0);
      const item = before.punchList.find((i) => i.recipe && !i.recipe.enabled);
      expect(item, "a punch-list item a recipe closes").toBeDefined();
      const measureBefore = measureOf(before, item!.measureId)!;
      expect(measureBefore).toBeDefined();

      // The merchant sets the recipe to act as soon as it allows, to see the effect within days.
      await store.switchOn([item!.recipe!.id], SOONEST);
      await store.runDays(DAYS);

      const after = await computeGapReport(database.db, REPORT_SHOP, {
        windowDays: 30,
        now: store.now(),
      });
      expect(Date.parse(after.window.to) - Date.parse(before.window.to)).toBeGreaterThanOrEqual(
        DAYS * DAY_MS - DAY_MS,
      );
      const measureAfter = measureOf(after, item!.measureId)!;
      const itemAfter = after.punchList.find((i) => i.id === item!.id);
      expect(itemAfter?.recipe?.enabled ?? true).toBe(true);
      // Moved the way the measure counts as better.
      const moved = measureAfter.value! - measureBefore.value!;
      expect(
        measureBefore.better === "higher" ? moved > 0 : moved < 0,
        `${measureBefore.label}: ${measureBefore.display} → ${measureAfter.display}`,
      ).toBe(true);
    }, 120_000);
  },
  { clock },
);
