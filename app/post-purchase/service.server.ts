import { z } from "zod";
import type { UpsellOffer } from "../../db/schema/index";
import { env } from "../env.server";
import type { TaskHelpers } from "../jobs/define-task";
import type {
  AddVariantChange,
  PostPurchaseOffer,
  PostPurchaseOfferResponse,
} from "../shared/extension-contracts";
import { log } from "../utils/log.server";
import type { ShopifyId } from "../utils/shopify-id";
import { decidePurchaseOffer } from "./decide.server";
import { requestUpsellEvent } from "./events.server";
import {
  acceptOffer,
  declineOffer,
  offerDiscount,
  offerRevenue,
  recordHoldout,
  recordOfferShown,
  unansweredOffer,
} from "./offers.server";
import { signChangeset, verifyPurchaseToken, type PurchaseToken } from "./token.server";

/**
 * The post-purchase endpoints' logic (the routes only parse, call and map errors):
 * offer → the extension's ShouldRender; sign → Accept; decline → Decline.
 */

const shopDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "a *.myshopify.com domain");

export const offerRequestSchema = z.object({
  token: z.string().min(1).max(20_000),
  shop: shopDomain,
  referenceId: z.string().min(1).max(255),
});

export const answerRequestSchema = offerRequestSchema.extend({ offerId: z.uuid() });

export type OfferRequest = z.output<typeof offerRequestSchema>;
export type AnswerRequest = z.output<typeof answerRequestSchema>;

/** Where deliveries go, which database to use and what time it is: a Runtime (`{ database, queue, clock }`). */
export type PostPurchaseRuntime = Pick<TaskHelpers, "database" | "queue" | "clock">;

async function verify(request: OfferRequest, now: Date): Promise<PurchaseToken> {
  return verifyPurchaseToken(
    request.token,
    { shop: request.shop, referenceId: request.referenceId },
    { secret: env().SHOPIFY_API_SECRET, now },
  );
}

function discountTitle(
  discount: { valueType: "percentage" | "fixed_amount"; value: number },
  currency: string,
): string {
  return discount.valueType === "percentage"
    ? `${discount.value}% off`
    : `${discount.value.toFixed(2)} ${currency} off`;
}

function changesOf(offer: UpsellOffer): AddVariantChange<ShopifyId>[] {
  const discount = offerDiscount(offer);
  return [
    {
      type: "add_variant",
      variantId: offer.variantId,
      quantity: offer.quantity,
      ...(discount && discount.value > 0
        ? { discount: { ...discount, title: discountTitle(discount, offer.currency) } }
        : {}),
    },
  ];
}

/**
 * ShouldRender: verifies Shopify's token, stops at Shopify's limit of accepted offers, asks the
 * post-purchase-upsell recipe for an offer (live stock, caps, open-ticket suppression, fallback)
 * and records the offer as shown.
 */
export async function offerForPurchase(
  runtime: PostPurchaseRuntime,
  request: OfferRequest,
  now = runtime.clock.now(),
): Promise<PostPurchaseOfferResponse<ShopifyId>> {
  const token = await verify(request, now);
  const decision = await decidePurchaseOffer(runtime.database, {
    shop: token.shop,
    referenceId: token.referenceId,
    customerId: token.customerId,
    lineItems: token.lineItems,
    initialTotal: token.initialTotal?.amount ?? null,
    tokenCurrency: token.initialTotal?.currency ?? null,
    shippingCountry: token.shippingCountry,
    locale: token.locale,
    pageOpenedAt: token.issuedAt,
    now,
  });
  if (!decision.offer) {
    // A concurrent call for this step made the offer while this one read: its shown offer
    // counts against the cap and excludes its variant, so this decision found nothing. One
    // decision per step, so that offer is the answer (looked up only in that case).
    const pending = decision.unansweredShown
      ? await unansweredOffer(runtime.database.db, token.shop, token.referenceId)
      : null;
    if (pending)
      return { reason: pending.reason, offer: describeOffer(pending, buyerRate(token), now) };
    if (decision.heldOut)
      await recordHoldout(
        runtime.database.db,
        {
          shop: token.shop,
          referenceId: token.referenceId,
          customerId: token.customerId,
          experimentKey: decision.heldOut.experimentKey,
          variantId: decision.heldOut.variantId,
          initialTotal: token.initialTotal?.amount ?? null,
          currency: decision.heldOut.currency,
        },
        now,
      );
    return { offer: null, reason: decision.reason };
  }
  const chosen = decision.offer;
  const row = await recordOfferShown(
    runtime.database,
    {
      shop: token.shop,
      referenceId: token.referenceId,
      customerId: token.customerId,
      recipe: decision.recipe,
      reason: chosen.reason,
      productId: chosen.productId,
      variantId: chosen.variantId,
      quantity: chosen.quantity,
      title: chosen.productTitle,
      price: chosen.price,
      currency: chosen.currency,
      discount: chosen.discount,
      initialTotal: token.initialTotal?.amount ?? null,
      experiment: chosen.experiment,
      ruleIndex: chosen.ruleIndex,
      step: chosen.step,
      display: {
        variantTitle: chosen.variantTitle,
        imageUrl: chosen.imageUrl,
        copy: chosen.copy,
        countdownMinutes: chosen.countdownMinutes,
      },
    },
    now,
  );
  // The purchase may already have had an unanswered offer (a concurrent call made it): that one
  // is the answer, described from its own row.
  return { reason: row.reason, offer: describeOffer(row, buyerRate(token), now) };
}

/**
 * The buyer's currency and this purchase's rate into it (its total in both currencies), when the
 * checkout is not in the shop's currency; null when it is, or the token does not say.
 */
export function buyerRate(token: PurchaseToken): { currency: string; rate: number } | null {
  const shop = token.initialTotal;
  const buyer = token.presentmentTotal;
  if (!shop || !buyer || buyer.currency === shop.currency) return null;
  const rate = Number(buyer.amount) / Number(shop.amount);
  return Number.isFinite(rate) && rate > 0 ? { currency: buyer.currency, rate } : null;
}

const converted = (amount: string | number, rate: number) =>
  (Math.round(Number(amount) * rate * 100) / 100).toFixed(2);

/**
 * The offer as the extension draws it, from its row: the same page however often it is asked
 * for, its countdown running on from when it was first shown.
 */
function describeOffer(
  row: UpsellOffer,
  buyer: { currency: string; rate: number } | null,
  now: Date,
): PostPurchaseOffer<ShopifyId> {
  const display = row.display;
  const discount = offerDiscount(row);
  const discountedPrice = offerRevenue(row.price, row.quantity, discount);
  return {
    id: row.id,
    productId: row.productId,
    variantId: row.variantId,
    quantity: row.quantity,
    productTitle: row.title,
    variantTitle: display?.variantTitle ?? null,
    imageUrl: display?.imageUrl ?? null,
    price: row.price,
    discountedPrice,
    currency: row.currency,
    presentment: buyer
      ? {
          currency: buyer.currency,
          price: converted(row.price, buyer.rate),
          discountedPrice: converted(discountedPrice, buyer.rate),
          discountAmount:
            discount?.valueType === "fixed_amount" && discount.value > 0
              ? converted(discount.value, buyer.rate)
              : null,
        }
      : null,
    discount:
      discount && discount.value > 0
        ? { ...discount, title: discountTitle(discount, row.currency) }
        : null,
    copy: display?.copy ?? null,
    countdownSeconds: display?.countdownMinutes
      ? Math.max(
          0,
          Math.round(
            (row.shownAt.getTime() + display.countdownMinutes * 60_000 - now.getTime()) / 1000,
          ),
        )
      : null,
    changes: changesOf(row),
  };
}

/**
 * Accept: signs the offer's changeset once (its jti is single-use) and records the acceptance
 * with the revenue it should add. Nothing is reported yet: the offer counts, and Klaviyo hears
 * of it, once Shopify's order shows the line (app/post-purchase/charges.server.ts).
 */
export async function signOfferChangeset(
  runtime: PostPurchaseRuntime,
  request: AnswerRequest,
  now = runtime.clock.now(),
): Promise<{ token: string; offer: UpsellOffer }> {
  const token = await verify(request, now);
  const offer = await acceptOffer(
    runtime.database.db,
    { shop: token.shop, referenceId: token.referenceId, offerId: request.offerId },
    now,
  );
  const config = env();
  const signed = await signChangeset({
    apiKey: config.SHOPIFY_API_KEY,
    secret: config.SHOPIFY_API_SECRET,
    jti: offer.changesetJti,
    referenceId: token.referenceId,
    changes: changesOf(offer),
    now,
  });
  return { token: signed, offer };
}

/** Decline: records it (once) and tells Klaviyo. */
export async function declinePurchaseOffer(
  runtime: PostPurchaseRuntime,
  request: AnswerRequest,
  now = runtime.clock.now(),
): Promise<{ declined: boolean }> {
  const token = await verify(request, now);
  const offer = await declineOffer(
    runtime.database.db,
    { shop: token.shop, referenceId: token.referenceId, offerId: request.offerId },
    now,
  );
  if (offer) await reportDecline(runtime, offer);
  return { declined: offer !== null };
}

async function reportDecline(runtime: PostPurchaseRuntime, offer: UpsellOffer) {
  // The buyer's answer is recorded; a failure to queue the Klaviyo event must not undo it.
  try {
    await requestUpsellEvent(runtime, offer, "declined");
  } catch (error) {
    log.error(
      `[post-purchase] ${offer.shop}: could not request the Upsell declined event for offer ${offer.id}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
