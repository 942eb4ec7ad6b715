import { describe, expect, it } from "vitest";
import {
  compareVersions,
  differenceOfMeans,
  meanOf,
  sampleOf,
  varianceOf,
  type ValueSample,
} from "./experiment-stats";

/** n buyers with value `high` and the rest 0: a known mean and variance. */
const buyers = (n: number, charged: number, value: number): ValueSample =>
  sampleOf([...Array(charged).fill(value), ...Array(n - charged).fill(0)]);

describe("upsell A/B statistics", () => {
  it("computes mean and sample variance as textbooks do", () => {
    const sample = sampleOf([10, 20, 30]);
    expect(meanOf(sample)).toBe(20);
    expect(varianceOf(sample)).toBe(100);
    expect(varianceOf(sampleOf([5]))).toBeNull();
    expect(meanOf(sampleOf([]))).toBeNull();
  });

  it("gives Welch's 95 % interval for a difference of means", () => {
    // [10, 20, 30] against [0, 0, 0, 0]: difference 20, standard error √(100/3) = 5.7735,
    // interval 20 ± 1.96 × 5.7735 = 8.684 … 31.316.
    const interval = differenceOfMeans(sampleOf([10, 20, 30]), sampleOf([0, 0, 0, 0]))!;
    expect(interval.estimate).toBe(20);
    expect(interval.low).toBeCloseTo(8.684, 3);
    expect(interval.high).toBeCloseTo(31.316, 3);
    // Two unequal variances: means 6 and 3, variances 10 and 2.5, n 5 and 5:
    // SE = √(2 + 0.5) = 1.5811, interval 3 ± 3.0990.
    const welch = differenceOfMeans(sampleOf([2, 4, 6, 8, 10]), sampleOf([1, 2, 3, 4, 5]))!;
    expect(welch.estimate).toBe(3);
    expect(welch.low).toBeCloseTo(-0.099, 3);
    expect(welch.high).toBeCloseTo(6.099, 3);
  });

  it("declares B the winner when its value per buyer is higher with 95 % confidence", () => {
    // 400 buyers each: A charges 40 × $20 (mean $2), B 80 × $20 (mean $4).
    // Var A = (40·400 − 400·2²)/399 = 36.09, var B = (80·400 − 400·4²)/399 = 64.16;
    // SE = √(36.09/400 + 64.16/400) = 0.5006, interval 2 ± 0.9812 = 1.019 … 2.981.
    const verdict = compareVersions(buyers(400, 40, 20), buyers(400, 80, 20));
    expect(verdict.kind).toBe("winner");
    if (verdict.kind !== "winner") return;
    expect(verdict.winner).toBe("B");
    expect(verdict.difference.estimate).toBeCloseTo(2, 10);
    expect(verdict.difference.low).toBeCloseTo(1.019, 3);
    expect(verdict.difference.high).toBeCloseTo(2.981, 3);
  });

  it("declares no winner on a difference chance explains, and none before enough buyers", () => {
    expect(compareVersions(buyers(400, 40, 20), buyers(400, 44, 20)).kind).toBe("no-difference");
    expect(compareVersions(buyers(400, 40, 20), buyers(40, 30, 20))).toEqual({
      kind: "too-few",
      needed: 60,
    });
    expect(compareVersions(buyers(400, 80, 20), buyers(400, 40, 20))).toMatchObject({
      kind: "winner",
      winner: "A",
    });
  });
});
