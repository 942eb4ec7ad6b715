/**
 * CORS for the endpoints extensions call from Shopify's pages. Browsers send an OPTIONS
 * preflight first, without credentials, so preflights are answered here before any auth runs.
 *
 * - Admin UI extensions run on `https://extensions.shopifycdn.com` and authenticate with a
 *   Bearer ID token: only that origin is allowed.
 * - The post-purchase extension runs in a sandboxed worker of the checkout, whose origin is not
 *   a stable host (`null` in sandboxed workers): any origin is allowed. Those endpoints carry
 *   no cookies; their authority is the Shopify-signed token in the body.
 */

export const ADMIN_EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";

export interface CorsPolicy {
  /** Allowed origins, or "*" for any. */
  origins: readonly string[] | "*";
  methods: readonly string[];
}

export const ADMIN_EXTENSION_CORS: CorsPolicy = {
  origins: [ADMIN_EXTENSION_ORIGIN],
  methods: ["GET", "POST", "OPTIONS"],
};
export const CHECKOUT_CORS: CorsPolicy = { origins: "*", methods: ["POST", "OPTIONS"] };

function allowedOrigin(request: Request, policy: CorsPolicy): string | null {
  if (policy.origins === "*") return "*";
  const origin = request.headers.get("Origin");
  return origin && policy.origins.includes(origin) ? origin : null;
}

/** The CORS headers for this request under `policy` (none when its origin is not allowed). */
export function corsHeaders(request: Request, policy: CorsPolicy): Headers {
  const headers = new Headers();
  const origin = allowedOrigin(request, policy);
  if (policy.origins !== "*") headers.set("Vary", "Origin");
  if (!origin) return headers;
  headers.set("Access-Control-Allow-Origin", origin);
  headers.set("Access-Control-Allow-Methods", policy.methods.join(", "));
  headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
  // Shopify's auth asks an extension to re-authorize through this header.
  headers.set("Access-Control-Expose-Headers", "X-Shopify-API-Request-Failure-Reauthorize-Url");
  return headers;
}

/** Adds the CORS headers to a response (also to Responses thrown by Shopify's auth). */
export function withCors<T extends Response>(request: Request, response: T, policy: CorsPolicy): T {
  corsHeaders(request, policy).forEach((value, name) => response.headers.set(name, value));
  return response;
}

/** 204 with the CORS headers for an OPTIONS preflight; null for any other method. */
export function preflight(request: Request, policy: CorsPolicy): Response | null {
  if (request.method !== "OPTIONS") return null;
  const headers = corsHeaders(request, policy);
  headers.set("Access-Control-Max-Age", "7200");
  return new Response(null, { status: 204, headers });
}

/** A JSON response with the CORS headers. */
export function corsJson(
  request: Request,
  policy: CorsPolicy,
  body: unknown,
  init: ResponseInit = {},
): Response {
  const headers = corsHeaders(request, policy);
  new Headers(init.headers).forEach((value, name) => headers.set(name, value));
  headers.set("Content-Type", "application/json; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { ...init, headers });
}
