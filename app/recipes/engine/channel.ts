import type { ShopifyId } from "../../utils/shopify-id";

/**
 * How an action reaches a person, which decides the guards it passes through:
 * - `marketing`: a message the customer will notice (review request, replenishment, back in
 *   stock). Frequency-capped across recipes; suppressed while a ticket or refund is open.
 * - `upsell`: an offer. Capped on its own window; suppressed like marketing.
 * - `service`: help the customer is owed (delay outreach, white-glove follow-up). Never capped.
 * - `sync`: data for the merchant's tools (lists, profile properties, tags). Never capped.
 */
export const CHANNELS = ["marketing", "upsell", "service", "sync"] as const;
export type Channel = (typeof CHANNELS)[number];

/** Who an action touches: what the guards (caps, suppression) look at. */
export interface CustomerRef {
  id?: ShopifyId | null;
  email?: string | null;
}
