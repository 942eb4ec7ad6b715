import { realFetch } from "../helpers/real-fetch";
import "../helpers/shopify";
import { beforeAll, expect, it } from "vitest";
import { shops } from "../../db/schema/index";
import type { TaskHelpers } from "../../app/jobs/define-task";
import type { RunRecipesPayload } from "../../app/jobs/contracts";
import { runRecipes } from "../../app/jobs/tasks/run-recipes.server";
import { DAILY_SCAN_LOCAL_HOUR } from "../../app/recipes/hand-off.server";
import { engineServices } from "../../app/recipes/host.server";
import { switchRecipe } from "../../app/recipes/settings.server";
import { winBackSegments } from "../../app/recipes/win-back-segments/recipe";
import { recipeKit } from "../helpers/recipes";
import { describeWithRuntime } from "../helpers/runtime";
import { dayAt } from "../helpers/time";
import { SHOP_A, SHOP_B, withVendorFakes } from "../helpers/vendors";

void realFetch;
withVendorFakes();

/** The wall clock of `at` in `timeZone`: ["2026-12-05", "08:00"] (read by Intl, not by the app). */
function wallClock(at: Date, timeZone: string): [string, string] {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return [`${parts.year}-${parts.month}-${parts.day}`, `${parts.hour}:${parts.minute}`];
}

const HOUR = `${String(DAILY_SCAN_LOCAL_HOUR).padStart(2, "0")}:00`;

/**
 * Daily scans follow each shop's own calendar: at 20:00 UTC it is already tomorrow morning in
 * Auckland and still midday in Los Angeles, so the two shops' scans carry different dates and
 * start at DAILY_SCAN_LOCAL_HOUR of their own clocks. No workers: the jobs stay queued to be read.
 */
describeWithRuntime(
  "daily scans in the shop's time zone",
  ({ runtime }) => {
    const zones: Record<string, string> = {
      [SHOP_A]: "Pacific/Auckland",
      [SHOP_B]: "America/Los_Angeles",
    };
    const kits = [recipeKit(runtime, SHOP_A), recipeKit(runtime, SHOP_B)];

    beforeAll(async () => {
      for (const kit of kits) {
        await kit.connect(["klaviyo"]);
        await kit
          .db()
          .insert(shops)
          .values({ domain: kit.shop, ianaTimezone: zones[kit.shop] })
          .onConflictDoUpdate({ target: shops.domain, set: { ianaTimezone: zones[kit.shop] } });
      }
    });

    async function dailyJobs(shop: string) {
      const { rows } = await runtime().database.executeSql(
        `select data->>'date' as date, start_after from pgboss.job
         where name = 'run-recipes' and data->>'type' = 'daily' and data->>'shop' = $1
         order by start_after`,
        [shop],
      );
      return rows.map((r) => ({ date: String(r.date), startAfter: new Date(r.start_after) }));
    }

    async function runDaily(payload: RunRecipesPayload, at: Date) {
      const helpers: TaskHelpers = {
        database: runtime().database,
        clock: { now: () => at },
        queue: runtime().queue,
        jobId: "daily-scan-shop-time-test",
        shopJobs: async () => 0,
        forgetFinishedJob: async () => "gone",
        attempt: 1,
        signal: new AbortController().signal,
      };
      await runRecipes.run(runRecipes.payloadSchema.parse(payload), helpers);
    }

    it("switching a scanning recipe on scans the shop's today now and its tomorrow at its local hour", async () => {
      const at = dayAt(runtime().clock.now(), 0, "20:00");
      const { database, queue } = runtime();
      for (const kit of kits) {
        const result = await switchRecipe(
          database,
          queue,
          kit.shop,
          winBackSegments,
          true,
          engineServices(database, queue),
          at,
        );
        expect(result).toMatchObject({ ok: true });
        // Again (a second click, a second screen): still one scan per local day.
        await switchRecipe(
          database,
          queue,
          kit.shop,
          winBackSegments,
          true,
          engineServices(database, queue),
          at,
        );
      }
      const auckland = await dailyJobs(SHOP_A);
      const losAngeles = await dailyJobs(SHOP_B);
      const [aucklandToday] = wallClock(at, zones[SHOP_A]);
      const [losAngelesToday] = wallClock(at, zones[SHOP_B]);
      // Auckland is a calendar day ahead of Los Angeles at this hour, whatever the season.
      expect(aucklandToday).not.toBe(losAngelesToday);
      for (const [jobs, today, zone] of [
        [auckland, aucklandToday, zones[SHOP_A]],
        [losAngeles, losAngelesToday, zones[SHOP_B]],
      ] as const) {
        expect(jobs.map((j) => j.date)).toHaveLength(2);
        expect(jobs[0]!.date).toBe(today);
        // Today's is due at once, before tomorrow's.
        expect(jobs[0]!.startAfter.getTime()).toBeLessThan(jobs[1]!.startAfter.getTime());
        // Tomorrow's: the next local date, at DAILY_SCAN_LOCAL_HOUR on the shop's clock.
        const [tomorrowDate, tomorrowHour] = wallClock(jobs[1]!.startAfter, zone);
        expect(jobs[1]!.date).toBe(tomorrowDate);
        expect(tomorrowHour).toBe(HOUR);
        expect(jobs[1]!.startAfter.getTime()).toBeGreaterThan(at.getTime());
      }
    });

    it("each scan schedules the shop's next local day once, at its local hour, however often it runs", async () => {
      for (const kit of kits) {
        const zone = zones[kit.shop];
        const before = await dailyJobs(kit.shop);
        const scan = before.at(-1)!;
        // The scheduled scan runs (twice: a retry after it succeeded) at its start time.
        for (let i = 0; i < 2; i++)
          await runDaily({ type: "daily", shop: kit.shop, date: scan.date }, scan.startAfter);
        const after = await dailyJobs(kit.shop);
        expect(after).toHaveLength(before.length + 1);
        const next = after.at(-1)!;
        const [nextDate, nextHour] = wallClock(next.startAfter, zone);
        expect(next.date).toBe(nextDate);
        expect(nextHour).toBe(HOUR);
        // One local day after the scan's own date.
        const gap = Date.parse(next.date) - Date.parse(scan.date);
        expect(gap).toBe(86_400_000);
      }
    });
  },
  { workers: false },
);
