import { z } from "zod";
import type { Database } from "../../db.server";
import type { Enqueuer } from "../../jobs/contracts";
import { shopTimeSettings } from "../../components/shop-time";
import {
  loadGapReportState,
  requestGapReport,
} from "../../models/gap-report/gap-report-state.server";
import {
  DEFAULT_WINDOW_DAYS,
  WINDOW_DAYS,
  type GapReportState,
  type WindowDays,
} from "../../models/gap-report/types";
import { enabledRecipeIds } from "../../models/recipe-settings.server";
import { findShop } from "../../models/shops.server";
import { engineServices } from "../../recipes/host.server";
import { findRecipe } from "../../recipes/registry";
import { switchRecipe, type SwitchResult } from "../../recipes/settings.server";
import type { JobQueue } from "../../jobs/queue.server";

const windowSchema = z.coerce
  .number()
  .pipe(z.union(WINDOW_DAYS.map((days) => z.literal(days)) as [z.ZodLiteral<WindowDays>]))
  .catch(DEFAULT_WINDOW_DAYS);

/** The window the link asks for; anything else (a stale or hand-edited link) is the default. */
export const parseWindow = (url: URL): WindowDays =>
  windowSchema.parse(url.searchParams.get("window") ?? DEFAULT_WINDOW_DAYS);

/**
 * What the screen shows for one window. Nothing asked for a report yet: the loader asks, so the
 * first visit starts the computation. Whether a punch item's recipe is on is read now, not from
 * when the report was computed, so "Switch on" turns into "On" as soon as it is.
 */
export async function loadGapReportScreen(
  database: Database,
  queue: Enqueuer,
  shop: string,
  windowDays: WindowDays,
  now: Date,
) {
  const { db } = database;
  const timeZone = (await findShop(db, shop))?.ianaTimezone ?? null;
  let state: GapReportState = await loadGapReportState(db, shop, { windowDays, now, timeZone });
  if (state.status === "computing" && !state.requested) {
    await requestGapReport(db, queue, shop, { windowDays, now });
    state = await loadGapReportState(db, shop, { windowDays, now, timeZone });
  }
  if (state.status === "ready") {
    const enabled = new Set(await enabledRecipeIds(db, shop));
    const punchList = state.report.punchList
      .map((item) => {
        const recipe = item.recipe ? findRecipe(item.recipe.id) : undefined;
        return {
          ...item,
          // A recipe the app no longer has cannot be switched on: the item stays, without it.
          recipe: recipe
            ? { id: recipe.id, name: recipe.title, enabled: enabled.has(recipe.id) }
            : null,
        };
      })
      .sort((a, b) => b.atStake - a.atStake);
    state = { ...state, report: { ...state.report, punchList } };
  }
  return { windowDays, state, shopTime: shopTimeSettings(timeZone, now) };
}

export type GapReportScreenData = Awaited<ReturnType<typeof loadGapReportScreen>>;

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("refresh"), window: z.string() }),
  z.object({ intent: z.literal("switch-on"), recipeId: z.string().regex(/^[a-z0-9-]+$/) }),
]);

export type GapReportActionResult =
  | { intent: "refresh"; ok: true; message: string }
  | ({ intent: "switch-on" } & SwitchResult)
  | { intent: "unknown"; ok: false; error: string };

/** "Refresh now" asks for a fresh report; "Switch on" enables a recipe as the Recipes screen does. */
export async function gapReportAction(
  database: Database,
  queue: JobQueue,
  shop: string,
  form: FormData,
  now: Date,
): Promise<GapReportActionResult> {
  const parsed = actionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { intent: "unknown", ok: false, error: "Unknown request." };
  if (parsed.data.intent === "refresh") {
    const windowDays = windowSchema.parse(parsed.data.window);
    await requestGapReport(database.db, queue, shop, { windowDays, now });
    return {
      intent: "refresh",
      ok: true,
      message: `Recomputing the last ${windowDays} days.`,
    };
  }
  const recipe = findRecipe(parsed.data.recipeId);
  if (!recipe) return { intent: "unknown", ok: false, error: "Unknown recipe." };
  const result = await switchRecipe(
    database,
    queue,
    shop,
    recipe,
    true,
    engineServices(database, queue),
    now,
  );
  return { intent: "switch-on", ...result };
}
