import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { recipeSettings } from "../../db/schema/index";
import type { Db } from "../db.server";
import {
  configSchema,
  type OfferRule,
  type UpsellConfig,
} from "../recipes/post-purchase-upsell/config";
import type {
  ProductOfferErrors,
  ProductOfferSaveResult,
  ProductOfferSettings,
} from "../shared/extension-contracts";
import { forgetShopOfferSettings } from "./decide.server";
import { isShopifyId, parseShopifyId, type ShopifyId } from "../utils/shopify-id";

/**
 * The product page's "Post-purchase offer" block edits the post-purchase-upsell recipe's config:
 * this product's own rule (a rule whose only condition is this product) — offer variant,
 * fallback, discount — and the recipe's minimum stock, which applies to every offer. The whole
 * config is validated with the recipe's own zod schema, and errors come back by field.
 */

export const UPSELL_RECIPE = "post-purchase-upsell";

/** A product id as digits or gid://shopify/Product/…, kept as its digits. */
const productIdField = z
  .union([z.string(), z.number()])
  .transform((value) =>
    typeof value === "number"
      ? Number.isSafeInteger(value)
        ? String(value)
        : ""
      : (parseShopifyId(value, "Product") ?? ""),
  )
  .refine(isShopifyId, "must be a product id or gid://shopify/Product/<id>");

/** What the block posts. Field values stay loose here: the recipe's schema judges them. */
export const productOfferRequest = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("save"),
    productId: productIdField,
    offerVariantId: z.unknown(),
    fallbackVariantId: z.unknown().optional(),
    discount: z.object({ type: z.unknown(), value: z.unknown() }),
    minimumStock: z.unknown(),
  }),
  z.object({ intent: z.literal("remove"), productId: productIdField }),
]);
export type ProductOfferRequest = z.output<typeof productOfferRequest>;

/** This product's own rule: only this product, no collections or tags. */
function isProductRule(
  rule: { productIds?: unknown; collectionIds?: unknown; tags?: unknown },
  productId: ShopifyId,
): boolean {
  const ids = Array.isArray(rule.productIds) ? rule.productIds.map(String) : [];
  const none = (value: unknown) => !Array.isArray(value) || value.length === 0;
  return ids.length === 1 && ids[0] === productId && none(rule.collectionIds) && none(rule.tags);
}

async function loadSettings(db: Db, shop: string, lock = false) {
  const query = db
    .select({ enabled: recipeSettings.enabled, config: recipeSettings.config })
    .from(recipeSettings)
    .where(and(eq(recipeSettings.shop, shop), eq(recipeSettings.recipeId, UPSELL_RECIPE)));
  const [row] = lock ? await query.for("update") : await query;
  return row;
}

function parsedConfig(raw: unknown): UpsellConfig {
  const parsed = configSchema.safeParse(raw ?? {});
  // A stored config the schema no longer accepts: start from defaults rather than fail the page.
  return parsed.success ? parsed.data : configSchema.parse({});
}

export async function productOfferSettings(
  db: Db,
  shop: string,
  productId: ShopifyId,
): Promise<ProductOfferSettings> {
  const row = await loadSettings(db, shop);
  const config = parsedConfig(row?.config);
  const own = config.rules.find((rule) => isProductRule(rule, productId));
  return {
    productId,
    recipeEnabled: row?.enabled ?? false,
    offer: own
      ? {
          offerVariantId: own.offerVariantId,
          fallbackVariantId: own.fallbackVariantId ?? null,
          discount: own.discount,
        }
      : null,
    minimumStock: config.minimumStock,
    otherRules: config.rules
      .map((rule, index) => ({ rule, index }))
      .filter(
        ({ rule }) =>
          rule !== own &&
          (rule.productIds.includes(productId) ||
            rule.collectionIds.length > 0 ||
            rule.tags.length > 0),
      )
      .map(({ rule, index }) => rule.name || `Rule ${index + 1}`),
  };
}

function fieldOf(path: PropertyKey[], ruleIndex: number): keyof ProductOfferErrors {
  if (path[0] === "minimumStock") return "minimumStock";
  if (path[0] === "rules" && path[1] === ruleIndex) {
    const rest = path.slice(2).join(".");
    if (
      rest === "offerVariantId" ||
      rest === "fallbackVariantId" ||
      rest === "discount.type" ||
      rest === "discount.value"
    )
      return rest;
    if (rest === "discount") return "discount.value";
  }
  return "form";
}

/**
 * Saves this product's offer into the recipe config (adding its rule, or replacing it in place),
 * or removes it. The config is re-validated as a whole with the recipe's schema; nothing is
 * stored unless it passes. One transaction with the settings row locked, so two saves from two
 * product pages cannot lose each other's rule.
 */
export async function saveProductOffer(
  db: Db,
  shop: string,
  request: ProductOfferRequest,
): Promise<ProductOfferSaveResult> {
  const outcome = await db.transaction(async (tx) => {
    const row = await loadSettings(tx as unknown as Db, shop, true);
    const current = parsedConfig(row?.config);
    const rules: unknown[] = [...current.rules];
    const index = current.rules.findIndex((rule) => isProductRule(rule, request.productId));
    let next: Record<string, unknown>;
    let ruleIndex = index;
    if (request.intent === "remove") {
      if (index >= 0) rules.splice(index, 1);
      next = { ...current, rules };
    } else {
      const existing: Partial<OfferRule> = index >= 0 ? current.rules[index]! : {};
      const rule = {
        name: existing.name || `Product ${request.productId}`,
        productIds: [request.productId],
        collectionIds: [],
        tags: [],
        offerVariantId: request.offerVariantId,
        fallbackVariantId:
          request.fallbackVariantId === null || request.fallbackVariantId === ""
            ? undefined
            : request.fallbackVariantId,
        discount: request.discount,
      };
      if (index >= 0) rules[index] = rule;
      else {
        rules.push(rule);
        ruleIndex = rules.length - 1;
      }
      next = { ...current, rules, minimumStock: request.minimumStock };
    }
    const parsed = configSchema.safeParse(next);
    if (!parsed.success) {
      const errors: ProductOfferErrors = {};
      for (const issue of parsed.error.issues) {
        const field = fieldOf(issue.path, ruleIndex);
        errors[field] ??=
          field === "form" ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
      }
      return { ok: false as const, errors };
    }
    await tx
      .insert(recipeSettings)
      .values({
        shop,
        recipeId: UPSELL_RECIPE,
        config: parsed.data as Record<string, unknown>,
        enabled: false,
      })
      .onConflictDoUpdate({
        target: [recipeSettings.shop, recipeSettings.recipeId],
        set: { config: parsed.data as Record<string, unknown>, updatedAt: sql`now()` },
      });
    return { ok: true as const };
  });
  if (!outcome.ok) return outcome;
  forgetShopOfferSettings(shop);
  return { ok: true, settings: await productOfferSettings(db, shop, request.productId) };
}
