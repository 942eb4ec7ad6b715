import type { FunnelStep } from "../../../db/schema/post-purchase";
import { storedReason } from "../reason-copy";
import { formatMoney } from "../shared";
import type { ShopifyId } from "../../utils/shopify-id";
import type { OfferRule, UpsellConfig } from "./config";
import { assignArm, experimentOf, type Arm } from "./experiment";

/**
 * Which post-purchase offer to show after an order, as a pure function of what is known: the
 * order's lines, the products' tags and collections, stock per candidate variant, variants
 * paused by low-stock-promo-pause, and the shared guards' verdict for this customer. The
 * recipe calls it on orders/create; the checkout extension's endpoint calls it with the same
 * inputs while the buyer waits.
 */

export interface OfferInput {
  lineItems: readonly { productId: ShopifyId | null; variantId: ShopifyId | null }[];
  /** Shop currency. */
  orderTotal: number;
  /** The shop's currency, to say the minimum order total in a reason. */
  currency?: string;
  /** The customer's tags (guests: none). Rules that name customer tags need them. */
  customerTags?: readonly string[];
  /**
   * How many orders the customer placed before this one (guests: 0). Only read when a rule
   * names a range (see previousOrdersWanted): counting stops just above the largest bound.
   */
  previousOrders?: number;
  /** Where the order ships (ISO code); null or absent when unknown (no country rule matches). */
  shippingCountry?: string | null;
  /** Tags and collections per product in the order (only needed when rules use them). */
  products: ReadonlyMap<
    ShopifyId,
    { tags: readonly string[]; collectionIds: readonly ShopifyId[] }
  >;
  /** Units available per candidate variant; null or absent = unknown (never offered). */
  stock: ReadonlyMap<ShopifyId, number | null>;
  /** Variants low-stock-promo-pause has taken out of offers. */
  paused: ReadonlySet<ShopifyId>;
  /** The shared guards (upsell cap, open ticket, refund); absent = not checked. */
  guard?: { ok: true } | { ok: false; reason: string };
  /**
   * Variants already offered on this purchase and not bought (declined, or shown and not yet
   * answered): the rules do not offer them again; a downsell of the same variant still can.
   */
  alreadyOffered?: ReadonlySet<ShopifyId>;
  /** The purchase's last answered offer, when it had one: its funnel's next step follows. */
  previous?: PreviousStep;
  /**
   * Who an A/B test assigns a version to: the customer, or the purchase for a guest. Absent:
   * every rule's own offer (version A), outside any test.
   */
  shopper?: string;
}

export type { FunnelStep };

export interface PreviousStep {
  /** The rule that made it; null for offers recorded before rules were numbered. */
  ruleIndex: number | null;
  step: FunnelStep;
  answer: "accepted" | "declined";
}

/** The A/B test a decision was made in, and the version this shopper is in. */
export interface ExperimentArm {
  key: string;
  arm: Arm;
}

export interface Offer {
  variantId: ShopifyId;
  discount: { type: "percentage" | "fixed_amount"; value: number };
  ruleIndex: number;
  ruleName: string;
  /** true when the rule's first choice was short of stock and its fallback is offered. */
  fallback: boolean;
  step: FunnelStep;
  experiment: ExperimentArm | null;
}

export interface OfferDecision {
  offer: Offer | null;
  /** The first choice of the first matching rule (for back-in-stock audiences when it was short). */
  wanted: ShopifyId | null;
  /** Why each candidate was passed over, or why nothing was offered. */
  reasons: string[];
  /**
   * The shopper is in a test's holdout: an offer was in stock for them and they see none, so
   * the test can compare. Recorded like a shown offer, without showing anything.
   */
  heldOut?: ExperimentArm & { ruleIndex: number; ruleName: string; variantId: ShopifyId };
}

/** The variants any rule could offer, A/B test versions included (what to check stock for). */
export function candidateVariants(config: Pick<UpsellConfig, "rules">): ShopifyId[] {
  return [
    ...new Set(
      config.rules.flatMap((r) => {
        const test = experimentOf(r)?.versionB?.variantId;
        return [
          r.offerVariantId,
          r.fallbackVariantId,
          test,
          r.nextVariantId,
          r.downsellVariantId,
        ].filter((id): id is ShopifyId => id !== undefined);
      }),
    ),
  ];
}

/** Whether any rule needs product tags or collections (else no product read is needed). */
export function needsProductFacts(config: Pick<UpsellConfig, "rules">): boolean {
  return config.rules.some((r) => r.collectionIds.length > 0 || r.tags.length > 0);
}

/**
 * How many earlier orders of a customer the rules need to tell apart: null when no rule
 * names a range, else one above the largest bound (counting further changes no answer).
 */
export function previousOrdersWanted(config: Pick<UpsellConfig, "rules">): number | null {
  const bounds = config.rules
    .filter((r) => (r.previousOrdersAtLeast ?? 0) > 0 || r.previousOrdersAtMost !== undefined)
    .map((r) => Math.max(r.previousOrdersAtLeast ?? 0, r.previousOrdersAtMost ?? 0));
  return bounds.length === 0 ? null : Math.max(...bounds) + 1;
}

/**
 * Whether a rule applies to this order: its product condition (any of its products,
 * collections or product tags; a catch-all has none) and all of its order conditions (subtotal
 * range, customer tags, the customer's earlier orders, shipping country). Within a list, any
 * one entry is enough.
 */
export function ruleMatches(
  rule: OfferRule,
  input: Pick<OfferInput, "lineItems" | "products"> &
    Partial<Pick<OfferInput, "orderTotal" | "customerTags" | "previousOrders" | "shippingCountry">>,
): boolean {
  const total = input.orderTotal ?? 0;
  if (total < (rule.subtotalAtLeast ?? 0)) return false;
  if (rule.subtotalAtMost !== undefined && total > rule.subtotalAtMost) return false;
  const previous = input.previousOrders ?? 0;
  if (previous < (rule.previousOrdersAtLeast ?? 0)) return false;
  if (rule.previousOrdersAtMost !== undefined && previous > rule.previousOrdersAtMost) return false;
  const countries = rule.shippingCountries ?? [];
  if (countries.length > 0) {
    const country = input.shippingCountry?.toUpperCase();
    if (!country || !countries.includes(country)) return false;
  }
  const wantedCustomerTags = (rule.customerTags ?? []).map((t) => t.toLowerCase());
  if (wantedCustomerTags.length > 0) {
    const has = new Set((input.customerTags ?? []).map((t) => t.toLowerCase()));
    if (!wantedCustomerTags.some((t) => has.has(t))) return false;
  }
  if (rule.everyOrder) return true;
  const tags = new Set(rule.tags.map((t) => t.toLowerCase()));
  return input.lineItems.some((line) => {
    if (line.productId === null) return false;
    if (rule.productIds.includes(line.productId)) return true;
    const facts = input.products.get(line.productId);
    if (!facts) return false;
    return (
      facts.collectionIds.some((id) => rule.collectionIds.includes(id)) ||
      facts.tags.some((t) => tags.has(t.toLowerCase()))
    );
  });
}

/**
 * What a rule's funnel offers after its last answered step: the next step (after an accepted
 * offer) or the downsell (after a declined one); "ended" after a funnel step, or when the rule
 * has a funnel without a step for this answer; null for a rule without a funnel, whose place the
 * rules' order takes.
 */
function funnelStep(
  rule: OfferRule,
  previous: PreviousStep,
):
  | { step: "next" | "downsell"; variantId: ShopifyId; discount: OfferRule["discount"] }
  | "ended"
  | null {
  if (previous.step !== "offer") return "ended";
  const accepted = previous.answer === "accepted";
  const variantId = accepted ? rule.nextVariantId : rule.downsellVariantId;
  if (variantId !== undefined)
    return accepted
      ? { step: "next", variantId, discount: rule.nextDiscount }
      : { step: "downsell", variantId, discount: rule.downsellDiscount };
  const hasFunnel = rule.nextVariantId !== undefined || rule.downsellVariantId !== undefined;
  return hasFunnel ? "ended" : null;
}

const ruleLabel = (rule: OfferRule, index: number) =>
  rule.name
    ? storedReason("ruleNamed", { name: rule.name })
    : storedReason("ruleNumber", { number: String(index + 1) });

export function decideOffer(
  input: OfferInput,
  config: Pick<UpsellConfig, "rules" | "minimumStock" | "minimumOrderTotal">,
): OfferDecision {
  if (input.guard && !input.guard.ok)
    return { offer: null, wanted: null, reasons: [input.guard.reason] };
  if (config.rules.length === 0)
    return { offer: null, wanted: null, reasons: [storedReason("noOfferRules")] };
  if (input.orderTotal < config.minimumOrderTotal) {
    return {
      offer: null,
      wanted: null,
      reasons: [
        storedReason("belowOfferMinimum", {
          amount: input.currency
            ? formatMoney(config.minimumOrderTotal, input.currency)
            : String(config.minimumOrderTotal),
        }),
      ],
    };
  }
  const inOrder = new Set(
    input.lineItems.map((l) => l.variantId).filter((id): id is ShopifyId => id !== null),
  );
  /** Why this variant can't be offered now, or null when it can. */
  const unavailable = (variantId: ShopifyId, label: string, offeredBefore: boolean) => {
    if (inOrder.has(variantId) || offeredBefore)
      return storedReason("alreadyInOrder", { product: label });
    if (input.paused.has(variantId)) return storedReason("pausedByLowStock", { product: label });
    const available = input.stock.get(variantId);
    if (available === null || available === undefined)
      return storedReason("unknownStock", { product: label });
    if (available < config.minimumStock)
      return storedReason("onlyInStock", {
        product: label,
        available: String(available),
        minimum: String(config.minimumStock),
      });
    return null;
  };

  // After an answer, the rule's funnel decides what follows, when it has a step for it.
  const previousIndex = input.previous?.ruleIndex ?? null;
  const previousRule = previousIndex === null ? undefined : config.rules[previousIndex];
  if (input.previous && previousRule && previousIndex !== null) {
    const follow = funnelStep(previousRule, input.previous);
    const rule = ruleLabel(previousRule, previousIndex);
    if (follow === "ended")
      return { offer: null, wanted: null, reasons: [storedReason("funnelEnded", { rule })] };
    if (follow) {
      const { step, variantId, discount } = follow;
      const label = storedReason(step === "next" ? "offerNextStep" : "offerDownsell", {
        rule,
        variant: String(variantId),
      });
      // A downsell may be the declined variant at a better price; anything else offered before is not shown again.
      const why = unavailable(
        variantId,
        label,
        step === "next" && (input.alreadyOffered?.has(variantId) ?? false),
      );
      if (why) return { offer: null, wanted: null, reasons: [why] };
      return {
        offer: {
          variantId,
          discount: { type: discount.type, value: discount.value },
          ruleIndex: previousIndex,
          ruleName: previousRule.name,
          fallback: false,
          step,
          experiment: null,
        },
        wanted: variantId,
        reasons: [],
      };
    }
  }

  const reasons: string[] = [];
  let wanted: ShopifyId | null = null;
  let matched = false;
  for (const [index, rule] of config.rules.entries()) {
    if (!ruleMatches(rule, input)) continue;
    matched = true;
    wanted ??= rule.offerVariantId;
    const experiment = experimentOf(rule);
    const arm: ExperimentArm | null =
      experiment && input.shopper !== undefined
        ? { key: experiment.key, arm: assignArm(experiment, input.shopper) }
        : null;
    const versionB = arm?.arm === "B" ? experiment!.versionB : null;
    const first = versionB?.variantId ?? rule.offerVariantId;
    const candidates =
      rule.fallbackVariantId && rule.fallbackVariantId !== first
        ? [first, rule.fallbackVariantId]
        : [first];
    for (const [position, variantId] of candidates.entries()) {
      const label = storedReason(position === 1 ? "offerFallback" : "offerVariant", {
        rule: ruleLabel(rule, index),
        variant: String(variantId),
      });
      const why = unavailable(variantId, label, input.alreadyOffered?.has(variantId) ?? false);
      if (why) {
        reasons.push(why);
        continue;
      }
      // Held out only where an offer would have been shown: the groups stay comparable.
      if (arm?.arm === "holdout")
        return {
          offer: null,
          wanted,
          reasons: [...reasons, storedReason("heldOutOfTest", { rule: ruleLabel(rule, index) })],
          heldOut: { ...arm, ruleIndex: index, ruleName: rule.name, variantId },
        };
      const discount = versionB ? versionB.discount : rule.discount;
      return {
        offer: {
          variantId,
          discount: { type: discount.type, value: discount.value },
          ruleIndex: index,
          ruleName: rule.name,
          fallback: position === 1,
          step: "offer",
          experiment: arm,
        },
        wanted,
        reasons,
      };
    }
  }
  if (!matched) reasons.push(storedReason("noRuleMatches"));
  return { offer: null, wanted, reasons };
}
