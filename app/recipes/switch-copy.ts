import type { Locale } from "../i18n/locale";
import { defineMessages, translator } from "../i18n/messages";
import { planLabel } from "../billing/plan-screen.messages";
import type { SwitchResult } from "./settings.server";

/**
 * What switching a recipe on or off says (recipes/settings.server.ts, billing/plans.ts), in the
 * admin's language: the Recipes screen and a recipe's page show it as a toast, a banner or a
 * caption. English passes through as it is.
 */
export const messages = defineMessages({
  en: {
    on: "{title} is on.",
    off: "{title} is off.",
    connectFirst_one: "Connect {vendors} first: {title} needs it.",
    connectFirst_other: "Connect {vendors} first: {title} needs them.",
    and: " and ",
    limit:
      "The {plan} plan allows {limit} recipes switched on at once. Switch one off or upgrade your plan.",
    paused: "Paused: the {plan} plan allows {limit} recipes switched on",
    anyNumber: "any number of",
  },
  fr: {
    on: "{title} est activée.",
    off: "{title} est désactivée.",
    connectFirst_one: "Connectez d'abord {vendors} : {title} en a besoin.",
    connectFirst_other: "Connectez d'abord {vendors} : {title} en a besoin.",
    and: " et ",
    limit:
      "Le forfait {plan} permet d'activer {limit} recettes à la fois. Désactivez-en une ou passez à un forfait supérieur.",
    paused: "En pause : le forfait {plan} permet d'activer {limit} recettes",
    anyNumber: "autant de",
  },
});

/** A switch's outcome for `recipe`, in the admin's language. */
export function switchResultIn(
  result: SwitchResult,
  recipe: { title: string },
  enabled: boolean,
  missing: readonly string[],
  locale: Locale,
): SwitchResult {
  if (locale === "en") return result;
  const t = translator(messages, locale);
  if (result.ok) return { ok: true, message: t(enabled ? "on" : "off", { title: recipe.title }) };
  if (!result.upgrade && missing.length && result.error.startsWith("Connect "))
    return {
      ok: false,
      error: t("connectFirst", {
        count: missing.length,
        vendors: missing.join(t("and")),
        title: recipe.title,
      }),
    };
  const limit = /^The (.+) plan allows (\d+) recipes switched on at once\./.exec(result.error);
  if (limit)
    return {
      ...result,
      error: t("limit", { plan: planLabel(limit[1]!, locale), limit: limit[2]! }),
    };
  return result;
}

/** Why a switched-on recipe does not run ("Paused: the Free plan allows 2 recipes switched on"). */
export function pausedReasonIn(reason: string, locale: Locale): string {
  if (locale === "en") return reason;
  const paused = /^Paused: the (.+) plan allows (.+) recipes switched on$/.exec(reason);
  if (!paused) return reason;
  const t = translator(messages, locale);
  const limit = paused[2] === "any number of" ? t("anyNumber") : paused[2]!;
  return t("paused", { plan: planLabel(paused[1]!, locale), limit });
}
