import { z } from "zod";
import type { Database } from "../../db.server";
import type { Enqueuer } from "../../jobs/contracts";
import { shopTimeSettings, type ShopTimeValue } from "../../components/shop-time";
import {
  loadGapReportState,
  requestGapReport,
} from "../../models/gap-report/gap-report-state.server";
import {
  DEFAULT_WINDOW_DAYS,
  WINDOW_DAYS,
  type GapReport,
  type GapReportState,
  type PunchItem,
  type WindowDays,
} from "../../models/gap-report/types";
import { connectedIntegrations } from "../../models/integrations.server";
import { enabledRecipeIds } from "../../models/recipe-settings.server";
import { findShop } from "../../models/shops.server";
import { engineServices } from "../../recipes/host.server";
import { findRecipe } from "../../recipes/registry";
import { recipeText } from "../../recipes/recipe-text";
import { switchResultIn } from "../../recipes/switch-copy";
import {
  missingIntegrations,
  switchRecipe,
  type SwitchResult,
} from "../../recipes/settings.server";
import type { JobQueue } from "../../jobs/queue.server";
import { DEFAULT_LOCALE, intlLocale, type Locale } from "../../i18n/locale";
import { translator } from "../../i18n/messages";
import { gapScreenMessages } from "./messages";

const windowSchema = z.coerce
  .number()
  .pipe(z.union(WINDOW_DAYS.map((days) => z.literal(days)) as [z.ZodLiteral<WindowDays>]))
  .catch(DEFAULT_WINDOW_DAYS);

/** The window the link asks for; anything else (a stale or hand-edited link) is the default. */
export const parseWindow = (url: URL): WindowDays =>
  windowSchema.parse(url.searchParams.get("window") ?? DEFAULT_WINDOW_DAYS);

/** A punch-list item as the screen shows it: its recipe as it stands now. */
export type ScreenPunchItem = Omit<PunchItem, "recipe"> & {
  /** `missing`: the integrations it needs that are not connected (it cannot be switched on). */
  recipe: { id: string; name: string; enabled: boolean; missing: string[] } | null;
};
export type ScreenReport = Omit<GapReport, "punchList"> & { punchList: ScreenPunchItem[] };
export type ScreenState =
  | Exclude<GapReportState, { status: "ready" }>
  | { status: "ready"; report: ScreenReport; stale: boolean };

/**
 * What the screen shows for one window. Nothing asked for a report yet: the loader asks, so the
 * first visit starts the computation. Whether a punch item's recipe is on (and can be) is read
 * now, not from when the report was computed, so "Switch on" turns into "On" as soon as it is.
 */
export async function loadGapReportScreen(
  database: Database,
  queue: Enqueuer,
  shop: string,
  windowDays: WindowDays,
  now: Date,
  locale: Locale = DEFAULT_LOCALE,
): Promise<{ windowDays: WindowDays; state: ScreenState; shopTime: ShopTimeValue }> {
  const { db } = database;
  const timeZone = (await findShop(db, shop))?.ianaTimezone ?? null;
  const shopTime = shopTimeSettings(timeZone, now, intlLocale(locale));
  let state = await loadGapReportState(db, shop, { windowDays, now, timeZone, locale });
  if (state.status === "computing" && !state.requested) {
    await requestGapReport(db, queue, shop, { windowDays, now, locale });
    state = await loadGapReportState(db, shop, { windowDays, now, timeZone, locale });
  }
  if (state.status !== "ready") return { windowDays, state, shopTime };
  const [enabledIds, connected] = await Promise.all([
    enabledRecipeIds(db, shop),
    connectedIntegrations(db, shop),
  ]);
  const enabled = new Set(enabledIds);
  const punchList = state.report.punchList
    .map((item): ScreenPunchItem => {
      const recipe = item.recipe ? findRecipe(item.recipe.id) : undefined;
      return {
        ...item,
        // A recipe the app no longer has cannot be switched on: the item stays, without it.
        recipe: recipe
          ? {
              id: recipe.id,
              name: recipeText(recipe, locale).title,
              enabled: enabled.has(recipe.id),
              missing: missingIntegrations(recipe, connected),
            }
          : null,
      };
    })
    .sort((a, b) => b.atStake - a.atStake);
  return {
    windowDays,
    state: { ...state, report: { ...state.report, punchList } },
    shopTime,
  };
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
  locale: Locale = DEFAULT_LOCALE,
): Promise<GapReportActionResult> {
  const t = translator(gapScreenMessages, locale);
  const parsed = actionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { intent: "unknown", ok: false, error: t("unknownRequest") };
  if (parsed.data.intent === "refresh") {
    const windowDays = windowSchema.parse(parsed.data.window);
    await requestGapReport(database.db, queue, shop, { windowDays, now, locale });
    return { intent: "refresh", ok: true, message: t("refreshing", { days: windowDays }) };
  }
  const recipe = findRecipe(parsed.data.recipeId);
  if (!recipe) return { intent: "unknown", ok: false, error: t("unknownRecipe") };
  const result = await switchRecipe(
    database,
    queue,
    shop,
    recipe,
    true,
    engineServices(database, queue),
    now,
  );
  const missing = missingIntegrations(recipe, await connectedIntegrations(database.db, shop));
  return {
    intent: "switch-on",
    ...switchResultIn(result, recipeText(recipe, locale), true, missing, locale),
  };
}
