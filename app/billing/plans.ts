import { BillingInterval } from "@shopify/shopify-api";

/**
 * Switchboard's plans. Competitors price post-purchase upsells by the revenue they bring
 * (Zipify OneClickUpsell: $35/month + 1% of upsell revenue), so the paid plans are a modest
 * recurring charge plus a share of *charged* upsell revenue, capped per 30-day period so a big
 * month never surprises the merchant. Amounts are USD: Shopify bills apps in USD and converts.
 */
export const PLAN_NAMES = ["Free", "Growth", "Scale"] as const;
export type PlanName = (typeof PLAN_NAMES)[number];
export type PaidPlanName = Exclude<PlanName, "Free">;

export interface PlanLimits {
  /** Recipes that may be switched on at once; null = no limit. */
  recipesOn: number | null;
  /** Orders recipes act on per 30-day billing period; null = no limit. */
  ordersPerPeriod: number | null;
}

export interface Plan {
  name: PlanName;
  limits: PlanLimits;
  /** Recurring charge per 30 days, USD (0 for Free). */
  monthlyPrice: number;
  /** Share of charged upsell revenue billed as usage, e.g. 0.01 = 1%. */
  upsellFeeRate: number;
  /** Most the usage line may bill in one period, USD. */
  usageCap: number;
  trialDays: number;
}

export const PLANS: Record<PlanName, Plan> = {
  // Post-purchase offers are off on Free: the upsell fee is what funds them.
  Free: {
    name: "Free",
    limits: { recipesOn: 2, ordersPerPeriod: 100 },
    monthlyPrice: 0,
    upsellFeeRate: 0,
    usageCap: 0,
    trialDays: 0,
  },
  Growth: {
    name: "Growth",
    limits: { recipesOn: 5, ordersPerPeriod: 2_000 },
    monthlyPrice: 19,
    upsellFeeRate: 0.01,
    usageCap: 200,
    trialDays: 14,
  },
  Scale: {
    name: "Scale",
    limits: { recipesOn: null, ordersPerPeriod: null },
    monthlyPrice: 79,
    upsellFeeRate: 0.005,
    usageCap: 1_000,
    trialDays: 14,
  },
};

export const PAID_PLANS: PaidPlanName[] = ["Growth", "Scale"];

/** The currency every plan's lines are in, and so the one usage records must be in. */
export const BILLING_CURRENCY = "USD";

export const isPaidPlan = (name: string): name is PaidPlanName =>
  (PAID_PLANS as string[]).includes(name);

const percent = (rate: number) => `${(rate * 100).toLocaleString("en-US")}%`;

/** The usage line's terms, shown by Shopify on the confirmation page. */
export const usageTerms = (plan: Plan) =>
  `${percent(plan.upsellFeeRate)} of charged post-purchase upsell revenue, at most $${plan.usageCap} per 30 days`;

/** The library's `billing` config (app/shopify.server.ts): a recurring line and a capped usage line per paid plan. */
export function billingConfig() {
  return Object.fromEntries(
    PAID_PLANS.map((name) => {
      const plan = PLANS[name];
      return [
        name,
        {
          trialDays: plan.trialDays,
          lineItems: [
            {
              amount: plan.monthlyPrice,
              currencyCode: BILLING_CURRENCY,
              interval: BillingInterval.Every30Days as const,
            },
            {
              amount: plan.usageCap,
              currencyCode: BILLING_CURRENCY,
              interval: BillingInterval.Usage as const,
              terms: usageTerms(plan),
            },
          ],
        },
      ];
    }),
  ) as Record<
    PaidPlanName,
    {
      trialDays: number;
      lineItems: [
        { amount: number; currencyCode: string; interval: BillingInterval.Every30Days },
        { amount: number; currencyCode: string; interval: BillingInterval.Usage; terms: string },
      ];
    }
  >;
}

/** Subscription statuses in Shopify's AppSubscriptionStatus enum. */
export type SubscriptionStatus =
  "ACTIVE" | "PENDING" | "ACCEPTED" | "DECLINED" | "FROZEN" | "CANCELLED" | "EXPIRED";

/** Statuses under which the merchant is not paying: the shop falls back to Free's limits. */
const LAPSED: SubscriptionStatus[] = ["DECLINED", "FROZEN", "CANCELLED", "EXPIRED"];

export interface ShopSubscription {
  /** The plan name the subscription was created with (the billing config key). */
  name: string;
  status: SubscriptionStatus;
}

export interface EffectivePlan {
  plan: Plan;
  /** Set when a paid subscription stopped: the merchant sees a banner naming it. */
  lapsed: { name: PaidPlanName; status: SubscriptionStatus } | null;
}

/** Which plan's limits apply: only an ACTIVE paid subscription lifts the Free limits. */
export function effectivePlan(subscription: ShopSubscription | null): EffectivePlan {
  if (!subscription || !isPaidPlan(subscription.name)) return { plan: PLANS.Free, lapsed: null };
  if (subscription.status === "ACTIVE") return { plan: PLANS[subscription.name], lapsed: null };
  return {
    plan: PLANS.Free,
    lapsed: LAPSED.includes(subscription.status)
      ? { name: subscription.name, status: subscription.status }
      : null,
  };
}

export type LimitRefusal = { ok: false; reason: string; limit: number } | { ok: true };

/** Whether one more recipe may be switched on with `enabledNow` already on. */
export function canSwitchOnRecipe(plan: Plan, enabledNow: number): LimitRefusal {
  const limit = plan.limits.recipesOn;
  if (limit === null || enabledNow < limit) return { ok: true };
  return {
    ok: false,
    limit,
    reason: `The ${plan.name} plan allows ${limit} recipes switched on at once. Switch one off or upgrade your plan.`,
  };
}

/** Whether recipes may act on another order after `processedThisPeriod` this billing period. */
export function canProcessOrder(plan: Plan, processedThisPeriod: number): LimitRefusal {
  const limit = plan.limits.ordersPerPeriod;
  if (limit === null || processedThisPeriod < limit) return { ok: true };
  return {
    ok: false,
    limit,
    reason: `Not acted on: the ${plan.name} plan's ${limit.toLocaleString("en-US")} orders this billing period are used. Upgrade to keep recipes running.`,
  };
}

/** A recipe switched on, and when (null: switched on before the app recorded the time). */
export interface SwitchedOnRecipe {
  recipeId: string;
  enabledAt: Date | string | null;
}

/**
 * Which switched-on recipes run under the plan. A lapsed or downgraded plan leaves the recipes
 * switched on (the merchant's choice stands, and upgrading brings them back) but only the first
 * `recipesOn` run, in the order they were switched on: the recipes the merchant has relied on
 * longest keep running. Ties (and times never recorded, which count as earliest) go by recipe id.
 */
export function recipesUnderPlan(
  plan: Plan,
  enabled: readonly SwitchedOnRecipe[],
): { running: string[]; paused: string[] } {
  const time = (at: Date | string | null) => (at === null ? -Infinity : new Date(at).getTime());
  const ordered = [...enabled]
    .sort(
      (a, b) =>
        time(a.enabledAt) - time(b.enabledAt) ||
        (a.recipeId < b.recipeId ? -1 : a.recipeId > b.recipeId ? 1 : 0),
    )
    .map((r) => r.recipeId);
  const limit = plan.limits.recipesOn;
  if (limit === null) return { running: ordered, paused: [] };
  return { running: ordered.slice(0, limit), paused: ordered.slice(limit) };
}

/** What a recipe switched on past the plan's limit says on the recipe screens. */
export const pausedByPlan = (plan: Plan) =>
  `Paused: the ${plan.name} plan allows ${plan.limits.recipesOn ?? "any number of"} recipes switched on`;

/** Why the post-purchase offer is not shown on a plan without offers. */
export const offersNotInPlan = (plan: Plan) =>
  `post-purchase offers are not included in the ${plan.name} plan`;

/** Whether the plan includes post-purchase offers (their fee pays for them: not on Free). */
export const planOffersUpsells = (plan: Plan) => plan.upsellFeeRate > 0;

/** The recipe that decides post-purchase offers (app/recipes/post-purchase-upsell). */
const UPSELL_RECIPE_ID = "post-purchase-upsell";

/**
 * Why a recipe does not run on the plan at all, or null: the upsell recipe on a plan without
 * offers (its decisions would spend the customer's upsell cap and the plan's orders for offers
 * never shown).
 */
export const recipeNotInPlan = (plan: Plan, recipeId: string): string | null =>
  recipeId === UPSELL_RECIPE_ID && !planOffersUpsells(plan) ? offersNotInPlan(plan) : null;

/**
 * The usage fee for one charged upsell, in cents of BILLING_CURRENCY (the revenue's currency:
 * other currencies are waived, app/billing/usage.server.ts), never more than what is left under
 * the period's cap.
 */
export function upsellFeeCents(
  plan: Plan,
  chargedRevenue: string,
  billedThisPeriodCents: number,
): number {
  const fee = Math.round(Number(chargedRevenue) * plan.upsellFeeRate * 100);
  const left = Math.max(0, Math.round(plan.usageCap * 100) - billedThisPeriodCents);
  return Math.max(0, Math.min(fee, left));
}

/**
 * The `appUsageRecordCreate` idempotency key for a charged offer: the same offer always gets the
 * same key, so Shopify records one usage charge however often the job or webhook repeats.
 */
export const usageIdempotencyKey = (offerId: string) => `upsell-fee:${offerId}`;

/** The 30-day billing period `now` falls in, counted from the subscription's start (or install). */
export function billingPeriod(anchor: Date, now: Date): { start: Date; end: Date } {
  const period = 30 * 86_400_000;
  const elapsed = Math.max(0, now.getTime() - anchor.getTime());
  const start = anchor.getTime() + Math.floor(elapsed / period) * period;
  return { start: new Date(start), end: new Date(start + period) };
}

/** Whole trial days left (0 when over), from the subscription's creation and the plan's trial. */
export function trialDaysLeft(createdAt: Date, trialDays: number, now: Date): number {
  const ends = createdAt.getTime() + trialDays * 86_400_000;
  return Math.max(0, Math.ceil((ends - now.getTime()) / 86_400_000));
}

/**
 * Development and sandbox stores cannot be charged: their subscriptions are test charges.
 * Shopify names those plans "Developer Preview", "Development" or "Partner Development".
 */
export const isTestShopPlan = (planDisplayName: string | null | undefined) =>
  planDisplayName !== null &&
  planDisplayName !== undefined &&
  /development|developer preview|sandbox|staff/i.test(planDisplayName);
