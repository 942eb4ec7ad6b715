import type { GapReport, Level, ZoneScore } from "../../models/gap-report/types";

export const LEVEL_NAMES: Record<Level, string> = {
  0: "Manual",
  1: "Reactive",
  2: "Automated",
  3: "Orchestrated",
};

/** A score out of 3, to one decimal ("1.5"). */
export const formatScore = (score: number) => score.toFixed(1);

/** How a zone's score stands against the typical score of stores in the shop's band. */
export function versusTypical(zone: Pick<ZoneScore, "score" | "typical">): string {
  if (zone.score === null) return "Not scored yet: none of its measures has data.";
  const gap = Math.round((zone.score - zone.typical) * 10) / 10;
  if (gap === 0) return "Level with stores your size.";
  return `${formatScore(Math.abs(gap))} ${gap < 0 ? "below" : "above"} stores your size.`;
}

/** "Stores doing $1M–5M a year typically score 2.1 on order-to-cash, …" */
export function bandLine(report: Pick<GapReport, "band" | "zones">): string {
  const scores = report.zones.map(
    (zone) => `${formatScore(zone.typical)} on ${zone.label.toLowerCase()}`,
  );
  const list =
    scores.length > 1 ? `${scores.slice(0, -1).join(", ")} and ${scores.at(-1)}` : scores.join("");
  return `Stores doing ${report.band.label} typically score ${list}.`;
}

/** Why this band: the shop's own annualised sales and how they were reached. */
export const bandBasis = (report: Pick<GapReport, "band">) =>
  `Your store is in that band at ${report.band.annualGmvDisplay} a year (${report.band.basis}).`;

export const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
export const uncapitalise = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
