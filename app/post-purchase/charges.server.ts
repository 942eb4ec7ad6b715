import type { UpsellOffer } from "../../db/schema/index";
import { requestUpsellFees } from "../billing/usage.server";
import type { ExecuteSql } from "../db.server";
import type { Enqueuer } from "../jobs/contracts";
import { log } from "../utils/log.server";
import type { OrderPayload } from "../webhooks/payloads";
import { requestUpsellEvent } from "./events.server";

/**
 * Signing a changeset is not a sale: Shopify may still refuse or fail to apply it. An accepted
 * offer becomes *charged* when an order webhook (orders/create, orders/paid, orders/updated,
 * orders/fulfilled — the post-purchase changeset's order edit arrives as orders/updated) shows
 * the added line: then it records the order, `charged_at` and `charged_revenue` (what the order
 * line says, in the shop's currency) and requests the Klaviyo "Upsell Accepted" event. Only
 * charged revenue is reported.
 *
 * Which order is the purchase's: the order whose `checkout_token` is the offer's `reference_id`,
 * or, when the order does not carry it, the same customer's order created within
 * PURCHASE_MATCH_WINDOW_MS of the offer being shown; and it must have a line with the offered
 * variant and at least the offered quantity. The update only takes offers still uncharged, so a
 * repeated or concurrent webhook charges (and sends the event) once.
 */

/**
 * An acceptance Shopify has not confirmed this long after the buyer accepted (by the injected
 * clock) is reported as "accepted, not charged by Shopify". Shopify applies a changeset within
 * seconds and retries an undelivered webhook for hours; a day leaves room for both. A
 * confirmation arriving later still charges the offer.
 */
export const CHARGE_CONFIRMATION_WINDOW_MS = 24 * 3_600_000;

/** A buyer has an hour on the post-purchase page; the order is created around that page. */
const PURCHASE_MATCH_WINDOW_MS = 65 * 60_000;

const cents = (amount: string | null | undefined) =>
  amount === null || amount === undefined ? 0 : Math.round(Number(amount) * 100);

type OrderLine = Pick<
  OrderPayload["line_items"][number],
  "variant_id" | "quantity" | "price" | "price_set" | "discount_allocations"
>;

/** What an order must say to confirm a charge: from a webhook's order, or Shopify's order read after orders/edited. */
export interface OrderEvidence {
  id: OrderPayload["id"];
  checkout_token?: string | null;
  created_at: Date;
  customer?: { id: OrderPayload["id"] } | null;
  line_items: OrderLine[];
}

/** What `quantity` units of this order line cost the buyer, in the shop's currency, after its discounts. */
export function chargedLineRevenue(line: OrderLine, quantity: number): string {
  const unit = cents(line.price_set?.shop_money?.amount ?? line.price);
  const discounts = (line.discount_allocations ?? []).reduce(
    (sum, allocation) =>
      sum + cents(allocation.amount_set?.shop_money?.amount ?? allocation.amount),
    0,
  );
  const lineQuantity = Math.max(1, line.quantity);
  const share = Math.round((discounts * Math.min(quantity, lineQuantity)) / lineQuantity);
  return (Math.max(0, unit * quantity - share) / 100).toFixed(2);
}

interface Candidate {
  id: string;
  shop: string;
  variantId: string;
  quantity: number;
  orderIndex: number;
}

/**
 * Charges the accepted offers these orders confirm (inside the caller's transaction: the
 * Klaviyo event's delivery row and job commit with the charge). Returns the offers charged now.
 */
export async function confirmUpsellCharges(
  target: { executeSql: ExecuteSql; queue: Enqueuer },
  orders: { shop: string; order: OrderEvidence }[],
  now: Date,
): Promise<UpsellOffer[]> {
  const questions = orders
    .map(({ shop, order }, i) => ({
      i,
      shop,
      customer_id: order.customer?.id ?? null,
      checkout_token: order.checkout_token ?? null,
      created_at: order.created_at.toISOString(),
      variants: [...new Set(order.line_items.flatMap((l) => (l.variant_id ? [l.variant_id] : [])))],
    }))
    .filter((q) => q.variants.length > 0 && (q.customer_id !== null || q.checkout_token));
  if (questions.length === 0) return [];
  const { rows } = await target.executeSql(
    // Two index lookups (by checkout, by customer: the awaiting-charge partial index), not an OR
    // the planner could only answer by scanning the shop's offers.
    `with q as materialized (
       select * from jsonb_to_recordset($1::jsonb)
         as q(i int, shop text, customer_id bigint, checkout_token text, created_at timestamptz, variants jsonb)
     ),
     found as (
       select o.id, o.shop, o.variant_id, o.quantity, q.i, q.variants from q join upsell_offers o
           on o.shop = q.shop and o.reference_id = q.checkout_token
          and o.status = 'accepted' and o.charged_at is null
       union
       select o.id, o.shop, o.variant_id, o.quantity, q.i, q.variants from q join upsell_offers o
           on o.shop = q.shop and o.customer_id = q.customer_id
          and o.status = 'accepted' and o.charged_at is null
          and o.shown_at between q.created_at - $2::interval and q.created_at + $2::interval
     )
     select id, shop, variant_id::text as variant_id, quantity, i from found
      where variant_id = any(array(select jsonb_array_elements_text(variants)::bigint))`,
    [JSON.stringify(questions), `${PURCHASE_MATCH_WINDOW_MS / 1000} seconds`],
    { prepare: true },
  );
  const charges = new Map<string, { orderId: string; revenue: string }>();
  for (const row of rows as Record<string, unknown>[]) {
    const candidate: Candidate = {
      id: String(row.id),
      shop: String(row.shop),
      variantId: String(row.variant_id),
      quantity: Number(row.quantity),
      orderIndex: Number(row.i),
    };
    const { order } = orders[candidate.orderIndex]!;
    const line = order.line_items.find(
      (l) => l.variant_id === candidate.variantId && l.quantity >= candidate.quantity,
    );
    if (!line || charges.has(candidate.id)) continue;
    charges.set(candidate.id, {
      orderId: order.id,
      revenue: chargedLineRevenue(line, candidate.quantity),
    });
  }
  if (charges.size === 0) return [];
  const { rows: charged } = await target.executeSql(
    `update upsell_offers o
        set charged_at = $2, order_id = c.order_id, charged_revenue = c.revenue
       from jsonb_to_recordset($1::jsonb) as c(id uuid, order_id bigint, revenue numeric)
      where o.id = c.id and o.status = 'accepted' and o.charged_at is null
      returning o.*`,
    [
      JSON.stringify(
        [...charges].map(([id, c]) => ({ id, order_id: c.orderId, revenue: c.revenue })),
      ),
      now.toISOString(),
    ],
  );
  const offers = (charged as Record<string, unknown>[]).map(offerFromRow);
  for (const offer of offers) {
    log.info(
      `[post-purchase] ${offer.shop}: offer ${offer.id} charged on order ${offer.orderId} (${offer.chargedRevenue} ${offer.currency})`,
    );
    await requestUpsellEvent(target, offer, "accepted");
  }
  // The upsell fee is owed on charged revenue only, and recorded with the charge.
  await requestUpsellFees(target, offers, now);
  return offers;
}

const dateOrNull = (value: unknown) =>
  value === null || value === undefined ? null : new Date(value as string);
const textOrNull = (value: unknown) =>
  value === null || value === undefined ? null : String(value);

/** A raw `upsell_offers` row as the Drizzle row type. */
function offerFromRow(row: Record<string, unknown>): UpsellOffer {
  return {
    id: String(row.id),
    shop: String(row.shop),
    referenceId: String(row.reference_id),
    customerId: textOrNull(row.customer_id),
    recipe: String(row.recipe),
    reason: textOrNull(row.reason),
    productId: textOrNull(row.product_id),
    variantId: String(row.variant_id),
    quantity: Number(row.quantity),
    title: String(row.title),
    price: String(row.price),
    discountType: (row.discount_type as UpsellOffer["discountType"]) ?? null,
    discountValue: textOrNull(row.discount_value),
    currency: String(row.currency),
    initialTotal: textOrNull(row.initial_total),
    status: row.status as UpsellOffer["status"],
    revenue: textOrNull(row.revenue),
    orderId: textOrNull(row.order_id),
    chargedAt: dateOrNull(row.charged_at),
    chargedRevenue: textOrNull(row.charged_revenue),
    changesetJti: String(row.changeset_jti),
    shownAt: new Date(row.shown_at as string),
    respondedAt: dateOrNull(row.responded_at),
    experimentKey: textOrNull(row.experiment_key),
    arm: (row.arm as UpsellOffer["arm"]) ?? null,
    ruleIndex:
      row.rule_index === null || row.rule_index === undefined ? null : Number(row.rule_index),
    step: (row.step as UpsellOffer["step"]) ?? "offer",
    display: (row.display as UpsellOffer["display"]) ?? null,
  };
}
