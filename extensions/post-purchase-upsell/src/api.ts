import type { PostPurchaseShouldRenderApi } from "@shopify/post-purchase-ui-extensions-react";
import type {
  PostPurchaseOffer,
  PostPurchaseOfferResponse,
} from "../../../app/shared/extension-contracts";

export type InputData = PostPurchaseShouldRenderApi["inputData"];

/** An offer as the app's /api/post-purchase/offer returns it: ids arrive as JSON integers. */
export type Offer = PostPurchaseOffer<number>;

export interface OfferClient {
  /** The offer for this purchase, or null when there is none. */
  fetchOffer(input: InputData): Promise<Offer | null>;
  /** Asks the app to sign the offer's changeset (once); returns the token for applyChangeset. */
  signChangeset(input: InputData, offerId: string): Promise<string>;
  decline(input: InputData, offerId: string): Promise<void>;
}

export class OfferRequestError extends Error {
  constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "OfferRequestError";
  }
}

/**
 * The app's post-purchase endpoints. Every call carries Shopify's signed `inputData.token`, the
 * shop domain and the purchase's reference id; the app verifies the token itself.
 */
export function createOfferClient(options: { appUrl: string; fetch?: typeof fetch }): OfferClient {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const base = options.appUrl.replace(/\/+$/, "");
  async function post<T>(
    path: string,
    input: InputData,
    extra: Record<string, unknown> = {},
  ): Promise<T> {
    const response = await doFetch(`${base}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        token: input.token,
        shop: input.shop.domain,
        referenceId: input.initialPurchase.referenceId,
        ...extra,
      }),
    });
    const body = (await response.json().catch(() => ({}))) as T & { error?: string };
    if (!response.ok)
      throw new OfferRequestError(response.status, body.error ?? `HTTP ${response.status}`);
    return body;
  }
  return {
    async fetchOffer(input) {
      return (await post<PostPurchaseOfferResponse<number>>("/api/post-purchase/offer", input))
        .offer;
    },
    async signChangeset(input, offerId) {
      return (
        await post<{ token: string }>("/api/post-purchase/sign-changeset", input, { offerId })
      ).token;
    },
    async decline(input, offerId) {
      await post("/api/post-purchase/decline", input, { offerId });
    },
  };
}

/** The app URL built into the bundle from SWITCHBOARD_APP_URL (the Shopify CLI defines env vars). */
export function buildTimeAppUrl(): string {
  try {
    return process.env.SWITCHBOARD_APP_URL ?? "";
  } catch {
    // Not defined at build time: `process` does not exist in the checkout's worker.
    return "";
  }
}
