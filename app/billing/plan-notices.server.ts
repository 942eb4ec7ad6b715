import type { Db } from "../db.server";
import { planStanding, type PlanStanding } from "../models/billing.server";
import { findShop } from "../models/shops.server";
import { RECIPES } from "../recipes/registry";
import { shopTime } from "../utils/shop-time";
import { intlLocale, type Locale } from "../i18n/locale";
import { translator } from "../i18n/messages";
import { planLabel } from "./plan-screen.messages";
import { messages } from "./plan-notices.messages";

/** A banner about the shop's plan, with its way out: the Plan screen. */
export interface PlanNotice {
  id: "lapsed" | "orders-limit";
  tone: "warning" | "critical";
  title: string;
  text: string;
  action: { content: string; url: "/app/plan" };
}

/**
 * What Home says about the plan: a paid plan that stopped (which, why, that Free's limits apply
 * now and what that pauses), and recipes no longer acting on new orders this period.
 */
export function planNotices(
  standing: PlanStanding,
  timeZone: string | null,
  locale: Locale = "en",
): PlanNotice[] {
  const t = translator(messages, locale);
  const count = (n: number) => n.toLocaleString(intlLocale(locale));
  const notices: PlanNotice[] = [];
  const { plan, lapsed, recipes, orders, period } = standing;
  if (lapsed) {
    const paused = recipes.paused.length;
    notices.push({
      id: "lapsed",
      tone: "warning",
      title: t("lapsedTitle", { plan: planLabel(lapsed.name, locale) }),
      text: [
        t("lapsedText", {
          lapsed: planLabel(lapsed.name, locale),
          status: t(`status.${lapsed.status}`),
          plan: planLabel(plan.name, locale),
          recipes: t("recipes", { count: plan.limits.recipesOn ?? 0 }),
          orders: count(plan.limits.ordersPerPeriod ?? 0),
        }),
        paused > 0 ? t("paused", { count: paused }) : "",
      ]
        .filter(Boolean)
        .join(" "),
      action: { content: t("choosePlan"), url: "/app/plan" },
    });
  }
  if (!orders.refusal.ok) {
    notices.push({
      id: "orders-limit",
      tone: "critical",
      title: t("ordersTitle"),
      text: t("ordersText", {
        plan: planLabel(plan.name, locale),
        limit: count(orders.refusal.limit),
        date: shopTime({ timeZone, locale: intlLocale(locale) }).date(period.end),
      }),
      action: { content: t("upgradePlan"), url: "/app/plan" },
    });
  }
  return notices;
}

/** Home's plan banners for a shop now, and the switched-on recipes the plan pauses. */
export async function homePlan(
  db: Db,
  shop: string,
  now: Date,
  locale: Locale = "en",
): Promise<{ notices: PlanNotice[]; paused: string[] }> {
  const [standing, shopRow] = await Promise.all([
    planStanding(db, shop, now, new Set(RECIPES.map((r) => r.id))),
    findShop(db, shop),
  ]);
  return {
    notices: planNotices(standing, shopRow?.ianaTimezone ?? null, locale),
    paused: standing.recipes.paused,
  };
}
