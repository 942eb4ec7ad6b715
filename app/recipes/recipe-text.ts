import { intlLocale, type Locale } from "../i18n/locale";
import { translator } from "../i18n/messages";
import type { AnyRecipe, RecipeSignal } from "./engine/define-recipe";
import { findRecipe } from "./registry";
import { formatMoney } from "./shared";

type Named = Pick<AnyRecipe, "title" | "summary" | "fr">;

/**
 * A recipe's name and catalog line in the admin's language (English is the definition's own
 * `title`/`summary`, French its `fr`), by the recipe or its id (an unknown id reads as itself).
 * Settings field words are localized by the form itself (`localizeSchema` in
 * app/utils/schema-form.ts, which SchemaForm applies); "what it will do" is
 * `recipe.describe(config, locale)`.
 */
export function recipeText(
  recipe: Named | string,
  locale: Locale = "en",
): { title: string; summary: string } {
  const found = typeof recipe === "string" ? findRecipe(recipe) : recipe;
  if (!found) return { title: String(recipe), summary: "" };
  return locale === "fr" ? found.fr : { title: found.title, summary: found.summary };
}

/** A recipe's Home signal sentence for `count`, in the admin's language. */
export function signalText(
  signal: Pick<RecipeSignal, "text" | "amount">,
  count: number,
  locale: Locale = "en",
  money: (amount: number) => string = shopMoney(null, locale),
) {
  return translator(signal.text, locale)("text", {
    count,
    ...(signal.amount !== undefined ? { amount: money(signal.amount) } : {}),
  });
}

/**
 * Says an amount of the shop's money in the admin's language: with the shop's currency, or as a
 * plain number while the install's shop lookup has not told us the currency.
 */
export function shopMoney(
  currency: string | null | undefined,
  locale: Locale,
): (amount: number) => string {
  const intl = intlLocale(locale);
  return currency
    ? (amount) => formatMoney(amount, currency, intl)
    : (amount) => new Intl.NumberFormat(intl, { maximumFractionDigits: 2 }).format(amount);
}
