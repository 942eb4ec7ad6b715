import type {
  ProductOfferSaveInput,
  ProductOfferSaveResult,
  ProductOfferSettings,
} from "../../../app/shared/extension-contracts";

/** The app's /api/extensions/product-upsell (app/post-purchase/product-settings.server.ts). */
const ENDPOINT = "/api/extensions/product-upsell";

async function json<T>(response: Response): Promise<T> {
  return (await response.json().catch(() => ({}))) as T;
}

/** Relative URLs go to the app; the admin adds the ID token (Authorization: Bearer …) itself. */
export async function loadSettings(productGid: string): Promise<ProductOfferSettings> {
  const response = await fetch(`${ENDPOINT}?productId=${encodeURIComponent(productGid)}`);
  const body = await json<ProductOfferSettings & { error?: string }>(response);
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}

async function post(body: unknown): Promise<ProductOfferSaveResult> {
  const response = await fetch(ENDPOINT, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await json<Partial<ProductOfferSaveResult> & { error?: string }>(response);
  if (response.ok && answer.ok) return answer as ProductOfferSaveResult;
  if (answer.ok === false && answer.errors) return { ok: false, errors: answer.errors };
  return { ok: false, errors: { form: answer.error ?? `HTTP ${response.status}` } };
}

export const saveOffer = (input: ProductOfferSaveInput) => post({ intent: "save", ...input });
export const removeOffer = (productId: string) => post({ intent: "remove", productId });

/** gid://shopify/ProductVariant/123 → "123". */
export const numericId = (gid: string) => gid.split("/").pop() ?? "";
export const variantGid = (id: string) => `gid://shopify/ProductVariant/${id}`;

/** Admin GraphQL (run by the admin for the extension): display names of variants. */
export const VARIANT_NAMES_QUERY = `#graphql
  query SwitchboardVariantNames($ids: [ID!]!) {
    nodes(ids: $ids) { ... on ProductVariant { id displayName } }
  }`;
