import { z } from "zod";

/**
 * A Shopify resource id (order, customer, variant, …): a 64-bit integer that can exceed 2^53,
 * so it is kept as its decimal digits from the raw body to the database and out to the vendors
 * (docs/decisions/012-shopify-ids-as-strings.md). Compare ids as strings; never do arithmetic.
 */
export type ShopifyId = string;

const MAX_ID = 2n ** 63n - 1n;
const DIGITS = /^[1-9]\d{0,18}$/;

/** True for the decimal text of a positive 64-bit id. */
export function isShopifyId(value: unknown): boolean {
  return typeof value === "string" && DIGITS.test(value) && BigInt(value) <= MAX_ID;
}

/**
 * A positive id up to 2^63 − 1, as its decimal text. A JSON number is taken only while it is
 * exact (a safe integer): a larger one has already been rounded by whoever parsed it.
 */
export const shopifyIdSchema = z
  .union([
    z.string(),
    z
      .number()
      .int()
      .refine(Number.isSafeInteger, "is above 2^53 and was rounded when parsed; send it as text")
      .transform((value) => String(value)),
  ])
  .refine(isShopifyId, "must be a positive 64-bit integer id");

/**
 * JSON.parse that keeps every integer beyond 2^53 exact, as its source digits; everything else
 * parses as JSON.parse would. For bodies that carry Shopify ids. Such integers are quoted in the
 * text first, in one native regex pass that steps over strings whole (a reviver with Node 22's
 * `context.source` does the same but calls back for every value: ~6× a plain parse, which on
 * big payloads starved the webhook acks sharing the event loop).
 */
export function parseJsonLosslessly(text: string): unknown {
  if (!MAYBE_LARGE_INTEGER.test(text)) return JSON.parse(text);
  return JSON.parse(text.replace(STRING_OR_LONG_INTEGER, quoteUnsafeInteger));
}

const MAYBE_LARGE_INTEGER = /\d{16}/;
/** A whole JSON string, or an integer literal of 16+ digits (not part of a fraction or exponent). */
const STRING_OR_LONG_INTEGER = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;

function quoteUnsafeInteger(token: string): string {
  if (token.startsWith('"') || Number.isSafeInteger(Number(token))) return token;
  return `"${token}"`;
}

/** The Admin GraphQL id of a REST resource: gid://shopify/Order/4500000000001. */
export function shopifyGid(type: string, id: ShopifyId): string {
  return `gid://shopify/${type}/${id}`;
}

/**
 * The id in `gid://shopify/<type>/<id>` (query string dropped) or in plain digits, as pasted
 * into a form or sent by an extension; null when it is neither (or names another type).
 */
export function parseShopifyId(value: string, type?: string): ShopifyId | null {
  const text = value.trim();
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/([^?/]+)(?:\?.*)?$/.exec(text);
  if (match && type !== undefined && match[1] !== type) return null;
  const digits = match ? match[2]! : text;
  return isShopifyId(digits) ? digits : null;
}

/**
 * An id as raw SQL hands it over: int8 as text (node-postgres) or BigInt (PGlite), or inside
 * json as a number (up to 2^53) or its digits (beyond, see parseJsonLosslessly). For a column
 * that may be null, use idTextOrNull.
 */
export function idText(value: unknown): ShopifyId {
  return String(value);
}

/** idText for a nullable column: null (or absent) stays null. */
export function idTextOrNull(value: unknown): ShopifyId | null {
  if (value === null || value === undefined) return null;
  return String(value);
}

/** Numeric order of two ids without arithmetic (shorter digits first, then by digit). */
export function compareIds(a: ShopifyId, b: ShopifyId): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * An id written into JSON as a bare integer with its exact digits (JSON.rawJSON, Node 22), for
 * the APIs that type ids as numbers: Shopify's changesets and its checkout extension API.
 */
export function jsonInteger(id: ShopifyId): unknown {
  if (!isShopifyId(id)) throw new TypeError(`not a Shopify id: ${id}`);
  return (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(id);
}
