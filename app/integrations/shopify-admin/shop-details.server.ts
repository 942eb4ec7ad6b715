import { GraphqlQueryError, HttpResponseError } from "@shopify/shopify-api";
import { z } from "zod";
import type { ShopDetails } from "../../models/shops.server";
import type { AdminData } from "./client.server";
import { SHOP_DETAILS_QUERY } from "./graphql/ShopDetailsQuery";

/** An Admin GraphQL call: afterAuth's `admin.graphql`, or `unauthenticated.admin(shop)`'s. */
export type AdminGraphql = (query: string) => Promise<Response>;

export type ShopDetailsLookup =
  | { ok: true; details: ShopDetails }
  /** `reason` names the failure without secrets; `retry` says whether asking again may help. */
  | { ok: false; reason: string; retry: boolean };

const responseSchema = z.object({
  data: z.object({
    shop: z.object({
      name: z.string().min(1),
      currencyCode: z.string().regex(/^[A-Z]{3}$/),
      ianaTimezone: z.string().min(1),
      plan: z.object({ displayName: z.string().min(1) }),
    }),
  }),
});

// Every answer the generated type allows has the zod schema's shape (tsc fails here otherwise);
// zod is stricter only in values (a three-letter currency, non-empty names).
true satisfies AdminData<typeof SHOP_DETAILS_QUERY> extends z.input<typeof responseSchema>["data"]
  ? true
  : false;

const codesOf = (errors: unknown) =>
  Array.isArray(errors)
    ? errors.map((e) => (e as { extensions?: { code?: unknown } }).extensions?.code)
    : [];

/** Asks Shopify for the shop's name, currency, time zone and plan; never throws. */
export async function lookUpShopDetails(graphql: AdminGraphql): Promise<ShopDetailsLookup> {
  let body: unknown;
  try {
    body = await (await graphql(SHOP_DETAILS_QUERY)).json();
  } catch (error) {
    if (error instanceof GraphqlQueryError) {
      const errors = (error.body as { errors?: { graphQLErrors?: unknown } } | undefined)?.errors
        ?.graphQLErrors;
      const throttled = codesOf(errors).includes("THROTTLED");
      return throttled
        ? { ok: false, reason: "Shopify throttled the shop lookup", retry: true }
        : { ok: false, reason: `Shopify rejected the shop lookup: ${error.message}`, retry: false };
    }
    if (error instanceof HttpResponseError) {
      const status = error.response.code;
      // 401/403: the token was revoked or lacks access; asking again with it cannot help.
      return {
        ok: false,
        reason: `Shopify answered the shop lookup with HTTP ${status}`,
        retry: status !== 401 && status !== 403,
      };
    }
    // A Response thrown by Shopify's library (its handling of an invalid token) or a network error.
    const reason =
      error instanceof Response
        ? `Shopify answered the shop lookup with HTTP ${error.status}`
        : `the shop lookup failed: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, reason, retry: true };
  }
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success)
    return { ok: false, reason: "Shopify's answer to the shop lookup lacked a field", retry: true };
  const { shop } = parsed.data.data;
  return {
    ok: true,
    details: {
      name: shop.name,
      currency: shop.currencyCode,
      ianaTimezone: shop.ianaTimezone,
      plan: shop.plan.displayName,
    },
  };
}
