import type { ShopifyId } from "../../utils/shopify-id";
import type { OfferRule } from "./config";

/**
 * A rule's A/B test: version A (the rule's own offer), version B (another variant and/or
 * discount) shown to `testShare` % of shoppers, and a holdout of `holdoutShare` % who see no
 * offer at all. A shopper's version is a pure function of the test and the shopper (the
 * customer, or the purchase for a guest), so the same customer always sees the same version.
 *
 * A test is named by what it compares: change a variant, a discount or a split and a new test
 * starts with fresh results (mixing two offers' numbers would answer neither question).
 */

export type Arm = "A" | "B" | "holdout";

export interface Experiment {
  key: string;
  testShare: number;
  holdoutShare: number;
  versionB: {
    variantId: ShopifyId;
    discount: { type: "percentage" | "fixed_amount"; value: number };
  } | null;
}

export function experimentOf(rule: OfferRule): Experiment | null {
  const testShare = rule.testShare ?? 0;
  const holdoutShare = rule.holdoutShare ?? 0;
  if (testShare === 0 && holdoutShare === 0) return null;
  const versionB =
    testShare > 0
      ? {
          variantId: rule.testVariantId ?? rule.offerVariantId,
          discount: { type: rule.testDiscount.type, value: rule.testDiscount.value },
        }
      : null;
  const named = [
    rule.offerVariantId,
    rule.fallbackVariantId ?? "",
    rule.discount.type,
    rule.discount.value,
    versionB?.variantId ?? "",
    versionB?.discount.type ?? "",
    versionB?.discount.value ?? "",
    testShare,
    holdoutShare,
  ].join("|");
  return { key: `t${hash32(named, 0x5eed).toString(36)}`, testShare, holdoutShare, versionB };
}

/** Which version this shopper sees: holdout first, then B, the rest A. */
export function assignArm(experiment: Experiment, shopper: string): Arm {
  const position = (hash32(`${experiment.key}:${shopper}`, 0xab) / 2 ** 32) * 100;
  if (position < experiment.holdoutShare) return "holdout";
  const rest = (position - experiment.holdoutShare) / (100 - experiment.holdoutShare);
  return rest * 100 < experiment.testShare ? "B" : "A";
}

/** MurmurHash3 (x86, 32-bit) over the string's UTF-16 code units: even, stable buckets. */
function hash32(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i += 1) {
    let k = text.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
  }
  h ^= text.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
