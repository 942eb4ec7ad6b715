/**
 * The automation-gap report as the engine computes it and the screen reads it: plain JSON, cached
 * per shop and window (gap_reports), every figure already computed from the shop's own data and
 * every sentence already in merchant language (money with currency, times in the shop's zone).
 * Pure types: the engine (gap-report.server.ts) writes this shape, the screen only renders it.
 */

export const ZONE_IDS = [
  "order-to-cash",
  "inventory-fulfillment",
  "customer-service",
  "post-purchase-marketing",
] as const;
export type ZoneId = (typeof ZONE_IDS)[number];

/** 0 manual, 1 reactive, 2 automated, 3 orchestrated. */
export type Level = 0 | 1 | 2 | 3;

/** The windows a merchant can choose, in days. */
export const WINDOW_DAYS = [30, 90, 365] as const;
export type WindowDays = (typeof WINDOW_DAYS)[number];
export const DEFAULT_WINDOW_DAYS: WindowDays = 90;

/** Why a measure has no value: it says so instead of scoring 0. */
export interface MissingData {
  /** "Connect Gorgias to measure ticket volume." */
  reason: string;
  /** Where the merchant fixes it (an app path), when they can. */
  fix: { label: string; url: string } | null;
}

export interface Measure {
  /** Stable id ("refund-turnaround"); a punch-list item points at one. */
  id: string;
  zone: ZoneId;
  /** "Refund turnaround" */
  label: string;
  /** How it is computed, in one or two merchant sentences. */
  definition: string;
  /** The raw figure, in `unit`; null when `missing`. */
  value: number | null;
  unit: "count" | "percent" | "hours" | "days" | "money" | "per-100-orders";
  /** `value` formatted for the screen ("4.2 %", "$1,240.00", "18 hours"); "—" when missing. */
  display: string;
  /** What the figure is out of, when it helps ("of 1,204 delivered parcels"). */
  context: string | null;
  /** This measure's level from its thresholds; null when missing. */
  level: Level | null;
  /** Which way is better: a rising review-ask share is progress, a rising refund time is not. */
  better: "higher" | "lower";
  /** The thresholds in words ("Level 3 at 2 % or less · 2 at 5 % · 1 at 10 %"). */
  thresholds: string;
  missing: MissingData | null;
}

export interface ZoneScore {
  zone: ZoneId;
  /** "Order-to-cash" */
  label: string;
  /** Mean of its measures' levels to one decimal (0–3); null when no measure has data. */
  score: number | null;
  /** The typical score for stores in this shop's GMV band. */
  typical: number;
  measures: Measure[];
}

export interface GmvBand {
  id: "under-1m" | "1m-5m" | "5m-15m" | "15m-50m" | "over-50m";
  /** "$1M–5M a year" */
  label: string;
  /** Annualised GMV the band was chosen from, in the shop's currency. */
  annualGmv: number;
  annualGmvDisplay: string;
  /** How the annualised figure was reached ("$412,300.00 over 90 days × 365/90"). */
  basis: string;
}

export interface PunchItem {
  /** Stable id ("lapsed-customers"). */
  id: string;
  zone: ZoneId;
  measureId: string;
  /** "412 lapsed customers were never reached" */
  title: string;
  /** Estimated money at stake over the window, in the shop's currency; items are ranked by it. */
  atStake: number;
  atStakeDisplay: string;
  /** The arithmetic, one visible step per line ("412 lapsed customers × $86.20 average order × 5 % win-back rate = $1,776.00"). */
  arithmetic: string[];
  /** The recipe that closes this gap, if one does. */
  recipe: { id: string; name: string; enabled: boolean } | null;
}

export interface TrendPoint {
  /** The shop-local date (YYYY-MM-DD) the week starts. */
  weekStart: string;
  scores: Record<ZoneId, number | null>;
}

export interface GapReport {
  shop: string;
  /** ISO instant the engine finished. */
  computedAt: string;
  /** "Computed Dec 6, 2026, 8:00 AM" in the shop's zone. */
  computedAtDisplay: string;
  computeMs: number;
  window: { days: WindowDays; from: string; to: string; display: string };
  currency: string;
  ordersInWindow: number;
  band: GmvBand;
  zones: ZoneScore[];
  /** Highest `atStake` first. */
  punchList: PunchItem[];
  /** One point per shop week, oldest first (up to 12). */
  trend: TrendPoint[];
}

/** What the screen's loader gets: the cached report, or why there is none yet. */
export type GapReportState =
  | { status: "ready"; report: GapReport; stale: boolean }
  /** `requested` false: nothing asked for it yet (the loader asks, see requestGapReport). */
  | {
      status: "computing";
      requested: boolean;
      since: string;
      sinceDisplay: string;
      /** Why the last attempt failed (merchant language); it is tried again. */
      lastError: string | null;
    }
  | { status: "no-orders"; importUrl: string };
