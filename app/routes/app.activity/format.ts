import { RECIPES } from "../../recipes/registry";

/** A recipe's title ("Privacy request" for erasures); its id when the recipe no longer exists. */
export const recipeTitle = (id: string) =>
  id === "privacy" ? "Privacy request" : (RECIPES.find((r) => r.id === id)?.title ?? id);
