import { type AdminData, adminRequest } from "../../integrations/shopify-admin/client.server";
import { ACTIVE_SUBSCRIPTIONS_QUERY } from "../../integrations/shopify-admin/graphql/ActiveSubscriptionsQuery";
import { APP_USAGE_RECORD_CREATE_MUTATION } from "../../integrations/shopify-admin/graphql/AppUsageRecordCreateMutation";
import type { CurrencyCode } from "../../types/admin.types";
import { billUpsellFeeTask } from "../contracts";
import { defineTask } from "../define-task";
import { adminFailureAsTaskError } from "./admin-failure.server";
import { RetryableError, TerminalError } from "../errors";

type UsageRecordCreate = AdminData<typeof APP_USAGE_RECORD_CREATE_MUTATION>;

/**
 * Shopify's words when a usage charge would pass the usage line's capped amount ("Total price
 * exceeds balance remaining", per the Admin API's appUsageRecordCreate documentation).
 */
const CAP_REACHED = /exceeds balance remaining|capped amount/i;

/**
 * The usage line of the shop's subscription, from Shopify: the webhook and billing.check name
 * the subscription but not its lines. Null when the subscription is no longer active.
 */
async function findUsageLine(
  shop: string,
  subscriptionId: string,
): Promise<{ id: string; currency: string } | null> {
  let data: AdminData<typeof ACTIVE_SUBSCRIPTIONS_QUERY>;
  try {
    ({ data } = await adminRequest(shop, ACTIVE_SUBSCRIPTIONS_QUERY, {}, { estimatedCost: 5 }));
  } catch (error) {
    throw adminFailureAsTaskError(error, shop);
  }
  const subscription = data.currentAppInstallation.activeSubscriptions.find(
    (s) => s.id === subscriptionId,
  );
  for (const line of subscription?.lineItems ?? []) {
    const pricing = line.plan.pricingDetails;
    if (pricing.__typename === "AppUsagePricing")
      return { id: line.id, currency: pricing.cappedAmount.currencyCode };
  }
  return null;
}

/**
 * Bills one charged offer's upsell fee on the shop's usage line with the offer's idempotency
 * key (app/billing/plans.ts), so a retry after a lost answer gets Shopify's first record back
 * instead of a second charge. A fee past the capped amount is recorded as capped and not
 * retried: the Plan screen shows it.
 */
export const billUpsellFee = defineTask({
  ...billUpsellFeeTask,
  retry: { retryLimit: 10, retryDelaySeconds: 10, retryDelayMaxSeconds: 30 * 60 },
  async run({ shop, offerId }, { database, clock }) {
    const { rows } = await database.executeSql(
      `select r.idempotency_key, r.amount_cents, r.currency, r.description, r.status,
              s.subscription_id, s.usage_line_item_id
         from billing_usage_records r left join shop_subscriptions s on s.shop = r.shop
        where r.shop = $1 and r.offer_id = $2`,
      [shop, offerId],
    );
    const record = rows[0] as
      | {
          idempotency_key: string;
          amount_cents: number;
          currency: string;
          description: string;
          status: string;
          subscription_id: string | null;
          usage_line_item_id: string | null;
        }
      | undefined;
    if (!record || record.status !== "pending") return;
    const settle = (
      status: "billed" | "capped" | "failed",
      fields: { id?: string; error?: string },
    ) =>
      database.executeSql(
        `update billing_usage_records
            set status = $3, usage_record_id = $4, error = $5, billed_at = $6
          where shop = $1 and offer_id = $2 and status = 'pending'`,
        [shop, offerId, status, fields.id ?? null, fields.error ?? null, clock.now().toISOString()],
      );
    if (!record.subscription_id) {
      await settle("failed", { error: "The shop has no subscription to bill." });
      return;
    }
    let usageLineId = record.usage_line_item_id;
    if (!usageLineId) {
      const line = await findUsageLine(shop, record.subscription_id);
      if (!line) {
        await settle("failed", {
          error: "The subscription is no longer active or has no usage line to bill.",
        });
        return;
      }
      if (line.currency !== record.currency) {
        await settle("failed", {
          error: `The usage line bills in ${line.currency}; this fee is in ${record.currency}.`,
        });
        return;
      }
      usageLineId = line.id;
      await database.executeSql(
        `update shop_subscriptions set usage_line_item_id = $3
          where shop = $1 and subscription_id = $2`,
        [shop, record.subscription_id, usageLineId],
      );
    }
    let result: UsageRecordCreate["appUsageRecordCreate"];
    try {
      ({
        data: { appUsageRecordCreate: result },
      } = await adminRequest(
        shop,
        APP_USAGE_RECORD_CREATE_MUTATION,
        {
          subscriptionLineItemId: usageLineId,
          price: {
            amount: (Number(record.amount_cents) / 100).toFixed(2),
            // The shop's currency as Shopify named it on the order.
            currencyCode: record.currency as CurrencyCode,
          },
          description: record.description,
          idempotencyKey: record.idempotency_key,
        },
        { estimatedCost: 10 },
      ));
    } catch (error) {
      throw adminFailureAsTaskError(error, shop);
    }
    if (!result) throw new RetryableError("Shopify answered appUsageRecordCreate without a result");
    if (result.appUsageRecord) {
      await settle("billed", { id: result.appUsageRecord.id });
      return;
    }
    const message = result.userErrors.map((e) => e.message).join("; ");
    if (CAP_REACHED.test(message)) {
      await settle("capped", { error: message });
      return;
    }
    await settle("failed", { error: message });
    throw new TerminalError(`Shopify refused the usage charge for offer ${offerId}: ${message}`);
  },
});
