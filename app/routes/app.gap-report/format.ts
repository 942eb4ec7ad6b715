import type { Translate } from "../../i18n/messages";
import type { GapReport, Level, ZoneScore } from "../../models/gap-report/types";
import type { gapScreenMessages } from "./messages";

export type ScreenT = Translate<typeof gapScreenMessages.en>;

export const levelName = (t: ScreenT, level: Level) => t(`level${level}`);

/** A score out of 3, to one decimal ("1.5", "1,5" in French). */
export const formatScore = (score: number, locale = "en-US") =>
  new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
    score,
  );

/** How a zone's score stands against the typical score of stores in the shop's band. */
export function versusTypical(
  t: ScreenT,
  zone: Pick<ZoneScore, "score" | "typical">,
  locale?: string,
): string {
  if (zone.score === null) return t("notScoredYet");
  const gap = Math.round((zone.score - zone.typical) * 10) / 10;
  if (gap === 0) return t("level");
  return t(gap < 0 ? "below" : "above", { gap: formatScore(Math.abs(gap), locale) });
}

/** "Stores doing $1M–5M a year typically score 2.1 on order-to-cash, …" */
export function bandLine(
  t: ScreenT,
  report: Pick<GapReport, "band" | "zones">,
  locale?: string,
): string {
  const scores = report.zones.map((zone) =>
    t("bandItem", { score: formatScore(zone.typical, locale), zone: zone.label.toLowerCase() }),
  );
  const list =
    scores.length > 1
      ? t("listAnd", { items: scores.slice(0, -1).join(", "), last: scores.at(-1)! })
      : scores.join("");
  return t("bandLine", { band: report.band.label, list });
}

/** Why this band: the shop's own annualised sales and how they were reached. */
export const bandBasis = (t: ScreenT, report: Pick<GapReport, "band">) =>
  t("bandBasis", { annual: report.band.annualGmvDisplay, basis: report.band.basis });

export const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
export const uncapitalise = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
