import { eq } from "drizzle-orm";
import { shopSubscriptions } from "../../db/schema/index";
import type { Db } from "../../app/db.server";
import { PLANS, type PlanName } from "../../app/billing/plans";

/**
 * Puts a shop on a plan as Shopify's approval would leave it: an ACTIVE subscription created at
 * `now` (Free: no subscription at all, as after install). Tests whose shop switches on more
 * recipes, or acts on more orders, than Free allows start here (the shared fixtures do).
 */
export async function onPlan(db: Db, shop: string, planName: PlanName, now: Date): Promise<void> {
  if (planName === "Free") {
    await db.delete(shopSubscriptions).where(eq(shopSubscriptions.shop, shop));
    return;
  }
  const row = {
    subscriptionId: `gid://shopify/AppSubscription/test-${planName.toLowerCase()}`,
    plan: planName,
    status: "ACTIVE",
    test: true,
    trialDays: PLANS[planName].trialDays,
    createdAt: now,
    updatedAt: now,
  };
  await db
    .insert(shopSubscriptions)
    .values({ shop, ...row })
    .onConflictDoUpdate({ target: shopSubscriptions.shop, set: row });
}
