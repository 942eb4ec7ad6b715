import { storedReason } from "../reason-copy";
import { offerDecision } from "../actions";
import type { OrderView, RecipeContext } from "../engine/context";
import { defineRecipe, type RecipeResult } from "../engine/define-recipe";
import { formatMoney, GONE_VARIANT, goneFromList, orderSubject } from "../shared";
import { configSchema, type UpsellConfig } from "./config";
import {
  candidateVariants,
  decideOffer,
  needsProductFacts,
  previousOrdersWanted,
  type OfferDecision,
  type OfferInput,
} from "./decide-offer";
import type { ShopifyId } from "../../utils/shopify-id";

export const RECIPE_ID = "post-purchase-upsell";
const LOW_STOCK_RECIPE = "low-stock-promo-pause";

/**
 * Everything decideOffer needs for an order, read through the recipe context: stock (live when
 * the cache is old), product tags/collections (only if a rule uses them), paused variants and
 * the shared guards. (The checkout's offer endpoint reads the same in one query: app/post-purchase/decide.server.ts.)
 */
export async function gatherOfferInput(
  ctx: RecipeContext,
  order: OrderView,
  config: UpsellConfig,
): Promise<{ input: OfferInput; notes: string[]; products: Map<ShopifyId, ShopifyId | null> }> {
  const candidates = candidateVariants(config);
  const productIds = order.lineItems
    .map((l) => l.productId)
    .filter((id): id is ShopifyId => id !== null);
  const customer = { id: order.customerId, email: order.email };
  const needsCustomerTags = config.rules.some((rule) => rule.customerTags.length > 0);
  const ordersWanted = previousOrdersWanted(config);
  const [stock, products, pausedRows, guard, buyer, earlierOrders] = await Promise.all([
    ctx.stock(candidates),
    needsProductFacts(config) ? ctx.productFacts(productIds) : Promise.resolve(new Map()),
    ctx.state.of(LOW_STOCK_RECIPE).getMany(candidates.map((id) => `variant:${id}`)),
    ctx.guard(customer, "upsell"),
    needsCustomerTags && order.customerId !== null
      ? ctx.customer(order.customerId)
      : Promise.resolve(undefined),
    ordersWanted !== null && order.customerId !== null
      ? ctx.ordersOfCustomer(order.customerId, {
          before: order.createdAt,
          limit: ordersWanted,
        })
      : Promise.resolve([]),
  ]);
  const notes: string[] = [];
  for (const level of stock.values()) {
    if (level.source === "live")
      notes.push(
        `variant ${level.variantId}: ${level.available ?? "unknown"} in stock (checked with Shopify just now)`,
      );
    if (level.source === "stale" || level.source === "unknown")
      notes.push(
        `variant ${level.variantId}: stock ${level.source === "stale" ? `from ${level.checkedAt ? ctx.time.dateTime(level.checkedAt) : storedReason("earlierCheck")}` : "unknown"}${level.note ? ` (${level.note})` : ""}`,
      );
  }
  const paused = new Set(
    candidates.filter((id) => pausedRows.get(`variant:${id}`)?.paused === true),
  );
  return {
    input: {
      lineItems: order.lineItems,
      orderTotal: order.totalPrice,
      currency: order.currency,
      products,
      // A stale level is still the best we know; unknown stays unknown (never offered).
      stock: new Map([...stock.values()].map((l) => [l.variantId, l.available])),
      paused,
      guard: guard.ok ? { ok: true } : { ok: false, reason: guard.reason },
      customerTags: buyer?.tags ?? [],
      previousOrders: earlierOrders.length,
      shippingCountry: order.shippingCountry,
      // The customer's A/B version, as the checkout assigns it (a guest's is per purchase,
      // which the order does not name: their rule's offer is what the recipe reports).
      ...(order.customerId !== null ? { shopper: `customer:${order.customerId}` } : {}),
    },
    notes,
    /** Each candidate variant's product, when known. */
    products: new Map([...stock.values()].map((l) => [l.variantId, l.productId ?? null])),
  };
}

function describeOffer(decision: OfferDecision, currency: string) {
  const offer = decision.offer!;
  const discount =
    offer.discount.type === "percentage"
      ? `${offer.discount.value}% off`
      : `${formatMoney(offer.discount.value, currency)} off`;
  return `variant ${offer.variantId} at ${discount}${offer.fallback ? " (fallback: first choice short of stock)" : ""}`;
}

export const postPurchaseUpsell = defineRecipe({
  id: RECIPE_ID,
  title: "Post-purchase upsell",
  summary:
    "Chooses an in-stock offer to show right after checkout, within the upsell cap and never while a ticket is open.",
  fr: {
    title: "Vente incitative après achat",
    summary:
      "Choisit une offre en stock à montrer juste après le paiement, dans la limite de vente incitative et jamais pendant un ticket ouvert.",
  },
  requires: [],
  triggers: [{ type: "webhook", topics: ["orders/create"] }],
  configSchema,
  describe(config, locale = "en", money = String) {
    if (locale === "fr") {
      if (config.rules.length === 0)
        return "Ajoutez une règle d’offre pour choisir ce qui est proposé après le paiement.";
      return `Après chaque commande${config.minimumOrderTotal > 0 ? ` d’au moins ${money(config.minimumOrderTotal)}` : ""}, propose la variante de la première règle correspondante ayant au moins ${config.minimumStock} en stock (${config.rules.length} règle${config.rules.length === 1 ? "" : "s"}), au plus aussi souvent que la limite de vente incitative le permet.`;
    }
    if (config.rules.length === 0)
      return "Add an offer rule to choose what to offer after checkout.";
    return `After each order${config.minimumOrderTotal > 0 ? ` of at least ${money(config.minimumOrderTotal)}` : ""}, offers the first matching rule's variant with at least ${config.minimumStock} in stock (${config.rules.length} rule${config.rules.length === 1 ? "" : "s"}), at most as often as the upsell cap allows.`;
  },
  async validate(config, catalog) {
    const errors: Record<string, string> = {};
    const variants = await catalog.existingVariants(candidateVariants(config));
    const products = await catalog.existingProducts([
      ...new Set(config.rules.flatMap((r) => r.productIds)),
    ]);
    const collections = await catalog.existingCollections([
      ...new Set(config.rules.flatMap((r) => r.collectionIds)),
    ]);
    config.rules.forEach((rule, i) => {
      if (!variants.has(rule.offerVariantId)) errors[`rules.${i}.offerVariantId`] = GONE_VARIANT;
      if (rule.fallbackVariantId && !variants.has(rule.fallbackVariantId))
        errors[`rules.${i}.fallbackVariantId`] = GONE_VARIANT;
      const unknownProducts = rule.productIds.filter((id) => !products.has(id)).length;
      if (unknownProducts)
        errors[`rules.${i}.productIds`] = goneFromList(unknownProducts, "products");
      const unknownCollections = rule.collectionIds.filter((id) => !collections.has(id)).length;
      if (unknownCollections)
        errors[`rules.${i}.collectionIds`] = goneFromList(unknownCollections, "collections");
    });
    return errors;
  },
  async run(event, ctx, config): Promise<RecipeResult | null> {
    if (event.type !== "webhook" || event.topic !== "orders/create") return null;
    const order = await ctx.order(event.data.id);
    if (!order)
      return {
        subject: { label: `Order ${event.data.name}`, orderId: event.data.id },
        skip: storedReason("orderMissing"),
      };
    const subject = orderSubject(order);
    if (config.rules.length === 0) return { subject, skip: storedReason("noOfferRules") };
    const { input, notes, products } = await gatherOfferInput(ctx, order, config);
    const decision = decideOffer(input, config);
    const customerId = order.customerId;
    if (!decision.offer) {
      return {
        subject,
        skip: decision.reasons[decision.reasons.length - 1] ?? storedReason("noOffer"),
        notes: [...decision.reasons.slice(0, -1), ...notes],
        // Remember what we wanted: when it is back in stock, this buyer hears about it (not
        // a test's holdout: it was in stock, and they are meant to hear nothing).
        state:
          decision.wanted && !decision.heldOut
            ? [
                {
                  subject: `order:${order.id}`,
                  customerId,
                  value: {
                    wanted: decision.wanted,
                    variantId: null,
                    decidedAt: ctx.now.toISOString(),
                  },
                },
              ]
            : [],
      };
    }
    const offer = decision.offer;
    return {
      subject,
      notes: [...decision.reasons, ...notes],
      actions: [
        offerDecision(
          {
            source: `order/${order.id}`,
            channel: "upsell",
            customer: { id: customerId, email: order.email },
            summary: `Offer ${describeOffer(decision, order.currency)} after ${order.name}`,
          },
          {
            orderId: order.id,
            variantId: offer.variantId,
            productId: products.get(offer.variantId) ?? null,
            discount: offer.discount,
            fallback: offer.fallback,
            ruleIndex: offer.ruleIndex,
          },
        ),
      ],
      state: [
        {
          subject: `order:${order.id}`,
          customerId,
          value: {
            variantId: offer.variantId,
            wanted: decision.wanted,
            discount: offer.discount,
            fallback: offer.fallback,
            ruleIndex: offer.ruleIndex,
            decidedAt: ctx.now.toISOString(),
          },
        },
      ],
    };
  },
  signal: {
    count: (sql, { shop, daysAgo }) =>
      sql`select count(*) from orders where shop = ${shop} and created_at >= ${daysAgo(30)}`,
    text: {
      en: {
        text_one: "{count} order in the last 30 days could each have shown an offer.",
        text_other: "{count} orders in the last 30 days could each have shown an offer.",
      },
      fr: {
        text_one: "{count} commande de ces 30 derniers jours aurait pu afficher une offre.",
        text_other:
          "{count} commandes de ces 30 derniers jours auraient chacune pu afficher une offre.",
      },
    },
  },
});
