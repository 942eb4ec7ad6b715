import type {
  PostPurchaseShouldRenderApi,
  PostPurchaseShouldRenderResult,
} from "@shopify/post-purchase-ui-extensions-react";
import type { Offer, OfferClient } from "./api";

/** What ShouldRender leaves in storage for Render. */
export interface StoredOffer {
  offer: Offer;
}

export function storedOffer(initialData: unknown): Offer | null {
  const offer = (initialData as Partial<StoredOffer> | null | undefined)?.offer;
  return offer && typeof offer.id === "string" && Array.isArray(offer.changes) ? offer : null;
}

/**
 * Checkout::PostPurchase::ShouldRender: asks the app for an offer and renders the page only when
 * there is one (kept in storage for Render). Any failure means no page: the buyer goes straight
 * to the thank-you page.
 */
export function createShouldRender(client: OfferClient) {
  return async ({
    inputData,
    storage,
  }: PostPurchaseShouldRenderApi): Promise<Awaited<PostPurchaseShouldRenderResult>> => {
    try {
      const offer = await client.fetchOffer(inputData);
      if (!offer) return { render: false };
      const data: StoredOffer = { offer };
      await storage.update(data);
      return { render: true };
    } catch {
      return { render: false };
    }
  };
}
