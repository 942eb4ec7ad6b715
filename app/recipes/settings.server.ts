import { and, eq, inArray } from "drizzle-orm";
import { variants } from "../../db/schema/index";
import type { Database } from "../db.server";
import { errorMessage } from "../jobs/errors";
import { issuesToErrors } from "../utils/schema-form";
import type { ShopifyId } from "../utils/shopify-id";
import { type AnyRecipe, type CatalogCheck } from "./engine/define-recipe";
import { LiveReadUnavailable, type EngineServices } from "./engine/services";
import {
  enabledRecipeIds,
  getRecipeSettings,
  setRecipeEnabled,
} from "../models/recipe-settings.server";
import { shopBilling } from "../models/billing.server";
import { canSwitchOnRecipe } from "../billing/plans";
import type { Enqueuer } from "../jobs/contracts";
import { reconcileSegmentsOf, scheduleDailyScans } from "./hand-off.server";
import { shopTimeOf } from "../models/shops.server";
import { vendorName } from "../utils/vendor-names";

/**
 * What the recipe screens need from the engine: settings validation that goes beyond the zod
 * schema (do these products exist?) and switching on and off (the dry run: dry-run.server.ts).
 */

/** The read model first, then one batched Admin read for what it does not know. */
export function catalogCheck(
  database: Database,
  shop: string,
  services: Pick<EngineServices, "catalog">,
): CatalogCheck & { warnings: string[] } {
  const warnings: string[] = [];
  const live = services.catalog;
  const unverifiable = (what: string, error: unknown) => {
    warnings.push(`Couldn't check ${what} with Shopify (${errorMessage(error)}); saved as typed.`);
  };
  async function known(column: "id" | "productId", ids: ShopifyId[]) {
    if (ids.length === 0) return new Set<ShopifyId>();
    const rows = await database.db
      .select({ id: column === "id" ? variants.id : variants.productId })
      .from(variants)
      .where(
        and(
          eq(variants.shop, shop),
          inArray(column === "id" ? variants.id : variants.productId, ids),
        ),
      );
    return new Set(rows.map((r) => r.id).filter((id): id is ShopifyId => id !== null));
  }
  return {
    warnings,
    async existingVariants(ids) {
      const found = await known("id", ids);
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length && live) {
        try {
          for (const id of (await live.variants(shop, missing)).keys()) found.add(id);
        } catch (error) {
          if (!(error instanceof LiveReadUnavailable)) throw error;
          unverifiable("variants", error);
          missing.forEach((id) => found.add(id));
        }
      }
      return found;
    },
    async existingProducts(ids) {
      const found = await known("productId", ids);
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length && live) {
        try {
          for (const id of (await live.products(shop, missing)).keys()) found.add(id);
        } catch (error) {
          if (!(error instanceof LiveReadUnavailable)) throw error;
          unverifiable("products", error);
          missing.forEach((id) => found.add(id));
        }
      }
      return found;
    },
    async existingCollections(ids) {
      if (ids.length === 0 || !live) return new Set(ids);
      try {
        return new Set((await live.collections(shop, ids)).keys());
      } catch (error) {
        if (!(error instanceof LiveReadUnavailable)) throw error;
        unverifiable("collections", error);
        return new Set(ids);
      }
    },
    async existingSkus(skus) {
      if (skus.length === 0) return new Set();
      const rows = await database.db
        .select({ sku: variants.sku })
        .from(variants)
        .where(and(eq(variants.shop, shop), inArray(variants.sku, skus)));
      const found = new Set(rows.map((r) => r.sku).filter((s): s is string => Boolean(s)));
      const missing = skus.filter((s) => !found.has(s));
      if (missing.length && live) {
        try {
          for (const sku of await live.skus(shop, missing)) found.add(sku);
        } catch (error) {
          if (!(error instanceof LiveReadUnavailable)) throw error;
          unverifiable("SKUs", error);
          missing.forEach((s) => found.add(s));
        }
      }
      return found;
    },
  };
}

export type ValidationResult =
  | { ok: true; config: Record<string, unknown>; warnings: string[] }
  | { ok: false; errors: Record<string, string> };

/** Parses settings with the recipe's schema, then checks what the schema cannot (ids exist). */
export async function validateRecipeConfig(
  database: Database,
  shop: string,
  recipe: AnyRecipe,
  input: unknown,
  services: Pick<EngineServices, "catalog">,
): Promise<ValidationResult> {
  const parsed = recipe.configSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.error.issues) };
  const catalog = catalogCheck(database, shop, services);
  const errors = recipe.validate ? await recipe.validate(parsed.data, catalog) : {};
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, config: parsed.data as Record<string, unknown>, warnings: catalog.warnings };
}

/** Missing integrations of a recipe, as names ("Klaviyo"). */
export function missingIntegrations(recipe: AnyRecipe, connected: Set<string>): string[] {
  return recipe.requires.filter((r) => !connected.has(r)).map(vendorName);
}

export type SwitchResult =
  | { ok: true; message: string }
  /** `upgrade`: the plan's recipe limit refused it; the screen links to the Plan screen. */
  | { ok: false; error: string; upgrade?: true };

/**
 * Switches a recipe on or off for a shop; scanning recipes get their daily scan scheduled, and
 * recipes that keep segments their first reconciliation. Switching on past the plan's recipe
 * limit is refused (two screens switching at once may both pass: the engine then runs only the
 * plan's first recipes, see recipesUnderPlan).
 */
export async function switchRecipe(
  database: Database,
  queue: Enqueuer,
  shop: string,
  recipe: AnyRecipe,
  enabled: boolean,
  services: EngineServices,
  now: Date,
): Promise<SwitchResult> {
  if (enabled) {
    const missing = missingIntegrations(recipe, await services.connections(shop));
    if (missing.length)
      return {
        ok: false,
        error: `Connect ${missing.join(" and ")} first: ${recipe.title} needs ${missing.length > 1 ? "them" : "it"}.`,
      };
    const [billing, on] = await Promise.all([
      shopBilling(database.db, shop, now),
      enabledRecipeIds(database.db, shop),
    ]);
    const known = new Set(services.recipes.map((r) => r.id));
    if (!on.includes(recipe.id)) {
      const allowed = canSwitchOnRecipe(billing.plan, on.filter((id) => known.has(id)).length);
      if (!allowed.ok) return { ok: false, error: allowed.reason, upgrade: true };
    }
  }
  await setRecipeEnabled(database.db, shop, recipe.id, enabled);
  // Segment-keeping recipes reconcile now (over whatever history the read model holds) and
  // with each daily scan after.
  if (enabled && (recipe.triggers.some((t) => t.type === "daily") || recipe.segments)) {
    const time = await shopTimeOf(database.db, shop);
    await scheduleDailyScans(queue, shop, { today: time.localDate(now), time });
  }
  if (enabled) await reconcileSegmentsOf(queue, shop, [recipe], { kind: "enabled", at: now });
  return { ok: true, message: `${recipe.title} is ${enabled ? "on" : "off"}.` };
}

/** New settings of a recipe that is on: its segments are reconciled with them at once. */
export async function afterSettingsSaved(
  database: Database,
  queue: Enqueuer,
  shop: string,
  recipe: AnyRecipe,
  now: Date,
): Promise<void> {
  if (!recipe.segments) return;
  const settings = await getRecipeSettings(database.db, shop, recipe.id);
  if (settings?.enabled)
    await reconcileSegmentsOf(queue, shop, [recipe], { kind: "saved", at: now });
}
