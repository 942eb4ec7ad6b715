import { and, eq } from "drizzle-orm";
import { customers, type UpsellOffer } from "../../db/schema/index";
import { requestDelivery } from "../integrations/delivery/request.server";
import type { TaskHelpers } from "../jobs/define-task";
import { getIntegration } from "../models/integrations.server";
import { offerDiscount } from "./offers.server";

export const UPSELL_RECIPE_ID = "post-purchase-upsell";

export const UPSELL_METRICS = { accepted: "Upsell Accepted", declined: "Upsell Declined" } as const;

/** Where delivery requests go: a Runtime's database and queue (or a task's helpers). */
export type DeliveryRuntime = Pick<TaskHelpers, "database" | "queue">;

export type UpsellEventResult =
  | { status: "requested"; key: string }
  | { status: "skipped"; reason: "klaviyo-not-connected" | "no-customer-profile" };

/**
 * Sends Klaviyo "Upsell Accepted" / "Upsell Declined" for an answered offer, through the
 * delivery API (a `deliveries` row and an idempotent job; the Klaviyo event's unique id is
 * derived from the offer, so a repeated answer never fires a flow twice). Skipped when the shop
 * has not connected Klaviyo, or when we know no email or phone for the buyer.
 */
export async function requestUpsellEvent(
  target: DeliveryRuntime,
  offer: UpsellOffer,
  outcome: "accepted" | "declined",
): Promise<UpsellEventResult> {
  const db = target.database.db;
  const integration = await getIntegration(db, offer.shop, "klaviyo");
  if (!integration) return { status: "skipped", reason: "klaviyo-not-connected" };
  const [customer] = offer.customerId
    ? await db
        .select({
          email: customers.email,
          phone: customers.phone,
          firstName: customers.firstName,
          lastName: customers.lastName,
        })
        .from(customers)
        .where(and(eq(customers.shop, offer.shop), eq(customers.id, offer.customerId)))
    : [];
  const phone =
    customer?.phone && /^\+[1-9]\d{6,14}$/.test(customer.phone) ? customer.phone : undefined;
  if (!customer?.email && !phone) return { status: "skipped", reason: "no-customer-profile" };
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
      ...(outcome === "accepted" ? { RevenueAdded: Number(offer.revenue ?? 0) } : {}),
    },
    ...(outcome === "accepted"
      ? { value: Number(offer.revenue ?? 0), valueCurrency: offer.currency }
      : {}),
    time: (offer.respondedAt ?? offer.shownAt).toISOString(),
  });
  return { status: "requested", key };
}
