import {
  vendorOf,
  type DeliveryActionInputOf,
  type DeliveryKind,
} from "../integrations/delivery/actions";
import type { Channel, CustomerRef, RecipeAction } from "./engine/define-recipe";
import type { ShopifyId } from "../utils/shopify-id";

/**
 * Typed builders for the actions recipes return. Each wraps a vendor action (the shapes the
 * integrations and the Shopify delivery accept) in the engine's envelope: channel, source,
 * customer, summary. The engine fills in shop and recipe; app/recipes/dispatch.server.ts turns
 * them into deliveries.
 */

export interface Envelope {
  source: string;
  discriminator?: string;
  channel: Channel;
  customer?: CustomerRef;
  summary: string;
}

type Filled = "kind" | "shop" | "recipe" | "source" | "discriminator";
type Data<Kind extends DeliveryKind> = Omit<DeliveryActionInputOf<Kind>, Filled>;

const build = (
  kind: string,
  requires: string | undefined,
  envelope: Envelope,
  data: object,
): RecipeAction => ({
  kind,
  ...envelope,
  ...(requires ? { requires } : {}),
  data: { kind, ...data },
});

/**
 * Any delivery kind the integrations define, typed by its kind. Klaviyo and Gorgias actions
 * require that integration to be connected; Shopify ones only the app's own access.
 */
export function delivery<Kind extends DeliveryKind>(
  kind: Kind,
  envelope: Envelope,
  data: Data<Kind>,
): RecipeAction {
  const vendor = vendorOf(kind);
  return build(kind, vendor === "shopify" ? undefined : vendor, envelope, data);
}

export const klaviyoEvent = (envelope: Envelope, data: Data<"klaviyo-event">) =>
  delivery("klaviyo-event", envelope, data);
export const klaviyoProfile = (envelope: Envelope, data: Data<"klaviyo-profile">) =>
  delivery("klaviyo-profile", envelope, data);
export const klaviyoListAdd = (envelope: Envelope, data: Data<"klaviyo-list-add">) =>
  delivery("klaviyo-list-add", envelope, data);
export const klaviyoListRemove = (envelope: Envelope, data: Data<"klaviyo-list-remove">) =>
  delivery("klaviyo-list-remove", envelope, data);
export const gorgiasTicket = (envelope: Envelope, data: Data<"gorgias-ticket">) =>
  delivery("gorgias-ticket", envelope, data);
export const gorgiasTag = (envelope: Envelope, data: Data<"gorgias-tag">) =>
  delivery("gorgias-tag", envelope, data);
export const gorgiasNote = (envelope: Envelope, data: Data<"gorgias-note">) =>
  delivery("gorgias-note", envelope, data);
export const shopifyTagsAdd = (envelope: Envelope, data: Data<"shopify-tags-add">) =>
  delivery("shopify-tags-add", envelope, data);

export interface OfferDecisionData {
  orderId: ShopifyId;
  variantId: ShopifyId;
  productId: ShopifyId | null;
  discount: { type: "percentage" | "fixed_amount"; value: number };
  fallback: boolean;
  ruleIndex: number;
}

/** A post-purchase offer chosen for an order: recorded (and counted against the upsell cap), not delivered. */
export const offerDecision = (envelope: Envelope, data: OfferDecisionData) =>
  build("offer", undefined, envelope, data);

/** Klaviyo/Gorgias profile fields from what the read model knows (no empty strings). */
export function profileOf(customer: {
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  id?: ShopifyId | null;
}) {
  return {
    ...(customer.email ? { email: customer.email } : {}),
    ...(customer.phone && /^\+[1-9]\d{6,14}$/.test(customer.phone)
      ? { phoneNumber: customer.phone }
      : {}),
    ...(customer.id ? { externalId: customer.id } : {}),
    ...(customer.firstName ? { firstName: customer.firstName } : {}),
    ...(customer.lastName ? { lastName: customer.lastName } : {}),
  };
}

export const fullName = (customer: { firstName?: string | null; lastName?: string | null }) =>
  [customer.firstName, customer.lastName].filter(Boolean).join(" ") || undefined;
