import type { UpsellOffer } from "../../db/schema/index";
import type { ExecuteSql } from "../db.server";
import { billUpsellFeeTask, type Enqueuer } from "../jobs/contracts";
import {
  BILLING_CURRENCY,
  billingPeriod,
  effectivePlan,
  type SubscriptionStatus,
  upsellFeeCents,
  usageIdempotencyKey,
} from "./plans";

/**
 * Records the usage charge each newly charged offer owes (inside the caller's transaction, the
 * one that charged the offer) and enqueues the job that bills it. The row's key (shop, offer)
 * and the job key both come from the offer, so a repeated or concurrent charge webhook adds
 * neither a second row nor a second job. Shops on Free (or a lapsed plan) owe nothing.
 */
export async function requestUpsellFees(
  target: { executeSql: ExecuteSql; queue: Enqueuer },
  offers: UpsellOffer[],
  now: Date,
): Promise<number> {
  let requested = 0;
  for (const offer of offers) {
    if (offer.chargedRevenue === null) continue;
    const { rows } = await target.executeSql(
      "select plan, status, created_at from shop_subscriptions where shop = $1",
      [offer.shop],
    );
    const row = rows[0] as
      { plan: string; status: SubscriptionStatus; created_at: string | Date } | undefined;
    if (!row) continue;
    const { plan } = effectivePlan({ name: row.plan, status: row.status });
    if (plan.upsellFeeRate === 0) continue;
    // Plans bill in USD and Shopify gives apps no exchange rate: a store selling in another
    // currency is not charged the fee (recorded as waived, with the reason, for the Plan screen).
    const waived = offer.currency !== BILLING_CURRENCY;
    const period = billingPeriod(new Date(row.created_at), now);
    const billed = waived ? 0 : await billedSince(target.executeSql, offer.shop, period.start);
    const cents = waived ? 0 : upsellFeeCents(plan, offer.chargedRevenue, billed);
    const { rows: inserted } = await target.executeSql(
      `insert into billing_usage_records
         (shop, offer_id, idempotency_key, amount_cents, currency, description, status, error, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (shop, offer_id) do nothing
       returning offer_id`,
      [
        offer.shop,
        offer.id,
        usageIdempotencyKey(offer.id),
        cents,
        offer.currency,
        `${(plan.upsellFeeRate * 100).toLocaleString("en-US")}% of ${offer.chargedRevenue} ${offer.currency} upsell revenue (${offer.title})`,
        waived ? "waived" : cents === 0 ? "capped" : "pending",
        waived
          ? `Not charged: plan fees are billed in ${BILLING_CURRENCY} and this store sells in ${offer.currency}.`
          : cents === 0
            ? "This period's capped amount is reached: no more upsell fees until it renews."
            : null,
        now.toISOString(),
      ],
    );
    if (inserted.length === 0 || cents === 0) continue;
    await target.queue.enqueue(
      billUpsellFeeTask,
      { shop: offer.shop, offerId: offer.id },
      { executeSql: target.executeSql },
    );
    requested++;
  }
  return requested;
}

async function billedSince(executeSql: ExecuteSql, shop: string, since: Date): Promise<number> {
  const { rows } = await executeSql(
    `select coalesce(sum(amount_cents), 0)::int as billed from billing_usage_records
      where shop = $1 and status in ('pending', 'billed') and created_at >= $2`,
    [shop, since.toISOString()],
  );
  return Number((rows[0] as { billed: number }).billed);
}
