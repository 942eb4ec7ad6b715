/** The app's /api/extensions/product-upsell answers (app/post-purchase/product-settings.server.ts). */
export interface ProductOfferSettings {
  productId: number;
  recipeEnabled: boolean;
  offer: { offerVariantId: number; fallbackVariantId: number | null; discount: { type: "percentage" | "fixed_amount"; value: number } } | null;
  minimumStock: number;
  otherRules: string[];
}

export type FieldName = "offerVariantId" | "fallbackVariantId" | "discount.type" | "discount.value" | "minimumStock" | "form";
export type FieldErrors = Partial<Record<FieldName, string>>;

export interface SaveInput {
  productId: string;
  offerVariantId: number | null;
  fallbackVariantId: number | null;
  discount: { type: "percentage" | "fixed_amount"; value: number | null };
  minimumStock: number | null;
}

export type SaveAnswer = { ok: true; settings: ProductOfferSettings } | { ok: false; errors: FieldErrors };

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

async function post(body: unknown): Promise<SaveAnswer> {
  const response = await fetch(ENDPOINT, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const answer = await json<Partial<SaveAnswer> & { error?: string }>(response);
  if (response.ok && answer.ok) return answer as SaveAnswer;
  if (answer.ok === false && answer.errors) return { ok: false, errors: answer.errors };
  return { ok: false, errors: { form: answer.error ?? `HTTP ${response.status}` } };
}

export const saveOffer = (input: SaveInput) => post({ intent: "save", ...input });
export const removeOffer = (productId: string) => post({ intent: "remove", productId });

/** gid://shopify/ProductVariant/123 → 123. */
export const numericId = (gid: string) => Number(gid.split("/").pop());
export const variantGid = (id: number) => `gid://shopify/ProductVariant/${id}`;

/** Admin GraphQL (run by the admin for the extension): display names of variants. */
export const VARIANT_NAMES_QUERY = `#graphql
  query SwitchboardVariantNames($ids: [ID!]!) {
    nodes(ids: $ids) { ... on ProductVariant { id displayName } }
  }`;
