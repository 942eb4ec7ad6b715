import { BillingInterval } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import {
  billingConfig,
  billingPeriod,
  canProcessOrder,
  canSwitchOnRecipe,
  effectivePlan,
  isTestShopPlan,
  offersNotInPlan,
  pausedByPlan,
  planOffersUpsells,
  PLANS,
  recipesUnderPlan,
  trialDaysLeft,
  upsellFeeCents,
  usageIdempotencyKey,
} from "./plans";

const DAY = 86_400_000;

describe("billing config", () => {
  it("gives each paid plan a trial, a recurring charge and a capped usage line stating the fee", () => {
    const config = billingConfig();
    expect(Object.keys(config)).toEqual(["Growth", "Scale"]);
    const [recurring, usage] = config.Growth.lineItems;
    expect(config.Growth.trialDays).toBe(14);
    expect(recurring).toMatchObject({ amount: 19, interval: BillingInterval.Every30Days });
    expect(usage).toMatchObject({ amount: 200, interval: BillingInterval.Usage });
    expect(usage.terms).toBe(
      "1% of charged post-purchase upsell revenue, at most $200 per 30 days",
    );
    expect(config.Scale.lineItems[1].terms).toContain("0.5%");
  });
});

describe("effective plan", () => {
  it("lifts the limits only while a paid subscription is active", () => {
    expect(effectivePlan(null).plan.name).toBe("Free");
    expect(effectivePlan({ name: "Scale", status: "ACTIVE" }).plan.name).toBe("Scale");
    expect(effectivePlan({ name: "Growth", status: "PENDING" })).toEqual({
      plan: PLANS.Free,
      lapsed: null,
    });
  });

  it.each(["DECLINED", "FROZEN", "CANCELLED", "EXPIRED"] as const)(
    "drops a %s subscription to Free and says which plan lapsed",
    (status) => {
      expect(effectivePlan({ name: "Growth", status })).toEqual({
        plan: PLANS.Free,
        lapsed: { name: "Growth", status },
      });
    },
  );

  it("ignores subscriptions of names it does not sell", () => {
    expect(effectivePlan({ name: "Legacy", status: "ACTIVE" }).plan.name).toBe("Free");
  });
});

describe("limits", () => {
  it("refuses one recipe too many on Free and never on Scale", () => {
    expect(canSwitchOnRecipe(PLANS.Free, 1)).toEqual({ ok: true });
    const refused = canSwitchOnRecipe(PLANS.Free, 2);
    expect(refused).toMatchObject({ ok: false, limit: 2 });
    expect(refused.ok || refused.reason).toMatch(/Free plan allows 2 recipes/);
    expect(canSwitchOnRecipe(PLANS.Scale, 500)).toEqual({ ok: true });
  });

  it("stops acting on orders once the period's allowance is used, with a reason", () => {
    expect(canProcessOrder(PLANS.Free, 99)).toEqual({ ok: true });
    const refused = canProcessOrder(PLANS.Free, 100);
    expect(refused.ok || refused.reason).toBe(
      "Not acted on: the Free plan's 100 orders this billing period are used. Upgrade to keep recipes running.",
    );
    expect(canProcessOrder(PLANS.Growth, 1_999).ok).toBe(true);
    expect(canProcessOrder(PLANS.Growth, 2_000).ok).toBe(false);
  });
});

describe("upsell fee", () => {
  it("bills the plan's share of charged revenue in USD cents", () => {
    expect(upsellFeeCents(PLANS.Growth, "49.90", 0)).toBe(50);
    expect(upsellFeeCents(PLANS.Scale, "200.00", 0)).toBe(100);
    expect(upsellFeeCents(PLANS.Free, "200.00", 0)).toBe(0);
  });

  it("never bills past the period's cap", () => {
    expect(upsellFeeCents(PLANS.Growth, "1000.00", 19_995)).toBe(5);
    expect(upsellFeeCents(PLANS.Growth, "1000.00", 20_000)).toBe(0);
  });

  it("keys the usage record by offer so a repeat bills once", () => {
    expect(usageIdempotencyKey("a1")).toBe(usageIdempotencyKey("a1"));
    expect(usageIdempotencyKey("a1")).not.toBe(usageIdempotencyKey("a2"));
  });
});

describe("calendar", () => {
  const now = new Date();

  it("counts 30-day billing periods from the subscription's start", () => {
    const anchor = new Date(now.getTime() - 45 * DAY);
    const { start, end } = billingPeriod(anchor, now);
    expect(start.getTime()).toBe(anchor.getTime() + 30 * DAY);
    expect(end.getTime()).toBe(anchor.getTime() + 60 * DAY);
  });

  it("counts trial days left down to zero", () => {
    expect(trialDaysLeft(new Date(now.getTime() - 3.5 * DAY), 14, now)).toBe(11);
    expect(trialDaysLeft(new Date(now.getTime() - 20 * DAY), 14, now)).toBe(0);
  });

  it("treats development stores as test charges", () => {
    expect(isTestShopPlan("Developer Preview")).toBe(true);
    expect(isTestShopPlan("Partner Development")).toBe(true);
    expect(isTestShopPlan("Basic")).toBe(false);
    expect(isTestShopPlan(null)).toBe(false);
  });
});

describe("recipes under a plan", () => {
  const now = new Date();
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);

  it("runs the plan's first recipes by when they were switched on and pauses the rest", () => {
    const enabled = [
      { recipeId: "vip-tier-sync", enabledAt: at(5) },
      { recipeId: "win-back-segments", enabledAt: at(30) },
      { recipeId: "high-value-white-glove", enabledAt: at(5) },
      { recipeId: "post-purchase-upsell", enabledAt: null },
    ];
    // Never-recorded times count as earliest; a tie goes by recipe id.
    expect(recipesUnderPlan(PLANS.Free, enabled)).toEqual({
      running: ["post-purchase-upsell", "win-back-segments"],
      paused: ["high-value-white-glove", "vip-tier-sync"],
    });
    expect(recipesUnderPlan(PLANS.Scale, enabled).paused).toEqual([]);
    expect(pausedByPlan(PLANS.Free)).toBe("Paused: the Free plan allows 2 recipes switched on");
  });

  it("leaves post-purchase offers out of Free only", () => {
    expect(planOffersUpsells(PLANS.Free)).toBe(false);
    expect(offersNotInPlan(PLANS.Free)).toBe(
      "post-purchase offers are not included in the Free plan",
    );
    expect(planOffersUpsells(PLANS.Growth)).toBe(true);
    expect(planOffersUpsells(PLANS.Scale)).toBe(true);
  });
});
