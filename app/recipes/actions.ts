import type { z } from "zod";
import type {
  gorgiasNoteAction,
  gorgiasTagAction,
  gorgiasTicketAction,
  klaviyoEventAction,
  klaviyoListAddAction,
  klaviyoListRemoveAction,
  klaviyoProfileAction,
} from "../integrations/delivery/actions";
import type { ShopifyTagsAddInput } from "../integrations/shopify-admin/actions";
import type { Channel, CustomerRef, RecipeAction } from "./engine/define-recipe";

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
type Data<T extends z.ZodType> = Omit<z.input<T>, Filled>;

const build = (kind: string, requires: string | undefined, envelope: Envelope, data: object): RecipeAction => ({
  kind,
  ...envelope,
  ...(requires ? { requires } : {}),
  data: { kind, ...data },
});

export const klaviyoEvent = (envelope: Envelope, data: Data<typeof klaviyoEventAction>) => build("klaviyo-event", "klaviyo", envelope, data);
export const klaviyoProfile = (envelope: Envelope, data: Data<typeof klaviyoProfileAction>) => build("klaviyo-profile", "klaviyo", envelope, data);
export const klaviyoListAdd = (envelope: Envelope, data: Data<typeof klaviyoListAddAction>) => build("klaviyo-list-add", "klaviyo", envelope, data);
export const klaviyoListRemove = (envelope: Envelope, data: Data<typeof klaviyoListRemoveAction>) => build("klaviyo-list-remove", "klaviyo", envelope, data);
export const gorgiasTicket = (envelope: Envelope, data: Data<typeof gorgiasTicketAction>) => build("gorgias-ticket", "gorgias", envelope, data);
export const gorgiasTag = (envelope: Envelope, data: Data<typeof gorgiasTagAction>) => build("gorgias-tag", "gorgias", envelope, data);
export const gorgiasNote = (envelope: Envelope, data: Data<typeof gorgiasNoteAction>) => build("gorgias-note", "gorgias", envelope, data);
export const shopifyTagsAdd = (envelope: Envelope, data: Omit<ShopifyTagsAddInput, Filled>) => build("shopify-tags-add", undefined, envelope, data);

export interface OfferDecisionData {
  orderId: number;
  variantId: number;
  productId: number | null;
  discount: { type: "percentage" | "fixed_amount"; value: number };
  fallback: boolean;
  ruleIndex: number;
}

/** A post-purchase offer chosen for an order: recorded (and counted against the upsell cap), not delivered. */
export const offerDecision = (envelope: Envelope, data: OfferDecisionData) => build("offer", undefined, envelope, data);

/** Klaviyo/Gorgias profile fields from what the read model knows (no empty strings). */
export function profileOf(customer: { email?: string | null; phone?: string | null; firstName?: string | null; lastName?: string | null; id?: number | null }) {
  return {
    ...(customer.email ? { email: customer.email } : {}),
    ...(customer.phone && /^\+[1-9]\d{6,14}$/.test(customer.phone) ? { phoneNumber: customer.phone } : {}),
    ...(customer.id ? { externalId: String(customer.id) } : {}),
    ...(customer.firstName ? { firstName: customer.firstName } : {}),
    ...(customer.lastName ? { lastName: customer.lastName } : {}),
  };
}

export const fullName = (customer: { firstName?: string | null; lastName?: string | null }) => [customer.firstName, customer.lastName].filter(Boolean).join(" ") || undefined;
