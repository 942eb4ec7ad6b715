import { and, eq } from "drizzle-orm";
import { productFacts, shops } from "../../db/schema/index";
import { jsonValue, type Database } from "../db.server";
import { adminRequest } from "../integrations/shopify-admin/client.server";
import { shopifyCatalog } from "../integrations/shopify-admin/catalog.server";
import { getGuardConfig, listRecipeSettings } from "../models/recipe-settings.server";
import { shopPlan } from "../models/billing.server";
import { recipeNotInPlan, recipesUnderPlan } from "../billing/plans";
import { RECIPES } from "../recipes/registry";
import {
  cachedStockLevel,
  cachedStockSql,
  capOf,
  isStale,
  offerContext,
  PRODUCT_FACTS_MAX_AGE_MS,
  suppressionReason,
  type GuardConfig,
  type GuardVerdict,
  type OfferContext,
  type ProductFacts,
  type StockLevel,
} from "../recipes/engine/offer-context.server";
import { configSchema, type UpsellConfig } from "../recipes/post-purchase-upsell/config";
import {
  candidateVariants,
  decideOffer,
  needsProductFacts,
  previousOrdersWanted,
  type FunnelStep,
  type PreviousStep,
} from "../recipes/post-purchase-upsell/decide-offer";
import { funnelStepCopy, type OfferPageCopy } from "../recipes/post-purchase-upsell/copy";
import { RECIPE_ID } from "../recipes/post-purchase-upsell/recipe";
import { log } from "../utils/log.server";
import { idText, parseShopifyId, shopifyGid, type ShopifyId } from "../utils/shopify-id";
import { StatementBatcher, statementBatcher } from "../utils/statement-batcher.server";
import { OFFER_VARIANT_COST, OFFER_VARIANT_QUERY } from "./graphql/OfferVariantQuery";
import { MAX_ACCEPTED_OFFERS_PER_ORDER, type OfferDiscount } from "./offers.server";

/**
 * The checkout's offer decision, made while the buyer waits on the post-purchase page: the
 * post-purchase-upsell recipe's own `decideOffer`, fed with what Shopify's token says about the
 * purchase (lines, total, customer) and what the recipe would read for an order — cached stock
 * (read live when older than the shop's limit), product tags/collections, variants paused by low
 * stock, open-ticket/refund suppression and the upsell frequency cap — in one query; then the
 * offered variant's titles, price and image. Shopify's limit of accepted offers per order is
 * checked on the same read.
 */

export interface PurchaseFacts {
  shop: string;
  referenceId: string;
  customerId: ShopifyId | null;
  lineItems: { productId: ShopifyId | null; variantId: ShopifyId | null; quantity: number }[];
  /** The purchase total in the shop's currency, when the token carries it. */
  initialTotal: string | null;
  /** The shop's currency as the token states it (the total's shopMoney), when it carries it. */
  tokenCurrency: string | null;
  /** Where the purchase ships (ISO code), from the signed input. */
  shippingCountry?: string | null;
  /** The checkout's locale (the signed input's), for the merchant's copy. */
  locale?: string | null;
  /**
   * When the post-purchase page opened (the token's iat): the order was placed just before,
   * so the customer's orders before PURCHASE_ORDER_MARGIN_MS earlier are their earlier ones.
   */
  pageOpenedAt?: Date;
  now: Date;
}

/**
 * How long before the post-purchase page opens this purchase's own order may have been created
 * (payment, then the page). The read model may already hold that order; an order of the same
 * customer older than this is an earlier one. Two orders within this margin count as one.
 */
export const PURCHASE_ORDER_MARGIN_MS = 10 * 60_000;

export interface ChosenOffer {
  productId: ShopifyId | null;
  variantId: ShopifyId;
  quantity: number;
  productTitle: string;
  variantTitle: string | null;
  imageUrl: string | null;
  /** Unit price, shop currency. */
  price: string;
  currency: string;
  discount: OfferDiscount | null;
  reason: string | null;
  /** The rule's A/B test and this buyer's version, if the rule runs one. */
  experiment: { key: string; arm: "A" | "B" } | null;
  /** The rule that made it, and where in its funnel. */
  ruleIndex: number;
  step: FunnelStep;
  /** The rule's words in the shopper's language. */
  copy: OfferPageCopy | null;
  /** The rule's countdown on each offer page, in minutes (null: none). */
  countdownMinutes: number | null;
}

export type PurchaseDecision =
  | { recipe: string; offer: ChosenOffer }
  | {
      recipe: string;
      offer: null;
      reason: string;
      /** The buyer is in an A/B test's holdout: record it, show nothing. */
      heldOut?: { experimentKey: string; variantId: ShopifyId; currency: string };
      /**
       * This purchase has an offer shown and not answered (another call for this step made it
       * while this one read): that offer, not "no offer", is the step's answer.
       */
      unansweredShown?: true;
    };

const LOW_STOCK_RECIPE = "low-stock-promo-pause";

/** Everything the decision reads about one purchase, from one query. */
interface CheckoutFacts {
  /** This purchase's offers so far, oldest answer first (unanswered last). */
  earlier: {
    variantId: ShopifyId;
    status: string;
    ruleIndex: number | null;
    step: FunnelStep;
  }[];
  email: string | null;
  /** The buyer's customer tags (read model); none for a guest or an unknown customer. */
  customerTags: string[];
  /** The customer's earlier orders, counted up to what the rules tell apart (0 unless asked). */
  previousOrders: number;
  stock: StockLevel[];
  products: (ProductFacts & { fetchedAt: string })[];
  paused: ShopifyId[];
  ticket: boolean;
  refund: boolean;
  upsellTouches: number;
}

/** One purchase's question, as the batched statement takes it. */
interface FactsQuestion {
  shop: string;
  reference_id: string;
  customer_id: ShopifyId | null;
  candidates: ShopifyId[];
  product_ids: ShopifyId[];
  refund_since: string;
  upsell_since: string;
  /** Count the customer's orders created before this, up to `orders_wanted`; null: not asked. */
  orders_before: string | null;
  orders_wanted: number | null;
}

const ids = (column: string) => `array(select jsonb_array_elements_text(q.${column})::bigint)`;

/**
 * What the recipe's input reader would gather in six round trips, for any number of purchases
 * in one statement (the buyers are waiting; concurrent decisions share it): each purchase's
 * earlier offers, the customer's email and tags, cached stock of every candidate, product
 * tags/collections, variants paused by low stock, an open ticket or recent refund, the
 * customer's earlier orders when a rule counts them, and the other purchases on which this
 * customer was actually shown an offer within the cap's window, one each whatever its funnel (rows of
 * `upsell_offers`: an order paid with a wallet, which skips the post-purchase page, spends
 * nothing; this purchase's own earlier steps are not a second upsell).
 */
const CHECKOUT_FACTS_SQL = `
  with q as materialized (
    select * from jsonb_to_recordset($1::jsonb) as q(i int, shop text, reference_id text, customer_id bigint, candidates jsonb, product_ids jsonb,
      refund_since timestamptz, upsell_since timestamptz, orders_before timestamptz, orders_wanted int)
  ),
  -- Stock and low-stock pauses are the shop's, not the buyer's: read once per shop in the batch.
  per_shop as materialized (
    select q.shop, q.candidates,
      (select coalesce(json_agg(s), '[]'::json) from (${cachedStockSql("q.shop", ids("candidates"))}) s) as stock,
      (select coalesce(json_agg(r.subject), '[]'::json)
         from recipe_state r where r.shop = q.shop and r.recipe_id = '${LOW_STOCK_RECIPE}'
          and r.subject = any(array(select 'variant:' || jsonb_array_elements_text(q.candidates))) and r.value->'paused' = 'true'::jsonb) as paused
    from (select distinct shop, candidates from q) q
  )
  select q.i, p.stock, p.paused,
    (select coalesce(json_agg(json_build_object('variantId', o.variant_id, 'status', o.status, 'ruleIndex', o.rule_index,
              'step', o.step) order by o.responded_at nulls last, o.shown_at), '[]'::json)
       from upsell_offers o where o.shop = q.shop and o.reference_id = q.reference_id) as earlier,
    c.email,
    to_json(c.tags) as customer_tags,
    (select coalesce(json_agg(json_build_object('productId', f.product_id, 'title', f.title, 'tags', f.tags, 'collectionIds', f.collection_ids, 'fetchedAt', f.fetched_at)), '[]'::json)
       from product_facts f where f.shop = q.shop and f.product_id = any(${ids("product_ids")})) as products,
    exists(select 1 from gorgias_tickets t where t.shop = q.shop and t.customer_email = lower(c.email) and t.status = 'open') as ticket,
    exists(select 1 from orders o where o.shop = q.shop and o.customer_id = q.customer_id
             and (o.refund_count > 0 or o.financial_status in ('refunded', 'partially_refunded')) and o.source_updated_at >= q.refund_since) as refund,
    (select count(distinct u.reference_id) from upsell_offers u where u.shop = q.shop and u.customer_id = q.customer_id
       and u.shown_at > q.upsell_since and u.reference_id <> q.reference_id)::int as upsell_touches,
    (select count(*) from (select 1 from orders o where o.shop = q.shop and o.customer_id = q.customer_id
       and o.created_at < q.orders_before limit q.orders_wanted) earlier_orders)::int as previous_orders
  from q join per_shop p on p.shop = q.shop and p.candidates = q.candidates
    -- The buyer's read-model row, read once for their email (the ticket check) and tags.
    left join customers c on c.shop = q.shop and c.id = q.customer_id
  order by q.i`;

/** The checkout's facts reads, coalesced (see StatementBatcher). */
const factsBatcher = (database: Database) =>
  statementBatcher(
    "checkout-facts",
    database,
    () =>
      new StatementBatcher(
        async (questions: FactsQuestion[]) =>
          (
            await database.executeSql(
              CHECKOUT_FACTS_SQL,
              [JSON.stringify(questions.map((q, i) => ({ ...q, i })))],
              { prepare: true },
            )
          ).rows,
        { maxBatch: 20, maxInFlight: 4 },
      ),
  );

async function readCheckoutFacts(
  database: Database,
  facts: PurchaseFacts,
  candidates: ShopifyId[],
  productIds: ShopifyId[],
  guards: GuardConfig,
  ordersWanted: number | null,
): Promise<CheckoutFacts> {
  const now = facts.now.getTime();
  const cap = capOf("upsell", guards);
  const row = await factsBatcher(database).submit({
    shop: facts.shop,
    reference_id: facts.referenceId,
    customer_id: facts.customerId,
    candidates,
    product_ids: productIds,
    refund_since: new Date(now - guards.refundWindowDays * 86_400_000).toISOString(),
    upsell_since: new Date(now - (cap?.windowMs ?? 0)).toISOString(),
    orders_before:
      ordersWanted === null
        ? null
        : new Date((facts.pageOpenedAt?.getTime() ?? now) - PURCHASE_ORDER_MARGIN_MS).toISOString(),
    orders_wanted: ordersWanted,
  });
  return {
    earlier: jsonValue<
      { variantId: unknown; status: string; ruleIndex: number | null; step: FunnelStep }[]
    >(row.earlier).map((o) => ({
      variantId: idText(o.variantId),
      status: o.status,
      ruleIndex: o.ruleIndex ?? null,
      step: o.step ?? "offer",
    })),
    email: row.email ?? null,
    customerTags: row.customer_tags ? jsonValue<string[]>(row.customer_tags) : [],
    previousOrders: Number(row.previous_orders ?? 0),
    stock: jsonValue<Record<string, unknown>[]>(row.stock).map(cachedStockLevel),
    products: jsonValue<Record<string, any>[]>(row.products).map((p) => ({
      productId: idText(p.productId),
      title: p.title ?? null,
      tags: p.tags ?? [],
      collectionIds: (p.collectionIds ?? []).map((id: unknown) => idText(id)),
      fetchedAt: String(p.fetchedAt),
    })),
    paused: jsonValue<string[]>(row.paused).map((subject) => subject.slice("variant:".length)),
    ticket: Boolean(row.ticket),
    refund: Boolean(row.refund),
    upsellTouches: Number(row.upsell_touches ?? 0),
  };
}

/** The shared guards' verdict on an upsell for this buyer, as the engine decides it. */
function upsellVerdict(
  facts: CheckoutFacts,
  guards: GuardConfig,
  customerId: ShopifyId | null,
): GuardVerdict {
  const suppressed = customerId !== null || facts.email ? suppressionReason(guards, facts) : null;
  if (suppressed) return { ok: false, status: "suppressed", reason: suppressed };
  const cap = capOf("upsell", guards);
  if (cap && customerId !== null && facts.upsellTouches >= cap.max) {
    return {
      ok: false,
      status: "capped",
      reason: `frequency cap: ${cap.label} already reached for this customer`,
    };
  }
  return { ok: true };
}

interface VariantDisplay {
  productId: ShopifyId | null;
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
async function variantDisplay(
  database: Database,
  context: OfferContext,
  shop: string,
  variantId: ShopifyId,
  now: number,
): Promise<VariantDisplay> {
  const cache = (globalThis.__switchboardOfferVariants ??= new Map());
  const cacheKey = `${shop}:${variantId}`;
  const hit = cache.get(cacheKey);
  if (hit && now < hit.at) return hit.value;
  if (cache.size > 5_000) cache.clear();
  try {
    const { data } = await adminRequest(
      shop,
      OFFER_VARIANT_QUERY,
      { id: shopifyGid("ProductVariant", variantId) },
      { estimatedCost: OFFER_VARIANT_COST, optional: true },
    );
    const node = data.productVariant;
    if (node) {
      const value: VariantDisplay = {
        productId: node.product?.id ? parseShopifyId(String(node.product.id), "Product") : null,
        productTitle: node.product?.title ?? null,
        variantTitle: node.title && node.title !== "Default Title" ? node.title : null,
        price: node.price === undefined || node.price === null ? null : String(node.price),
        imageUrl: node.image?.url ?? node.product?.featuredImage?.url ?? null,
      };
      cache.set(cacheKey, { at: now + DISPLAY_TTL_MS, value });
      return value;
    }
  } catch (error) {
    log.warn(
      `[post-purchase] ${shop}: variant ${variantId} details from Shopify unavailable (${error instanceof Error ? error.message : String(error)}); using the read model for a minute`,
    );
  }
  const known = await context.variant(variantId);
  const [facts] = known?.productId
    ? await database.db
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
  /** Why the shop's plan shows no offers (Free; or the recipe is paused past the plan's limit). */
  notInPlan: string | null;
  config: UpsellConfig | null;
  guards: GuardConfig;
  /** Null while the install's shop lookup has not succeeded (never guessed). */
  currency: string | null;
}

declare global {
  /** Per shop: the recipe's settings, the plan's say, the shared guards and the currency, with their expiry. */
  var __switchboardShopOfferSettings:
    Map<string, { until: number; value: Promise<ShopOfferSettings> }> | undefined;
}

/**
 * How long a process reuses a shop's settings (and plan) on the checkout's hot path. A change
 * saved in this process applies at once (forgetShopOfferSettings); other processes, and a plan
 * change learnt by the webhook worker, are seen within this.
 */
const SETTINGS_TTL_MS = 5_000;

function shopOfferSettings(
  db: Database["db"],
  shop: string,
  now: number,
): Promise<ShopOfferSettings> {
  const cache = (globalThis.__switchboardShopOfferSettings ??= new Map());
  const hit = cache.get(shop);
  if (hit && now < hit.until) return hit.value;
  const value = (async () => {
    const [all, guards, [row], plan] = await Promise.all([
      listRecipeSettings(db, shop),
      getGuardConfig(db, shop),
      db.select({ currency: shops.currency }).from(shops).where(eq(shops.domain, shop)),
      shopPlan(db, shop),
    ]);
    const settings = all.find((s) => s.recipeId === RECIPE_ID);
    const parsed = configSchema.safeParse(settings?.config ?? {});
    const known = new Set(RECIPES.map((r) => r.id));
    const { paused } = recipesUnderPlan(
      plan.plan,
      all.filter((s) => s.enabled && known.has(s.recipeId)),
    );
    return {
      enabled: settings?.enabled ?? false,
      notInPlan:
        recipeNotInPlan(plan.plan, RECIPE_ID) ??
        (paused.includes(RECIPE_ID)
          ? `the post-purchase upsell recipe is paused: the ${plan.plan.name} plan allows ${plan.plan.limits.recipesOn} recipes switched on`
          : null),
      config: parsed.success ? parsed.data : null,
      guards,
      currency: row?.currency ?? null,
    };
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

export async function decidePurchaseOffer(
  database: Database,
  facts: PurchaseFacts,
): Promise<PurchaseDecision> {
  const {
    enabled,
    notInPlan,
    config,
    guards,
    currency: recorded,
  } = await shopOfferSettings(database.db, facts.shop, facts.now.getTime());
  if (!enabled)
    return { recipe: RECIPE_ID, offer: null, reason: "the post-purchase upsell recipe is off" };
  if (notInPlan) return { recipe: RECIPE_ID, offer: null, reason: notInPlan };
  if (!config)
    return {
      recipe: RECIPE_ID,
      offer: null,
      reason: "the post-purchase upsell settings are no longer valid",
    };
  if (config.rules.length === 0)
    return { recipe: RECIPE_ID, offer: null, reason: "no offer rules are set up yet" };
  // A price shown to the buyer in a guessed currency would be wrong: no currency, no offer.
  const currency = recorded ?? facts.tokenCurrency;
  if (!currency)
    return {
      recipe: RECIPE_ID,
      offer: null,
      reason: "the store's currency is not known yet (Shopify's shop lookup has not succeeded)",
    };

  const candidates = candidateVariants(config);
  const productIds = needsProductFacts(config)
    ? [
        ...new Set(
          facts.lineItems.map((l) => l.productId).filter((id): id is ShopifyId => id !== null),
        ),
      ]
    : [];
  const known = await readCheckoutFacts(
    database,
    facts,
    candidates,
    productIds,
    guards,
    previousOrdersWanted(config),
  );
  if (
    known.earlier.filter((o) => o.status === "accepted").length >= MAX_ACCEPTED_OFFERS_PER_ORDER
  ) {
    return {
      recipe: RECIPE_ID,
      offer: null,
      reason: `this order already has ${MAX_ACCEPTED_OFFERS_PER_ORDER} accepted offers (Shopify's limit)`,
    };
  }

  const context = offerContext(database, facts.shop, {
    now: facts.now,
    guards,
    catalog: shopifyCatalog,
  });
  const nowMs = facts.now.getTime();
  // Stock older than the shop's limit, or product facts older than a day, are read again (live from Shopify).
  const stock = known.stock.some((level) =>
    isStale(level, nowMs, guards.inventoryMaxAgeMinutes * 60_000),
  )
    ? [...(await context.stock(candidates)).values()]
    : known.stock;
  const products =
    productIds.length > 0 &&
    productIds.some(
      (id) =>
        !known.products.some(
          (p) =>
            p.productId === id &&
            nowMs - new Date(p.fetchedAt).getTime() < PRODUCT_FACTS_MAX_AGE_MS,
        ),
    )
      ? await context.productFacts(productIds)
      : new Map(known.products.map((p) => [p.productId, p]));

  const guard = upsellVerdict(known, guards, facts.customerId);
  const decision = decideOffer(
    {
      lineItems: [
        ...facts.lineItems,
        // Already offered on this purchase (an accepted one is now in the order; a declined one is not asked again): decideOffer skips what is in the order.
        ...known.earlier
          .filter((o) => o.status === "accepted")
          .map((o) => ({ productId: null, variantId: o.variantId })),
      ],
      orderTotal: Number(facts.initialTotal ?? 0),
      currency,
      products,
      // A stale level is still the best we know; unknown stays unknown (never offered).
      stock: new Map(stock.map((level) => [level.variantId, level.available])),
      paused: new Set(known.paused),
      guard: guard.ok ? { ok: true } : { ok: false, reason: guard.reason },
      alreadyOffered: new Set(
        known.earlier.filter((o) => o.status !== "accepted").map((o) => o.variantId),
      ),
      previous: lastAnswer(known.earlier),
      customerTags: known.customerTags,
      previousOrders: known.previousOrders,
      shippingCountry: facts.shippingCountry ?? null,
      // A customer keeps their A/B version across purchases; a guest is assigned per purchase.
      shopper:
        facts.customerId !== null
          ? `customer:${facts.customerId}`
          : `purchase:${facts.referenceId}`,
    },
    config,
  );
  if (!decision.offer)
    return {
      recipe: RECIPE_ID,
      offer: null,
      reason: decision.reasons[decision.reasons.length - 1] ?? "no offer",
      ...(decision.heldOut
        ? {
            heldOut: {
              experimentKey: decision.heldOut.key,
              variantId: decision.heldOut.variantId,
              currency,
            },
          }
        : {}),
      ...(known.earlier.some((o) => o.status === "shown")
        ? { unansweredShown: true as const }
        : {}),
    };

  const offer = decision.offer;
  const display = await variantDisplay(
    database,
    context,
    facts.shop,
    offer.variantId,
    facts.now.getTime(),
  );
  if (!display.price)
    return {
      recipe: RECIPE_ID,
      offer: null,
      reason: `variant ${offer.variantId} has no known price`,
    };
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
      discount:
        offer.discount.value > 0
          ? { valueType: offer.discount.type, value: offer.discount.value }
          : null,
      reason: offer.fallback
        ? `fallback: ${decision.reasons.join("; ")}`
        : decision.reasons.join("; ") || null,
      experiment:
        offer.experiment && offer.experiment.arm !== "holdout"
          ? { key: offer.experiment.key, arm: offer.experiment.arm }
          : null,
      ruleIndex: offer.ruleIndex,
      step: offer.step,
      copy: funnelStepCopy(config.rules[offer.ruleIndex], offer.step, facts.locale),
      countdownMinutes: config.rules[offer.ruleIndex]?.countdownMinutes || null,
    },
  };
}

/** The purchase's last answered offer, as its funnel's next step reads it. */
function lastAnswer(earlier: CheckoutFacts["earlier"]): PreviousStep | undefined {
  const answered = earlier.filter((o) => o.status === "accepted" || o.status === "declined");
  const last = answered[answered.length - 1];
  return last
    ? { ruleIndex: last.ruleIndex, step: last.step, answer: last.status as PreviousStep["answer"] }
    : undefined;
}

/** For tests and the benchmark: forget cached variant details. */
export function forgetOfferVariantCache(): void {
  globalThis.__switchboardOfferVariants?.clear();
}
