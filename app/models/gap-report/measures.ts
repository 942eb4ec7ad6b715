import type { MeasureId, Present } from "./copy";
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

/** A figure in its unit as the screen shows it: "4.2 %", "18 hours", "$1,240.00". */
export function formatValue(value: number, unit: Measure["unit"], p: Present): string {
  const shown = p.number(value);
  // The plural form follows the number as shown ("1 hour", "1.5 hours").
  const count = Number(shown.replace(",", ".")) === 1 ? 1 : 2;
  switch (unit) {
    case "percent":
      return p.t("unit.percent", { value: shown });
    case "hours":
      return p.t("unit.hours", { count, value: shown });
    case "days":
      return p.t("unit.days", { count, value: shown });
    case "money":
      return p.money(value);
    case "per-100-orders":
      return p.t("unit.per100", { value: shown });
    case "count":
      return p.number(value, 0);
  }
}

/** "Level 3 at 2 % or less · 2 at 5 % · 1 at 10 %" */
export function thresholdText(t: Thresholds, unit: Measure["unit"], p: Present): string {
  const [l3, l2, l1] = t.levels.map((bound) => formatValue(bound, unit, p));
  return p.t(t.better === "lower" ? "thresholdsLower" : "thresholdsHigher", {
    l3: l3!,
    l2: l2!,
    l1: l1!,
  });
}

/** A measure: its id (naming its label and definition in copy.ts), zone, unit and thresholds. */
export interface MeasureSpec {
  id: MeasureId;
  zone: ZoneId;
  unit: Measure["unit"];
  thresholds: Thresholds;
  /** Values for the definition's placeholders. */
  params?: Record<string, number>;
}

function described(spec: MeasureSpec, p: Present) {
  return {
    id: spec.id,
    zone: spec.zone,
    unit: spec.unit,
    label: p.t(`${spec.id}.label`),
    definition: p.t(`${spec.id}.definition`, spec.params),
    better: spec.thresholds.better,
    thresholds: thresholdText(spec.thresholds, spec.unit, p),
  };
}

export function measured(
  spec: MeasureSpec,
  p: Present,
  value: number,
  context: string | null,
  display?: string,
): Measure {
  return {
    ...described(spec, p),
    value,
    display: display ?? formatValue(value, spec.unit, p),
    context,
    level: levelOf(value, spec.thresholds),
    missing: null,
  };
}

export function missingMeasure(spec: MeasureSpec, p: Present, missing: MissingData): Measure {
  return {
    ...described(spec, p),
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
