import { and, eq, gte, sql } from "drizzle-orm";
import {
  billingUsageRecords,
  recipeRuns,
  recipeSettings,
  shops,
  shopSubscriptions,
} from "../../db/schema/index";
import type { Db } from "../db.server";
import {
  billingPeriod,
  canProcessOrder,
  effectivePlan,
  isPaidPlan,
  pausedByPlan,
  recipesUnderPlan,
  type EffectivePlan,
  type LimitRefusal,
  type Plan,
  type SubscriptionStatus,
} from "../billing/plans";

/**
 * Records what `app_subscriptions/update` says about the shop's subscription. Only a newer
 * subscription, or a later word about the same one, replaces the row, so an old PENDING that
 * Shopify delivers late cannot undo an approval. A lapsed paid plan (declined, frozen,
 * cancelled, expired) drops the shop to the Free plan's limits (app/billing/plans.ts).
 */
export async function recordSubscriptionUpdate(
  db: Db,
  shop: string,
  subscription: {
    admin_graphql_api_id: string;
    name: string;
    status: SubscriptionStatus;
    created_at: Date;
  },
  now: Date,
): Promise<void> {
  await db
    .insert(shopSubscriptions)
    .values({
      shop,
      subscriptionId: subscription.admin_graphql_api_id,
      plan: subscription.name,
      status: subscription.status,
      createdAt: subscription.created_at,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: shopSubscriptions.shop,
      set: {
        subscriptionId: subscription.admin_graphql_api_id,
        plan: subscription.name,
        status: subscription.status,
        createdAt: subscription.created_at,
        updatedAt: now,
        // The usage line belongs to one subscription: a new subscription's is learnt anew.
        usageLineItemId: sql`case when ${shopSubscriptions.subscriptionId} = ${subscription.admin_graphql_api_id} then ${shopSubscriptions.usageLineItemId} end`,
      },
      setWhere: sql`${shopSubscriptions.createdAt} <= ${subscription.created_at.toISOString()}`,
    });
}

export interface ShopBilling extends EffectivePlan {
  subscription: typeof shopSubscriptions.$inferSelect | null;
  period: { start: Date; end: Date } | null;
  /** Usage billed or being billed this period, USD cents. */
  usageCents: number;
}

/** The plan whose limits apply to the shop now (one query; shopBilling adds the period's usage). */
export async function shopPlan(db: Db, shop: string): Promise<EffectivePlan> {
  const [subscription] = await db
    .select({ plan: shopSubscriptions.plan, status: shopSubscriptions.status })
    .from(shopSubscriptions)
    .where(eq(shopSubscriptions.shop, shop));
  return effectivePlan(
    subscription
      ? { name: subscription.plan, status: subscription.status as SubscriptionStatus }
      : null,
  );
}

/** The plan whose limits apply to the shop now, and this period's usage charges. */
export async function shopBilling(db: Db, shop: string, now: Date): Promise<ShopBilling> {
  const [subscription] = await db
    .select()
    .from(shopSubscriptions)
    .where(eq(shopSubscriptions.shop, shop));
  const effective = effectivePlan(
    subscription
      ? { name: subscription.plan, status: subscription.status as SubscriptionStatus }
      : null,
  );
  if (!subscription) return { ...effective, subscription: null, period: null, usageCents: 0 };
  const period = billingPeriod(subscription.createdAt, now);
  const [usage] = await db
    .select({ cents: sql<number>`coalesce(sum(${billingUsageRecords.amountCents}), 0)::int` })
    .from(billingUsageRecords)
    .where(
      and(
        eq(billingUsageRecords.shop, shop),
        gte(billingUsageRecords.createdAt, period.start),
        sql`${billingUsageRecords.status} in ('pending', 'billed')`,
      ),
    );
  return { ...effective, subscription, period, usageCents: Number(usage?.cents ?? 0) };
}

/**
 * Orders recipes acted on since `since` (the billing period's start): distinct orders with at
 * least one `acted` run. What the plan's "orders acted on per 30 days" limit counts.
 */
export async function ordersActedOn(db: Db, shop: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(distinct ${recipeRuns.orderId})::int` })
    .from(recipeRuns)
    .where(
      and(
        eq(recipeRuns.shop, shop),
        eq(recipeRuns.outcome, "acted"),
        gte(recipeRuns.createdAt, since),
      ),
    );
  return Number(row?.n ?? 0);
}

/**
 * The 30-day period the plan's limits count in: an active paid plan's from its subscription's
 * creation, Free's (never subscribed, or lapsed) from the install.
 */
export function limitsPeriod(
  state: { plan: Plan; period: { start: Date; end: Date } | null },
  installedAt: Date | null,
  now: Date,
): { start: Date; end: Date } {
  return isPaidPlan(state.plan.name) && state.period
    ? state.period
    : billingPeriod(installedAt ?? now, now);
}

export interface PlanStanding extends EffectivePlan {
  period: { start: Date; end: Date };
  orders: { used: number; limit: number | null; refusal: LimitRefusal };
  /** Recipe ids switched on: those that run under the plan, and those paused past its limit. */
  recipes: { running: string[]; paused: string[] };
  /** "Paused: the Free plan allows 2 recipes switched on", for paused recipes' screens. */
  pausedReason: string;
}

/**
 * Where the shop stands against its plan now: the plan, this period's orders acted on and
 * whether new orders are still acted on, and which switched-on recipes run. `known` limits the
 * recipes to those the app has (a retired recipe's row takes no place).
 */
export async function planStanding(
  db: Db,
  shop: string,
  now: Date,
  known?: ReadonlySet<string>,
): Promise<PlanStanding> {
  const [state, [shopRow], enabled] = await Promise.all([
    shopBilling(db, shop, now),
    db.select({ installedAt: shops.installedAt }).from(shops).where(eq(shops.domain, shop)),
    db
      .select({ recipeId: recipeSettings.recipeId, enabledAt: recipeSettings.enabledAt })
      .from(recipeSettings)
      .where(and(eq(recipeSettings.shop, shop), eq(recipeSettings.enabled, true))),
  ]);
  const period = limitsPeriod(state, shopRow?.installedAt ?? null, now);
  const used = await ordersActedOn(db, shop, period.start);
  return {
    plan: state.plan,
    lapsed: state.lapsed,
    period,
    orders: {
      used,
      limit: state.plan.limits.ordersPerPeriod,
      refusal: canProcessOrder(state.plan, used),
    },
    recipes: recipesUnderPlan(
      state.plan,
      known ? enabled.filter((r) => known.has(r.recipeId)) : enabled,
    ),
    pausedReason: pausedByPlan(state.plan),
  };
}
