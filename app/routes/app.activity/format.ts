import { useCallback } from "react";
import type { Locale } from "../../i18n/locale";
import { translator } from "../../i18n/messages";
import { useLocale } from "../../i18n/react";
import { recipeText } from "../../recipes/recipe-text";
import { RECIPES } from "../../recipes/registry";
import { activityMessages } from "./messages";

/** A recipe's title ("Privacy request" for erasures); its id when the recipe no longer exists. */
export const recipeTitle = (id: string, locale: Locale = "en") => {
  if (id === "privacy") return translator(activityMessages, locale)("privacyRequest");
  const recipe = RECIPES.find((r) => r.id === id);
  return recipe ? recipeText(recipe, locale).title : id;
};

/** `recipeTitle` in the admin's language. */
export function useRecipeTitle() {
  const locale = useLocale();
  return useCallback((id: string) => recipeTitle(id, locale), [locale]);
}
