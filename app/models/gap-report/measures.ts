import { formatMoney } from "../../recipes/shared";
import type { Level, Measure, MissingData, ZoneId } from "./types";

/**
 * How a figure becomes a level (0 manual … 3 orchestrated): documented thresholds, one per level,
 * in the measure's own unit. `better` says which way is good. docs/gap-report.md lists them all.
 */
export interface Thresholds {
  better: "lower" | "higher";
  /** The bounds for level 3, 2 and 1, in that order. */
  levels: [number, number, number];
}

export function levelOf(value: number, { better, levels }: Thresholds): Level {
  const reaches = (bound: number) => (better === "lower" ? value <= bound : value >= bound);
  if (reaches(levels[0])) return 3;
  if (reaches(levels[1])) return 2;
  if (reaches(levels[2])) return 1;
  return 0;
}

const number = (value: number, digits = 1) =>
  new Intl.NumberFormat("en-US", { maximumFractionDigits: digits }).format(value);

export const plural = (count: number, one: string, many: string) =>
  `${number(count, 0)} ${count === 1 ? one : many}`;

/** A figure in its unit as the screen shows it: "4.2 %", "18 hours", "$1,240.00". */
export function formatValue(value: number, unit: Measure["unit"], currency: string): string {
  switch (unit) {
    case "percent":
      return `${number(value)} %`;
    case "hours":
      return `${number(value)} ${number(value) === "1" ? "hour" : "hours"}`;
    case "days":
      return `${number(value)} ${number(value) === "1" ? "day" : "days"}`;
    case "money":
      return formatMoney(value, currency);
    case "per-100-orders":
      return `${number(value)} per 100 orders`;
    case "count":
      return number(value, 0);
  }
}

function boundText(bound: number, unit: Measure["unit"], currency: string) {
  return formatValue(bound, unit, currency);
}

/** "Level 3 at 2 % or less · 2 at 5 % · 1 at 10 %" */
export function thresholdText(t: Thresholds, unit: Measure["unit"], currency: string): string {
  const side = t.better === "lower" ? "or less" : "or more";
  const [l3, l2, l1] = t.levels.map((b) => boundText(b, unit, currency));
  return `Level 3 at ${l3} ${side} · 2 at ${l2} · 1 at ${l1}`;
}

export interface MeasureSpec {
  id: string;
  zone: ZoneId;
  label: string;
  definition: string;
  unit: Measure["unit"];
  thresholds: Thresholds;
}

export function measured(
  spec: MeasureSpec,
  currency: string,
  value: number,
  context: string | null,
  display?: string,
): Measure {
  return {
    ...spec,
    better: spec.thresholds.better,
    thresholds: thresholdText(spec.thresholds, spec.unit, currency),
    value,
    display: display ?? formatValue(value, spec.unit, currency),
    context,
    level: levelOf(value, spec.thresholds),
    missing: null,
  };
}

export function missingMeasure(spec: MeasureSpec, currency: string, missing: MissingData): Measure {
  return {
    ...spec,
    better: spec.thresholds.better,
    thresholds: thresholdText(spec.thresholds, spec.unit, currency),
    value: null,
    display: "—",
    context: null,
    level: null,
    missing,
  };
}

/** Mean of the available levels, one decimal; null when no measure has data. */
export function zoneScore(measures: readonly Measure[]): number | null {
  const levels: number[] = measures.flatMap((m) => (m.level === null ? [] : [m.level]));
  if (levels.length === 0) return null;
  return Math.round((levels.reduce((a, b) => a + b, 0) / levels.length) * 10) / 10;
}
