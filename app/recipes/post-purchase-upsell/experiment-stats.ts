import type { Arm } from "./experiment";

/**
 * The statistics of an upsell A/B test, pure so they can be checked against known values.
 *
 * Each buyer (a purchase assigned to a version) has one value: what the upsell was charged plus
 * what they ordered in the following 30 days (app/models/upsell-experiments.server.ts), so a
 * holdout buyer counts what they would have spent anyway. Versions are compared on the mean
 * value per buyer: the difference with a 95 % confidence interval from Welch's standard error
 * (normal approximation: tests here have hundreds of buyers per version before a winner is
 * declared).
 */

/** Days of a buyer's later orders counted in their value. */
export const FOLLOW_ON_DAYS = 30;

export interface VersionResult {
  arm: Arm;
  /** What the version offers (null for the holdout): the product as shoppers saw it. */
  offer: {
    title: string | null;
    discount: { type: "percentage" | "fixed_amount"; value: number } | null;
  } | null;
  buyers: number;
  accepted: number;
  charged: number;
  /** accepted / buyers, 0..1; null without buyers. */
  conversion: number | null;
  /** Charged upsell revenue. */
  revenue: number;
  /** Mean value per buyer (upsell + FOLLOW_ON_DAYS of orders); null without buyers. */
  valuePerBuyer: number | null;
}

/**
 * One rule's test as the results query builds it (app/models/upsell-experiments.server.ts) and
 * the screens draw it: plain data, the same after JSON.
 */
export interface UpsellTestResult {
  key: string;
  ruleIndex: number | null;
  ruleName: string;
  /** Still the rule's test (false: the rule changed or went; these are its last results). */
  running: boolean;
  testShare: number;
  holdoutShare: number;
  firstBuyerAt: string | null;
  versions: VersionResult[];
  /** B against A; null when the test has no version B. */
  verdict: Verdict | null;
  /** Each shown version's value per buyer minus the holdout's; empty without a holdout. */
  incremental: { arm: "A" | "B"; difference: Interval | null }[];
}

/** Buyers, and the sum and sum of squares of their values: enough for a mean and a variance. */
export interface ValueSample {
  buyers: number;
  sum: number;
  sumOfSquares: number;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** Two-sided 95 %. */
const Z_95 = 1.959963984540054;

/** Below this many buyers in a version, no winner is declared whatever the numbers say. */
export const MIN_BUYERS_PER_VERSION = 100;

export function sampleOf(values: readonly number[]): ValueSample {
  return {
    buyers: values.length,
    sum: values.reduce((total, v) => total + v, 0),
    sumOfSquares: values.reduce((total, v) => total + v * v, 0),
  };
}

export function meanOf(sample: ValueSample): number | null {
  return sample.buyers === 0 ? null : sample.sum / sample.buyers;
}

/** The unbiased sample variance; null below two buyers. */
export function varianceOf(sample: ValueSample): number | null {
  if (sample.buyers < 2) return null;
  const mean = sample.sum / sample.buyers;
  // Sums of squares of money can lose a little to rounding: never below zero.
  return Math.max(0, (sample.sumOfSquares - sample.buyers * mean * mean) / (sample.buyers - 1));
}

/** Mean value per buyer of `treated` minus that of `control`, with its 95 % interval. */
export function differenceOfMeans(treated: ValueSample, control: ValueSample): Interval | null {
  const a = varianceOf(treated);
  const b = varianceOf(control);
  if (a === null || b === null) return null;
  const estimate = treated.sum / treated.buyers - control.sum / control.buyers;
  const standardError = Math.sqrt(a / treated.buyers + b / control.buyers);
  return {
    estimate,
    low: estimate - Z_95 * standardError,
    high: estimate + Z_95 * standardError,
  };
}

export type Verdict =
  | { kind: "too-few"; needed: number }
  | { kind: "winner"; winner: "A" | "B"; difference: Interval }
  | { kind: "no-difference"; difference: Interval };

/**
 * Whether B beats A (or A beats B) on value per buyer: a winner once both versions have
 * MIN_BUYERS_PER_VERSION buyers and the 95 % interval of the difference excludes zero.
 */
export function compareVersions(a: ValueSample, b: ValueSample): Verdict {
  const needed = Math.max(0, MIN_BUYERS_PER_VERSION - Math.min(a.buyers, b.buyers));
  const difference = differenceOfMeans(b, a);
  if (needed > 0 || difference === null) return { kind: "too-few", needed: Math.max(needed, 1) };
  if (difference.low > 0) return { kind: "winner", winner: "B", difference };
  if (difference.high < 0) return { kind: "winner", winner: "A", difference };
  return { kind: "no-difference", difference };
}
