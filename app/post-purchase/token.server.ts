import { createHmac, createSecretKey, type KeyObject } from "node:crypto";
import { errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { z } from "zod";
import type { AddVariantChange } from "../shared/extension-contracts";
import {
  jsonInteger,
  parseJsonLosslessly,
  parseShopifyId,
  type ShopifyId,
} from "../utils/shopify-id";

/**
 * The two JWTs of a post-purchase offer (see docs/extensions.md):
 *
 * - Shopify's `inputData.token`: the extension's input, signed by Shopify with the app secret
 *   (HS256), `iss` "shopify", `sub` the initial purchase's referenceId, and the input itself under
 *   `input_data`. It has no `aud`/`dest`, so the library's session-token check refuses it; we
 *   verify it here and take the shop, customer and totals from its signed claims.
 * - Our changeset token for `applyChangeset`: HS256 with the same secret, `iss` the API key,
 *   a single-use `jti`, `sub` the referenceId, `iat` and the `changes`.
 */

export type PurchaseTokenFailure =
  "malformed" | "signature" | "issuer" | "expired" | "reference" | "shop";

export class PurchaseTokenError extends Error {
  constructor(
    public readonly failure: PurchaseTokenFailure,
    message: string,
  ) {
    super(message);
    this.name = "PurchaseTokenError";
  }
}

/** Buyers have up to an hour on the post-purchase page; a token older than this is refused. */
export const PURCHASE_TOKEN_MAX_AGE_SECONDS = 65 * 60;
/** Clock skew we forgive on `iat`, `exp` and `nbf`: Shopify's clock and ours may differ. */
const CLOCK_SKEW_SECONDS = 60;

const money = z.object({ amount: z.coerce.string(), currencyCode: z.string() }).partial();
const moneyBag = z
  .object({ shopMoney: money.optional(), presentmentMoney: money.optional() })
  .partial();
/** Shopify's input names ids as numbers or as gids; kept as their digits (a number only while exact). */
const id = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const parsed =
    typeof value === "number"
      ? Number.isSafeInteger(value)
        ? parseShopifyId(String(value))
        : null
      : parseShopifyId(value);
  if (parsed === null) {
    ctx.addIssue({ code: "custom", message: "not an id" });
    return z.NEVER;
  }
  return parsed;
});

/** The parts of the signed input we use; everything else in it is ignored. */
const inputDataSchema = z.looseObject({
  shop: z.looseObject({ domain: z.string().optional(), id: id.optional() }).optional(),
  initialPurchase: z
    .looseObject({
      referenceId: z.string().optional(),
      customerId: id.nullish(),
      destinationCountryCode: z.string().nullish(),
      totalPriceSet: moneyBag.optional(),
      lineItems: z
        .array(
          z.looseObject({
            quantity: z.number().optional(),
            product: z
              .looseObject({
                id: id.optional(),
                variant: z.looseObject({ id: id.optional() }).optional(),
              })
              .optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  locale: z.string().optional(),
});

export interface PurchaseToken {
  shop: string;
  referenceId: string;
  customerId: ShopifyId | null;
  issuedAt: Date;
  /** The initial purchase's total in the shop's currency, when the token carries it. */
  initialTotal: { amount: string; currency: string } | null;
  /** The same total in the buyer's currency (what the checkout charged them in). */
  presentmentTotal: { amount: string; currency: string } | null;
  /** Products and variants already bought (an upsell should not offer them again). */
  lineItems: { productId: ShopifyId | null; variantId: ShopifyId | null; quantity: number }[];
  /** Where the purchase ships (ISO country code), when it ships. */
  shippingCountry: string | null;
  locale: string | null;
}

/** The signing key for changesets, created once per secret. */
const keys = new Map<string, KeyObject>();
function hmacKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, "utf8"));
    keys.set(secret, key);
  }
  return key;
}

/**
 * The HMAC key jose verifies with, imported once per secret: importing costs more than the
 * check itself and this runs on every post-purchase request.
 */
const verifyKeys = new Map<string, Promise<CryptoKey>>();
function verifyKey(secret: string): Promise<CryptoKey> {
  let key = verifyKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );
    verifyKeys.set(secret, key);
  }
  return key;
}

/** jose's refusal as our failure: the caller answers each differently. */
function failureOf(error: unknown): PurchaseTokenError {
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return new PurchaseTokenError("signature", "the token is not signed with this app's secret");
  if (error instanceof joseErrors.JWTExpired)
    return new PurchaseTokenError("expired", "the token has expired");
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === "iss")
      return new PurchaseTokenError(
        "issuer",
        'the token was not issued by Shopify (iss must be "shopify")',
      );
    if (error.claim === "sub")
      return new PurchaseTokenError("reference", "the token was issued for another purchase");
    if (error.claim === "nbf")
      return new PurchaseTokenError("malformed", "the token is not valid yet");
  }
  // Any other algorithm (HS512, "none"), a broken token, a non-numeric exp/iat/nbf.
  return new PurchaseTokenError("malformed", "the token is not a valid HS256 JWT");
}

/**
 * The verified payload parsed again without rounding: jose's JSON.parse would round an id past
 * 2^53, and the ids in `input_data` are read as their exact digits. The bytes are the ones jose
 * just verified.
 */
function losslessPayload(token: string): Record<string, unknown> {
  const payload = parseJsonLosslessly(
    Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"),
  );
  if (typeof payload !== "object" || payload === null || Array.isArray(payload))
    throw new PurchaseTokenError("malformed", "the token is not a valid HS256 JWT");
  return payload as Record<string, unknown>;
}

/** `iat` as a Date. Shopify's samples use milliseconds, RFC 7519 seconds: both are accepted. */
function issuedAt(iat: unknown): Date | null {
  if (typeof iat !== "number" || !Number.isFinite(iat)) return null;
  return new Date(iat > 1e11 ? iat : iat * 1000);
}

/**
 * Verifies Shopify's post-purchase token for `expected.shop` and `expected.referenceId`: HS256
 * under the app secret, `iss` "shopify", `sub` the reference id, not older than an hour (and
 * not expired, when it carries `exp`), issued for this shop. Throws PurchaseTokenError.
 */
export async function verifyPurchaseToken(
  token: string,
  expected: { shop: string; referenceId: string },
  options: { secret: string; now: Date; maxAgeSeconds?: number },
): Promise<PurchaseToken> {
  const now = options.now;
  let claims: JWTPayload;
  try {
    // HS256 only; iss and sub checked by jose; exp and nbf with a minute's skew against our
    // clock. `iat` is left to us (no maxTokenAge): Shopify's samples put it in milliseconds,
    // which jose would read as seconds far in the future.
    ({ payload: claims } = await jwtVerify(token, await verifyKey(options.secret), {
      algorithms: ["HS256"],
      issuer: "shopify",
      subject: expected.referenceId,
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: now,
    }));
  } catch (error) {
    throw failureOf(error);
  }
  const payload = losslessPayload(token);
  const iat = issuedAt(claims.iat);
  if (!iat) throw new PurchaseTokenError("malformed", "the token has no iat");
  const ageSeconds = (now.getTime() - iat.getTime()) / 1000;
  if (ageSeconds < -CLOCK_SKEW_SECONDS)
    throw new PurchaseTokenError("malformed", "the token was issued in the future");
  if (ageSeconds > (options.maxAgeSeconds ?? PURCHASE_TOKEN_MAX_AGE_SECONDS))
    throw new PurchaseTokenError("expired", "the token has expired");

  const parsed = inputDataSchema.safeParse(payload.input_data ?? payload.inputData ?? {});
  if (!parsed.success)
    throw new PurchaseTokenError("malformed", "the token's input data is not what Shopify sends");
  const input = parsed.data;
  const tokenShop = input.shop?.domain?.trim().toLowerCase();
  if (!tokenShop || tokenShop !== expected.shop.trim().toLowerCase()) {
    throw new PurchaseTokenError("shop", "the token was issued for another shop");
  }
  const purchase = input.initialPurchase;
  if (purchase?.referenceId !== undefined && purchase.referenceId !== expected.referenceId) {
    throw new PurchaseTokenError("reference", "the token was issued for another purchase");
  }
  const shopMoney = purchase?.totalPriceSet?.shopMoney;
  const presentmentMoney = purchase?.totalPriceSet?.presentmentMoney;
  return {
    shop: tokenShop,
    referenceId: expected.referenceId,
    customerId: purchase?.customerId ?? null,
    issuedAt: iat,
    initialTotal:
      shopMoney?.amount && shopMoney.currencyCode
        ? { amount: shopMoney.amount, currency: shopMoney.currencyCode }
        : null,
    presentmentTotal:
      presentmentMoney?.amount && presentmentMoney.currencyCode
        ? { amount: presentmentMoney.amount, currency: presentmentMoney.currencyCode }
        : null,
    lineItems: (purchase?.lineItems ?? []).map((item) => ({
      productId: item.product?.id ?? null,
      variantId: item.product?.variant?.id ?? null,
      quantity: item.quantity ?? 1,
    })),
    shippingCountry: purchase?.destinationCountryCode?.trim().toUpperCase() || null,
    locale: input.locale ?? null,
  };
}

/**
 * Signs a changeset for `applyChangeset`: HS256 with the app secret; `iss` the API key, `jti`
 * (single use: the caller records it first), `sub` the referenceId, `iat` in milliseconds as in
 * Shopify's own post-purchase sample, and `changes`.
 */
export async function signChangeset(input: {
  apiKey: string;
  secret: string;
  jti: string;
  referenceId: string;
  changes: AddVariantChange<ShopifyId>[];
  now: Date;
}): Promise<string> {
  // Shopify reads variantId as an integer: written with its exact digits (JSON.rawJSON), not as a
  // string or a rounded number. Signed here rather than with jose, which structuredClones the
  // claims and cannot copy a raw JSON value.
  const changes = input.changes.map((change) => ({
    ...change,
    variantId: jsonInteger(change.variantId),
  }));
  const header = { alg: "HS256", typ: "JWT" };
  const claims = {
    changes,
    iat: input.now.getTime(),
    iss: input.apiKey,
    jti: input.jti,
    sub: input.referenceId,
  };
  const signingInput = `${toBase64url(JSON.stringify(header))}.${toBase64url(JSON.stringify(claims))}`;
  return `${signingInput}.${createHmac("sha256", hmacKey(input.secret)).update(signingInput).digest("base64url")}`;
}

const toBase64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");
