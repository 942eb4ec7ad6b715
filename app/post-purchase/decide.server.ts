import { and, eq } from "drizzle-orm";
import { productFacts, shops } from "../../db/schema/index";
import type { Database } from "../db.server";
import { adminRequest, gid, numericId } from "../integrations/shopify-admin/client.server";
import { shopifyCatalog } from "../integrations/shopify-admin/catalog.server";
import { getGuardConfig, getRecipeSettings } from "../models/recipe-settings.server";
import type { GuardVerdict, OrderView } from "../recipes/engine/context";
import { SharedContext } from "../recipes/engine/context.server";
import { capOf, type GuardConfig } from "../recipes/engine/guards";
import { customerKey, GuardLedger } from "../recipes/engine/guards.server";
import { configSchema, type UpsellConfig } from "../recipes/post-purchase-upsell/config";
import { decideOffer } from "../recipes/post-purchase-upsell/decide-offer";
import { gatherOfferInput, RECIPE_ID } from "../recipes/post-purchase-upsell/recipe";
import { log } from "../utils/log.server";
import { OFFER_VARIANT_COST, OFFER_VARIANT_QUERY } from "./graphql/OfferVariantQuery";
import type { OfferDiscount } from "./offers.server";

/**
 * The checkout's offer decision, made while the buyer waits on the post-purchase page: the
 * post-purchase-upsell recipe's own `decideOffer`, fed through the recipe's `gatherOfferInput`
 * with what Shopify's token says about the purchase (lines, total, customer) — live stock
 * (cache, or a live read when older than the shop's limit), product tags/collections, variants
 * paused by low stock, open-ticket/refund suppression and the upsell frequency cap — then the
 * offered variant's titles, price and image.
 */

export interface PurchaseFacts {
  shop: string;
  referenceId: string;
  customerId: number | null;
  lineItems: { productId: number | null; variantId: number | null; quantity: number }[];
  /** The purchase total in the shop's currency, when the token carries it. */
  initialTotal: string | null;
  /** Variants already offered on this purchase (an accepted one is now in the order; a declined one is not asked again). */
  alreadyOffered: number[];
  now: Date;
}

export interface ChosenOffer {
  productId: number | null;
  variantId: number;
  quantity: number;
  productTitle: string;
  variantTitle: string | null;
  imageUrl: string | null;
  /** Unit price, shop currency. */
  price: string;
  currency: string;
  discount: OfferDiscount | null;
  reason: string | null;
}

export type PurchaseDecision = { recipe: string; offer: ChosenOffer } | { recipe: string; offer: null; reason: string };

/** Touches the upsell recipe records within this long before the page count as this purchase's own. */
const OWN_PURCHASE_WINDOW_MS = 30 * 60_000;

/**
 * The upsell cap, not counting the touch the recipe recorded for this very purchase when its
 * orders/create arrived first (the same offer, not a second one). Suppression as the engine
 * decides it.
 */
async function upsellGuard(database: Database, shared: SharedContext, facts: PurchaseFacts, customer: { id: number | null; email: string | null }): Promise<GuardVerdict> {
  const suppressed = await shared.suppression(customer);
  if (suppressed) return { ok: false, status: "suppressed", reason: suppressed };
  const cap = capOf("upsell", shared.options.guards);
  const key = customerKey(customer);
  if (!cap || !key) return { ok: true };
  const since = new Date(facts.now.getTime() - cap.windowMs);
  const ownSince = new Date(facts.now.getTime() - OWN_PURCHASE_WINDOW_MS);
  const { rows } = await database.executeSql(
    `select count(*)::int as n from recipe_touches
     where shop = $1 and customer_key = $2 and channel = 'upsell' and at > $3
       and not (recipe_id = $4 and at > $5)`,
    [facts.shop, key, since.toISOString(), RECIPE_ID, ownSince.toISOString()],
  );
  const used = Number(rows[0]?.n ?? 0);
  if (used >= cap.max) return { ok: false, status: "capped", reason: `frequency cap: ${cap.label} already reached for this customer` };
  return { ok: true };
}

/** The purchase as an order, for the recipe's input reader (it reads lines, total and customer). */
function purchaseAsOrder(facts: PurchaseFacts, email: string | null, currency: string): OrderView {
  return {
    id: 0,
    name: `purchase ${facts.referenceId}`,
    email,
    customerId: facts.customerId,
    currency,
    presentmentCurrency: null,
    totalPrice: Number(facts.initialTotal ?? 0),
    currentTotalPrice: Number(facts.initialTotal ?? 0),
    presentmentTotalPrice: null,
    financialStatus: "paid",
    fulfillmentStatus: null,
    tags: [],
    lineItems: [
      ...facts.lineItems.map((line, i) => ({ id: i + 1, variantId: line.variantId, productId: line.productId, sku: null, title: "", quantity: line.quantity, price: "0" })),
      // Already offered on this purchase: decideOffer skips what is "in the order".
      ...facts.alreadyOffered.map((variantId, i) => ({ id: 1000 + i, variantId, productId: null, sku: null, title: "", quantity: 1, price: "0" })),
    ],
    refundCount: 0,
    cancelledAt: null,
    processedAt: facts.now,
    createdAt: facts.now,
    updatedAt: facts.now,
  };
}

interface VariantDisplay {
  productId: number | null;
  productTitle: string | null;
  variantTitle: string | null;
  price: string | null;
  imageUrl: string | null;
}

declare global {
  /** Variant details by shop and variant, with the time they expire. */
  var __switchboardOfferVariants: Map<string, { at: number; value: VariantDisplay }> | undefined;
}
const DISPLAY_TTL_MS = 10 * 60_000;

/** When Shopify could not be asked, the read model's answer is reused for a minute. */
const FALLBACK_TTL_MS = 60_000;

/** Titles, price and image of the offered variant: Shopify (cached 10 minutes), else the read model. */
async function variantDisplay(shared: SharedContext, shop: string, variantId: number, now: number): Promise<VariantDisplay> {
  const cache = (globalThis.__switchboardOfferVariants ??= new Map());
  const cacheKey = `${shop}:${variantId}`;
  const hit = cache.get(cacheKey);
  if (hit && now < hit.at) return hit.value;
  if (cache.size > 5_000) cache.clear();
  try {
    const { data } = await adminRequest<{ productVariant: Record<string, any> | null }>(shop, OFFER_VARIANT_QUERY, { id: gid("ProductVariant", variantId) }, { estimatedCost: OFFER_VARIANT_COST, optional: true });
    const node = data.productVariant;
    if (node) {
      const value: VariantDisplay = {
        productId: node.product?.id ? numericId(node.product.id) : null,
        productTitle: node.product?.title ?? null,
        variantTitle: node.title && node.title !== "Default Title" ? node.title : null,
        price: node.price === undefined || node.price === null ? null : String(node.price),
        imageUrl: node.image?.url ?? node.product?.featuredImage?.url ?? null,
      };
      cache.set(cacheKey, { at: now + DISPLAY_TTL_MS, value });
      return value;
    }
  } catch (error) {
    log.warn(`[post-purchase] ${shop}: variant ${variantId} details from Shopify unavailable (${error instanceof Error ? error.message : String(error)}); using the read model for a minute`);
  }
  const known = await shared.variant(variantId);
  const [facts] = known?.productId
    ? await shared.database.db
        .select({ title: productFacts.title })
        .from(productFacts)
        .where(and(eq(productFacts.shop, shop), eq(productFacts.productId, known.productId)))
    : [];
  const value: VariantDisplay = {
    productId: known?.productId ?? null,
    productTitle: facts?.title ?? null,
    variantTitle: known?.title ?? null,
    price: known?.price ?? null,
    imageUrl: null,
  };
  cache.set(cacheKey, { at: now + FALLBACK_TTL_MS, value });
  return value;
}

interface ShopOfferSettings {
  enabled: boolean;
  config: UpsellConfig | null;
  guards: GuardConfig;
  currency: string;
}

declare global {
  /** Per shop: the recipe's settings, the shared guards and the currency, with their expiry. */
  var __switchboardShopOfferSettings: Map<string, { until: number; value: Promise<ShopOfferSettings> }> | undefined;
}

/**
 * How long a process reuses a shop's settings on the checkout's hot path. A change saved in
 * this process applies at once (forgetShopOfferSettings); other processes see it within this.
 */
const SETTINGS_TTL_MS = 5_000;

function shopOfferSettings(db: Database["db"], shop: string, now: number): Promise<ShopOfferSettings> {
  const cache = (globalThis.__switchboardShopOfferSettings ??= new Map());
  const hit = cache.get(shop);
  if (hit && now < hit.until) return hit.value;
  const value = (async () => {
    const [settings, guards, [row]] = await Promise.all([
      getRecipeSettings(db, shop, RECIPE_ID),
      getGuardConfig(db, shop),
      db.select({ currency: shops.currency }).from(shops).where(eq(shops.domain, shop)),
    ]);
    const parsed = configSchema.safeParse(settings?.config ?? {});
    return { enabled: settings?.enabled ?? false, config: parsed.success ? parsed.data : null, guards, currency: row?.currency ?? "USD" };
  })();
  if (cache.size > 10_000) cache.clear();
  cache.set(shop, { until: now + SETTINGS_TTL_MS, value });
  value.catch(() => cache.delete(shop));
  return value;
}

/** The shop's offer settings changed in this process: the next decision reads them again. */
export function forgetShopOfferSettings(shop?: string): void {
  if (shop) globalThis.__switchboardShopOfferSettings?.delete(shop);
  else globalThis.__switchboardShopOfferSettings?.clear();
}

export async function decidePurchaseOffer(database: Database, facts: PurchaseFacts): Promise<PurchaseDecision> {
  const { enabled, config, guards, currency } = await shopOfferSettings(database.db, facts.shop, facts.now.getTime());
  if (!enabled) return { recipe: RECIPE_ID, offer: null, reason: "the post-purchase upsell recipe is off" };
  if (!config) return { recipe: RECIPE_ID, offer: null, reason: "the post-purchase upsell settings are no longer valid" };
  if (config.rules.length === 0) return { recipe: RECIPE_ID, offer: null, reason: "no offer rules are set up yet" };

  const ledger = new GuardLedger(database.executeSql, facts.shop, guards, facts.now);
  const shared = new SharedContext(database, facts.shop, {
    now: facts.now,
    dryRun: false,
    guards,
    connected: new Set(),
    shopCurrency: currency,
    services: { catalog: shopifyCatalog },
    ledger,
  });
  const ctx = shared.forRecipe(RECIPE_ID);
  const email = facts.customerId ? ((await ctx.customer(facts.customerId))?.email ?? null) : null;
  const customer = { id: facts.customerId, email };
  const [{ input }, guard] = await Promise.all([
    // The cap is applied below by upsellGuard (which leaves out this purchase's own decision).
    gatherOfferInput({ ...ctx, guard: async () => ({ ok: true }) }, purchaseAsOrder(facts, email, currency), config),
    upsellGuard(database, shared, facts, customer),
  ]);
  const decision = decideOffer({ ...input, guard: guard.ok ? { ok: true } : { ok: false, reason: guard.reason } }, config);
  if (!decision.offer) return { recipe: RECIPE_ID, offer: null, reason: decision.reasons[decision.reasons.length - 1] ?? "no offer" };

  const offer = decision.offer;
  const display = await variantDisplay(shared, facts.shop, offer.variantId, facts.now.getTime());
  if (!display.price) return { recipe: RECIPE_ID, offer: null, reason: `variant ${offer.variantId} has no known price` };
  return {
    recipe: RECIPE_ID,
    offer: {
      productId: display.productId,
      variantId: offer.variantId,
      quantity: 1,
      productTitle: display.productTitle ?? display.variantTitle ?? `Variant ${offer.variantId}`,
      variantTitle: display.productTitle ? display.variantTitle : null,
      imageUrl: display.imageUrl,
      price: Number(display.price).toFixed(2),
      currency,
      discount: offer.discount.value > 0 ? { valueType: offer.discount.type, value: offer.discount.value } : null,
      reason: offer.fallback ? `fallback: ${decision.reasons.join("; ")}` : (decision.reasons.join("; ") || null),
    },
  };
}

/** For tests and the benchmark: forget cached variant details. */
export function forgetOfferVariantCache(): void {
  globalThis.__switchboardOfferVariants?.clear();
}

