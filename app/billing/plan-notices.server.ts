import type { Db } from "../db.server";
import { planStanding, type PlanStanding } from "../models/billing.server";
import { findShop } from "../models/shops.server";
import { RECIPES } from "../recipes/registry";
import { shopTime } from "../utils/shop-time";
import type { SubscriptionStatus } from "./plans";

/** A banner about the shop's plan, with its way out: the Plan screen. */
export interface PlanNotice {
  id: "lapsed" | "orders-limit";
  tone: "warning" | "critical";
  title: string;
  text: string;
  action: { content: string; url: "/app/plan" };
}

const STATUS_WORD: Record<SubscriptionStatus, string> = {
  ACTIVE: "active",
  PENDING: "waiting for approval",
  ACCEPTED: "accepted",
  DECLINED: "declined",
  FROZEN: "frozen (Shopify could not charge the store)",
  CANCELLED: "cancelled",
  EXPIRED: "expired (it was never approved)",
};

const count = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

/**
 * What Home says about the plan: a paid plan that stopped (which, why, that Free's limits apply
 * now and what that pauses), and recipes no longer acting on new orders this period.
 */
export function planNotices(standing: PlanStanding, timeZone: string | null): PlanNotice[] {
  const notices: PlanNotice[] = [];
  const { plan, lapsed, recipes, orders, period } = standing;
  if (lapsed) {
    const paused = recipes.paused.length;
    notices.push({
      id: "lapsed",
      tone: "warning",
      title: `Your ${lapsed.name} plan has stopped`,
      text: [
        `Shopify reports the ${lapsed.name} subscription as ${STATUS_WORD[lapsed.status]}, so the ${plan.name} plan's limits apply now: ${plural(plan.limits.recipesOn ?? 0, "recipe", "recipes")} switched on, ${count(plan.limits.ordersPerPeriod ?? 0)} orders acted on per 30 days, and no post-purchase offers.`,
        paused > 0
          ? `${plural(paused, "recipe is", "recipes are")} paused until you choose a plan again or switch others off.`
          : "",
      ]
        .filter(Boolean)
        .join(" "),
      action: { content: "Choose a plan", url: "/app/plan" },
    });
  }
  if (!orders.refusal.ok) {
    notices.push({
      id: "orders-limit",
      tone: "critical",
      title: "Recipes have stopped acting on new orders",
      text: `The ${plan.name} plan's ${count(orders.refusal.limit)} orders for this billing period are used. New orders until ${shopTime({ timeZone }).date(period.end)} are left alone (Activity lists each one); orders already acted on carry on. Upgrade to keep recipes running.`,
      action: { content: "Upgrade plan", url: "/app/plan" },
    });
  }
  return notices;
}

/** Home's plan banners for a shop now, and the switched-on recipes the plan pauses. */
export async function homePlan(
  db: Db,
  shop: string,
  now: Date,
): Promise<{ notices: PlanNotice[]; paused: string[] }> {
  const [standing, shopRow] = await Promise.all([
    planStanding(db, shop, now, new Set(RECIPES.map((r) => r.id))),
    findShop(db, shop),
  ]);
  return {
    notices: planNotices(standing, shopRow?.ianaTimezone ?? null),
    paused: standing.recipes.paused,
  };
}
