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
