import { z } from "zod";
import type { Db } from "../db.server";
import {
  ordersActedOn,
  recordSubscriptionUpdate,
  shopBilling,
  limitsPeriod,
} from "../models/billing.server";
import { enabledRecipeIds } from "../models/recipe-settings.server";
import { findShop } from "../models/shops.server";
import {
  billingPeriod,
  isPaidPlan,
  isTestShopPlan,
  PAID_PLANS,
  PLAN_NAMES,
  PLANS,
  trialDaysLeft,
  BILLING_CURRENCY,
  type PaidPlanName,
  type PlanName,
  type SubscriptionStatus,
} from "./plans";
import { intlLocale, type Locale } from "../i18n/locale";
import { translator } from "../i18n/messages";
import { messages, planLabel } from "./plan-screen.messages";

/**
 * The usage line's terms in the admin's language, its cap in the same money format as the plan's
 * price beside it (Shopify's confirmation page keeps the English terms of the billing config).
 */
function usageTermsIn(plan: (typeof PLANS)[PlanName], locale: Locale): string {
  const format = (options: Intl.NumberFormatOptions) =>
    new Intl.NumberFormat(intlLocale(locale), options);
  return translator(messages, locale)("usageTerms", {
    rate: format({ style: "percent", maximumFractionDigits: 2 }).format(plan.upsellFeeRate),
    cap: format({ style: "currency", currency: BILLING_CURRENCY }).format(plan.usageCap),
  });
}

/**
 * The app's handle in Shopify Admin (`/store/<store>/apps/<handle>`), from the app's name in
 * shopify.app.toml. Shopify returns the merchant here after the confirmation page.
 */
export const APP_HANDLE = "switchboard";

/** Where the confirmation page sends the merchant back: the Plan screen inside Admin. */
export const planReturnUrl = (shop: string) =>
  `https://admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}/apps/${APP_HANDLE}/app/plan`;

/** The part of the library's `billing` context (authenticate.admin) the Plan screen uses. */
export interface PlanBilling {
  check(options: { plans?: PaidPlanName[]; isTest?: boolean }): Promise<{
    appSubscriptions: { id: string; name: string; status: string; createdAt: string }[];
  }>;
  request(options: { plan: PaidPlanName; isTest: boolean; returnUrl: string }): Promise<never>;
  cancel(options: { subscriptionId: string; isTest: boolean; prorate: boolean }): Promise<{
    id: string;
    name: string;
    status: string;
    createdAt: string;
  }>;
}

export type PlanCardAction = "current" | "choose" | "upgrade" | "downgrade";

export interface PlanScreenView {
  shopName: string;
  timeZone: string;
  current: {
    name: PlanName;
    /** Paid and approved: the subscription renews on `periodEnd`. */
    paid: boolean;
    test: boolean;
    trialDaysLeft: number;
    /** End of this 30-day period of use (ISO), when the limits' counts start again. */
    periodEnd: string;
    /** A paid plan's next charge (ISO): the trial's end, then every 30 days after it. */
    renewsOn: string | null;
    /** A paid plan that stopped (declined, frozen, cancelled, expired). */
    lapsed: { name: string; status: SubscriptionStatus } | null;
  };
  use: {
    recipesOn: { used: number; limit: number | null };
    orders: { used: number; limit: number | null };
    /** Usage charges this period; amounts in `currency` (what Shopify bills the app in). */
    usageCharges: {
      amount: number;
      cap: number;
      currency: string;
      /** Why upsell fees are not charged to this store, if they are not. */
      notCharged: string | null;
    } | null;
  };
  plans: {
    name: PlanName;
    monthlyPrice: number;
    trialDays: number;
    usageTerms: string | null;
    recipesOn: number | null;
    ordersPerPeriod: number | null;
    action: PlanCardAction;
  }[];
}

const rank = (name: PlanName) => PLAN_NAMES.indexOf(name);

/** Shopify charges a subscription when its trial ends, then every 30 days. */
function nextCharge(createdAt: Date, trialDays: number, now: Date): Date {
  const trialEnd = new Date(createdAt.getTime() + trialDays * 86_400_000);
  return now < trialEnd ? trialEnd : billingPeriod(trialEnd, now).end;
}

/**
 * Subscriptions Shopify reports active that the app has not recorded as active yet: the merchant
 * is back from the confirmation page before `app_subscriptions/update` arrived.
 */
async function learnApproved(
  db: Db,
  shop: string,
  billing: PlanBilling,
  isTest: boolean,
  now: Date,
) {
  const stored = await shopBilling(db, shop, now);
  const { appSubscriptions } = await billing.check({ plans: PAID_PLANS, isTest });
  for (const subscription of appSubscriptions) {
    if (
      subscription.status !== "ACTIVE" ||
      (stored.subscription?.subscriptionId === subscription.id &&
        stored.subscription.status === "ACTIVE")
    )
      continue;
    await recordSubscriptionUpdate(
      db,
      shop,
      {
        admin_graphql_api_id: subscription.id,
        name: subscription.name,
        status: "ACTIVE",
        created_at: new Date(subscription.createdAt),
      },
      now,
    );
  }
}

/** Everything the Plan screen shows, after learning of a just-approved subscription. */
export async function loadPlanScreen(args: {
  db: Db;
  shop: string;
  now: Date;
  billing: PlanBilling;
  locale?: Locale;
}): Promise<PlanScreenView> {
  const { db, shop, now, billing } = args;
  const locale = args.locale ?? "en";
  const t = translator(messages, locale);
  const shopRow = await findShop(db, shop);
  const test = isTestShopPlan(shopRow?.plan);
  await learnApproved(db, shop, billing, test, now);
  const state = await shopBilling(db, shop, now);
  const plan = state.plan;
  const paid = isPaidPlan(plan.name);
  // Free shops count their 30-day periods from the install.
  const period = limitsPeriod(state, shopRow?.installedAt ?? null, now);
  const [recipesOn, orders] = await Promise.all([
    enabledRecipeIds(db, shop),
    ordersActedOn(db, shop, period.start),
  ]);
  return {
    shopName: shopRow?.name ?? shop,
    timeZone: shopRow?.ianaTimezone ?? "UTC",
    current: {
      name: plan.name,
      paid,
      test,
      trialDaysLeft:
        paid && state.subscription
          ? trialDaysLeft(state.subscription.createdAt, plan.trialDays, now)
          : 0,
      periodEnd: period.end.toISOString(),
      renewsOn:
        paid && state.subscription
          ? nextCharge(state.subscription.createdAt, plan.trialDays, now).toISOString()
          : null,
      lapsed: state.lapsed,
    },
    use: {
      recipesOn: { used: recipesOn.length, limit: plan.limits.recipesOn },
      orders: { used: orders, limit: plan.limits.ordersPerPeriod },
      usageCharges: paid
        ? {
            amount: state.usageCents / 100,
            cap: plan.usageCap,
            currency: BILLING_CURRENCY,
            notCharged:
              shopRow?.currency && shopRow.currency !== BILLING_CURRENCY
                ? t("notCharged", { billing: BILLING_CURRENCY, store: shopRow.currency })
                : null,
          }
        : null,
    },
    plans: PLAN_NAMES.map((name) => {
      const card = PLANS[name];
      return {
        name,
        monthlyPrice: card.monthlyPrice,
        trialDays: card.trialDays,
        usageTerms: isPaidPlan(name) ? usageTermsIn(card, locale) : null,
        recipesOn: card.limits.recipesOn,
        ordersPerPeriod: card.limits.ordersPerPeriod,
        action:
          name === plan.name
            ? "current"
            : plan.name === "Free"
              ? "choose"
              : rank(name) > rank(plan.name)
                ? "upgrade"
                : "downgrade",
      };
    }),
  };
}

export const planForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("choose"), plan: z.enum(PLAN_NAMES) }),
  z.object({ intent: z.literal("cancel") }),
]);

export type PlanActionResult = { ok: true; message: string } | { ok: false; message: string };

/**
 * Choosing a paid plan sends the merchant to Shopify's confirmation page (`billing.request`
 * throws that redirect); choosing Free, or cancelling, cancels the paid subscription now.
 * Development stores get test charges (`isTest`), which Shopify never bills.
 */
export async function planAction(args: {
  db: Db;
  shop: string;
  now: Date;
  billing: PlanBilling;
  form: Record<string, unknown>;
  locale?: Locale;
}): Promise<PlanActionResult> {
  const { db, shop, now, billing } = args;
  const locale = args.locale ?? "en";
  const t = translator(messages, locale);
  const parsed = planForm.safeParse(args.form);
  if (!parsed.success) return { ok: false, message: t("choosePlan") };
  const shopRow = await findShop(db, shop);
  const isTest = isTestShopPlan(shopRow?.plan);
  const state = await shopBilling(db, shop, now);
  const choice = parsed.data.intent === "choose" ? parsed.data.plan : "Free";
  if (choice === state.plan.name)
    return { ok: false, message: t("alreadyOn", { plan: planLabel(choice, locale) }) };
  if (isPaidPlan(choice))
    return billing.request({ plan: choice, isTest, returnUrl: planReturnUrl(shop) });
  const subscription = state.subscription;
  if (!subscription || subscription.status !== "ACTIVE")
    return { ok: false, message: t("nothingToCancel") };
  const cancelled = await billing.cancel({
    subscriptionId: subscription.subscriptionId,
    isTest,
    prorate: true,
  });
  await recordSubscriptionUpdate(
    db,
    shop,
    {
      admin_graphql_api_id: cancelled.id,
      name: cancelled.name,
      status: cancelled.status as SubscriptionStatus,
      created_at: new Date(cancelled.createdAt),
    },
    now,
  );
  return {
    ok: true,
    message: t("cancelled", { plan: planLabel(subscription.plan, locale) }),
  };
}
