import { sql } from "drizzle-orm";
import type { Db } from "../db.server";
import { CHARGE_CONFIRMATION_WINDOW_MS } from "../post-purchase/charges.server";
import { shopDays, shopTime, type ShopTime } from "../utils/shop-time";
import {
  configSchema as upsellConfigSchema,
  type UpsellConfig,
} from "../recipes/post-purchase-upsell/config";
import { FUNNEL_STEPS, type FunnelStep } from "../../db/schema/post-purchase";
import type { UpsellTestResult } from "../recipes/post-purchase-upsell/experiment-stats";
import { upsellTests } from "./upsell-experiments.server";
import { getRecipeSettings } from "./recipe-settings.server";

/**
 * The Upsell section on Home: post-purchase offers shown, accepted and charged, conversion,
 * revenue the charged offers added, and AOV of purchases that got an offer (initial total +
 * charged upsell revenue) against orders that did not, with a per-day series. Money is in the
 * shop's currency; days are the shop's (options.time, UTC without it). Only charged revenue counts: an accepted offer whose line Shopify's order has
 * not shown is "waiting for Shopify" for CHARGE_CONFIRMATION_WINDOW_MS after the buyer
 * accepted, then "accepted, not charged by Shopify" (app/post-purchase/charges.server.ts).
 *
 * "Orders without an offer" are read-model orders in the window (not cancelled) with no offer
 * shown to the same customer within two hours of the order; guest orders cannot be matched and
 * count as without an offer.
 */

export interface UpsellDay {
  /** The shop's local date, YYYY-MM-DD. */
  date: string;
  shown: number;
  accepted: number;
  charged: number;
  /** Charged revenue, shop currency. */
  revenue: number;
}

/**
 * Where the upsell stands, for what Home says while no offer has been shown: switched off, on
 * without an offer rule (it cannot offer anything), or on and waiting for a matching order.
 */
export type UpsellSetup = "off" | "no-offer" | "on";

export async function upsellSetup(db: Db, shop: string): Promise<UpsellSetup> {
  return (await upsellSettings(db, shop)).setup;
}

async function upsellSettings(
  db: Db,
  shop: string,
): Promise<{ setup: UpsellSetup; config: UpsellConfig | null }> {
  const row = await getRecipeSettings(db, shop, "post-purchase-upsell");
  const parsed = upsellConfigSchema.safeParse(row?.config ?? {});
  const config = parsed.success ? parsed.data : null;
  if (!row?.enabled) return { setup: "off", config };
  return { setup: config && config.rules.length > 0 ? "on" : "no-offer", config };
}

/** One funnel step of one offer rule over the window: how far buyers went through it. */
export interface UpsellFunnelStep {
  /** The rule's position (0-based) when the offers were shown; null for older offers. */
  ruleIndex: number | null;
  /** The rule's name as the merchant wrote it ("" when unnamed or unknown). */
  ruleName: string;
  step: FunnelStep;
  shown: number;
  accepted: number;
  charged: number;
  /** Charged revenue, shop currency. */
  revenue: number;
}

export interface UpsellAnalytics {
  days: number;
  setup: UpsellSetup;
  currency: string | null;
  shown: number;
  accepted: number;
  declined: number;
  /** Accepted offers Shopify's order shows: the only ones whose revenue counts. */
  charged: number;
  /** Accepted within the confirmation window, not charged yet. */
  awaitingCharge: number;
  /** Accepted longer ago than the window and never charged. */
  notCharged: number;
  /** accepted / shown, 0..1; null with nothing shown. */
  conversion: number | null;
  revenueAdded: number;
  /**
   * The rules' A/B tests over the same days: what an offer really adds is measured against a
   * holdout that saw none (app/models/upsell-experiments.server.ts), not by comparing orders
   * that got an offer with orders that did not (those buyers differ in more than the offer).
   */
  tests: UpsellTestResult[];
  /** Per rule and funnel step (offer, next after an accept, downsell after a decline). */
  funnel: UpsellFunnelStep[];
  series: UpsellDay[];
}

type Row = Record<string, unknown>;
const rowsOf = (result: unknown): Row[] =>
  ((result as { rows?: Row[] }).rows ?? (result as Row[])) as Row[];

export async function upsellAnalytics(
  db: Db,
  shop: string,
  options: { days?: number; now: Date; time?: ShopTime },
): Promise<UpsellAnalytics> {
  const days = Math.max(1, Math.min(365, Math.floor(options.days ?? 30)));
  const now = options.now;
  // The shop's days: from the start of its day `days - 1` days ago to the end of its today.
  const { dates, bounds } = shopDays(options.time ?? shopTime({ timeZone: null }), now, days);
  const start = bounds[0]!;
  const end = bounds[days]!;
  const instants = (list: Date[]) =>
    sql`array[${sql.join(
      list.map((b) => sql`${b.toISOString()}::timestamptz`),
      sql`, `,
    )}]`;

  const confirmBy = new Date(now.getTime() - CHARGE_CONFIRMATION_WINDOW_MS);

  const [totals] = rowsOf(
    await db.execute(sql`
      select count(*)::int as shown,
             count(*) filter (where status = 'accepted')::int as accepted,
             count(*) filter (where status = 'declined')::int as declined,
             count(*) filter (where charged_at is not null)::int as charged,
             count(*) filter (where status = 'accepted' and charged_at is null and responded_at >= ${confirmBy})::int as awaiting,
             count(*) filter (where status = 'accepted' and charged_at is null and responded_at < ${confirmBy})::int as not_charged,
             coalesce(sum(charged_revenue) filter (where charged_at is not null), 0)::text as revenue,
             coalesce(max(currency), (select currency from shops where domain = ${shop})) as currency
      from upsell_offers
      where shop = ${shop} and shown_at >= ${start} and shown_at < ${end}`),
  );

  const series = rowsOf(
    await db.execute(sql`
      select d.i::int as i,
             count(u.id)::int as shown,
             count(u.id) filter (where u.status = 'accepted')::int as accepted,
             count(u.id) filter (where u.charged_at is not null)::int as charged,
             coalesce(sum(u.charged_revenue) filter (where u.charged_at is not null), 0)::text as revenue
      from unnest(${instants(bounds.slice(0, days))}, ${instants(bounds.slice(1))}) with ordinality as d(day_start, day_end, i)
      left join upsell_offers u
        on u.shop = ${shop} and u.shown_at >= d.day_start and u.shown_at < d.day_end
      group by d.i
      order by d.i`),
  ).map((row) => ({
    date: dates[Number(row.i) - 1]!,
    shown: Number(row.shown),
    accepted: Number(row.accepted),
    charged: Number(row.charged),
    revenue: Number(row.revenue),
  }));

  const { setup, config } = await upsellSettings(db, shop);
  const funnel = rowsOf(
    await db.execute(sql`
      select rule_index, step,
             count(*)::int as shown,
             count(*) filter (where status = 'accepted')::int as accepted,
             count(*) filter (where charged_at is not null)::int as charged,
             coalesce(sum(charged_revenue) filter (where charged_at is not null), 0)::text as revenue
      from upsell_offers
      where shop = ${shop} and shown_at >= ${start} and shown_at < ${end}
      group by rule_index, step
      order by rule_index nulls last, array_position(array[${sql.join(
        FUNNEL_STEPS.map((step) => sql`${step}`),
        sql`, `,
      )}]::text[], step)`),
  ).map((row) => {
    const ruleIndex = row.rule_index === null ? null : Number(row.rule_index);
    return {
      ruleIndex,
      ruleName: (ruleIndex !== null ? config?.rules[ruleIndex]?.name : undefined) ?? "",
      step: row.step as FunnelStep,
      shown: Number(row.shown),
      accepted: Number(row.accepted),
      charged: Number(row.charged),
      revenue: Number(row.revenue),
    };
  });

  const shown = Number(totals?.shown ?? 0);
  const accepted = Number(totals?.accepted ?? 0);
  return {
    days,
    setup,
    currency: (totals?.currency as string | null) ?? null,
    shown,
    accepted,
    declined: Number(totals?.declined ?? 0),
    charged: Number(totals?.charged ?? 0),
    awaitingCharge: Number(totals?.awaiting ?? 0),
    notCharged: Number(totals?.not_charged ?? 0),
    conversion: shown > 0 ? accepted / shown : null,
    revenueAdded: Number(totals?.revenue ?? 0),
    tests: await upsellTests(db, shop, config, { start, end }),
    funnel,
    series,
  };
}
