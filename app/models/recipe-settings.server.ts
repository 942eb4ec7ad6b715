import { and, eq, sql } from "drizzle-orm";
import { recipeGuardSettings, recipeSettings, type RecipeSettingsRow } from "../../db/schema/index";
import type { Db } from "../db.server";
import { DEFAULT_GUARDS, guardConfigSchema, type GuardConfig } from "../recipes/engine/guards";

/** Every recipe setting row of a shop (recipes never touched have none: off, defaults). */
export async function listRecipeSettings(db: Db, shop: string): Promise<RecipeSettingsRow[]> {
  return db.select().from(recipeSettings).where(eq(recipeSettings.shop, shop));
}

export async function getRecipeSettings(
  db: Db,
  shop: string,
  recipeId: string,
): Promise<RecipeSettingsRow | undefined> {
  const [row] = await db
    .select()
    .from(recipeSettings)
    .where(and(eq(recipeSettings.shop, shop), eq(recipeSettings.recipeId, recipeId)));
  return row;
}

/** Ids of the recipes switched on for a shop. */
export async function enabledRecipeIds(db: Db, shop: string): Promise<string[]> {
  const rows = await db
    .select({ recipeId: recipeSettings.recipeId })
    .from(recipeSettings)
    .where(and(eq(recipeSettings.shop, shop), eq(recipeSettings.enabled, true)));
  return rows.map((r) => r.recipeId);
}

/** Saves a recipe's settings (already validated by the caller). */
export async function saveRecipeConfig(
  db: Db,
  shop: string,
  recipeId: string,
  config: Record<string, unknown>,
): Promise<void> {
  await db
    .insert(recipeSettings)
    .values({ shop, recipeId, config })
    .onConflictDoUpdate({
      target: [recipeSettings.shop, recipeSettings.recipeId],
      set: { config, updatedAt: sql`now()` },
    });
}

/** Switches a recipe on or off; returns whether it was a change. */
export async function setRecipeEnabled(
  db: Db,
  shop: string,
  recipeId: string,
  enabled: boolean,
): Promise<boolean> {
  const before = await getRecipeSettings(db, shop, recipeId);
  if ((before?.enabled ?? false) === enabled) return false;
  const enabledAt = enabled ? sql`now()` : (before?.enabledAt ?? null);
  await db
    .insert(recipeSettings)
    .values({ shop, recipeId, enabled, enabledAt })
    .onConflictDoUpdate({
      target: [recipeSettings.shop, recipeSettings.recipeId],
      set: { enabled, enabledAt, updatedAt: sql`now()` },
    });
  return true;
}

/** The shop's guard settings, defaults filled (a stored value that no longer parses falls back to defaults). */
export async function getGuardConfig(db: Db, shop: string): Promise<GuardConfig> {
  const [row] = await db
    .select()
    .from(recipeGuardSettings)
    .where(eq(recipeGuardSettings.shop, shop));
  if (!row) return DEFAULT_GUARDS;
  const parsed = guardConfigSchema.safeParse(row.config);
  return parsed.success ? parsed.data : DEFAULT_GUARDS;
}

export async function saveGuardConfig(db: Db, shop: string, config: GuardConfig): Promise<void> {
  await db
    .insert(recipeGuardSettings)
    .values({ shop, config })
    .onConflictDoUpdate({
      target: recipeGuardSettings.shop,
      set: { config, updatedAt: sql`now()` },
    });
}
