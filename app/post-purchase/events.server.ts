import type { UpsellOffer } from "../../db/schema/index";
import { requestDelivery, type DeliveryTarget } from "../integrations/delivery/request.server";
import type { TaskHelpers } from "../jobs/define-task";
import { offerDiscount } from "./offers.server";

export const UPSELL_RECIPE_ID = "post-purchase-upsell";

export const UPSELL_METRICS = { accepted: "Upsell Accepted", declined: "Upsell Declined" } as const;

/** Where delivery requests go: a Runtime's database and queue (or a task's helpers). */
export type DeliveryRuntime = Pick<TaskHelpers, "database" | "queue">;

export type UpsellEventResult =
  | { status: "requested"; key: string }
  | { status: "skipped"; reason: "klaviyo-not-connected" | "no-customer-profile" };

/**
 * Sends Klaviyo "Upsell Accepted" for a charged offer (Shopify's order shows the line:
 * app/post-purchase/charges.server.ts) or "Upsell Declined" for a declined one, through the
 * delivery API (a `deliveries` row and an idempotent job; the Klaviyo event's unique id is
 * derived from the offer, so a repeated webhook or answer never fires a flow twice). Skipped when
 * the shop has not connected Klaviyo, or when we know no email or phone for the buyer. Inside a
 * transaction (`{ executeSql, queue }`) the request commits with it.
 */
export async function requestUpsellEvent(
  target: DeliveryTarget,
  offer: UpsellOffer,
  outcome: "accepted" | "declined",
): Promise<UpsellEventResult> {
  const executeSql = target.executeSql ?? target.database!.executeSql;
  const { rows } = await executeSql(
    `select exists(select 1 from integrations where shop = $1 and vendor = 'klaviyo') as connected,
            c.email, c.phone, c.first_name, c.last_name
       from (select 1) one left join customers c on c.shop = $1 and c.id = $2::bigint`,
    [offer.shop, offer.customerId],
  );
  const row = rows[0] ?? {};
  if (!row.connected) return { status: "skipped", reason: "klaviyo-not-connected" };
  const customer = offer.customerId
    ? {
        email: (row.email as string | null) ?? null,
        phone: (row.phone as string | null) ?? null,
        firstName: (row.first_name as string | null) ?? null,
        lastName: (row.last_name as string | null) ?? null,
      }
    : undefined;
  const phone =
    customer?.phone && /^\+[1-9]\d{6,14}$/.test(customer.phone) ? customer.phone : undefined;
  if (!customer || (!customer.email && !phone))
    return { status: "skipped", reason: "no-customer-profile" };
  const discount = offerDiscount(offer);
  const { key } = await requestDelivery(target, {
    kind: "klaviyo-event",
    shop: offer.shop,
    recipe: UPSELL_RECIPE_ID,
    source: `upsell-offer/${offer.id}`,
    metric: UPSELL_METRICS[outcome],
    profile: {
      email: customer.email ?? undefined,
      phoneNumber: phone,
      firstName: customer.firstName,
      lastName: customer.lastName,
    },
    properties: {
      OfferId: offer.id,
      ProductId: offer.productId,
      VariantId: offer.variantId,
      ProductName: offer.title,
      Quantity: offer.quantity,
      Price: Number(offer.price),
      DiscountType: discount?.valueType ?? null,
      DiscountValue: discount?.value ?? null,
      // The A/B test version the buyer saw, so Klaviyo flows and reports can split by it.
      ...(offer.arm ? { TestVersion: offer.arm } : {}),
      // Where in its rule's funnel: the offer, the next step after an accept, or the downsell.
      FunnelStep: offer.step,
      ...(outcome === "accepted"
        ? { RevenueAdded: Number(offer.chargedRevenue ?? 0), OrderId: offer.orderId }
        : {}),
    },
    ...(outcome === "accepted"
      ? { value: Number(offer.chargedRevenue ?? 0), valueCurrency: offer.currency }
      : {}),
    time: (
      (outcome === "accepted" ? offer.chargedAt : null) ??
      offer.respondedAt ??
      offer.shownAt
    ).toISOString(),
  });
  return { status: "requested", key };
}
