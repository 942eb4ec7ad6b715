import type { z } from "zod";
import { getRuntime } from "../runtime.server";
import { CHECKOUT_CORS } from "../utils/cors.server";
import { log, withLogContext } from "../utils/log.server";
import { OfferAcceptError } from "./offers.server";
import {
  answerRequestSchema,
  declinePurchaseOffer,
  offerForPurchase,
  offerRequestSchema,
  signOfferChangeset,
  type PostPurchaseRuntime,
} from "./service.server";
import { PurchaseTokenError } from "./token.server";
import { isShopifyId, jsonInteger, parseJsonLosslessly } from "../utils/shopify-id";

const ACCEPT_STATUS = { "not-found": 404, replayed: 409, declined: 409, limit: 409 } as const;

/** What a post-purchase endpoint answers, independent of the HTTP server that carries it. */
export interface PostPurchaseAnswer {
  status: number;
  headers: Record<string, string>;
  /** JSON, or empty for a preflight. */
  body: string;
}

/** A request as the HTTP server received it. */
export interface PostPurchaseDelivery {
  method: string;
  /** The path, e.g. /api/post-purchase/offer. */
  path: string;
  rawBody: string;
}

interface Endpoint<S extends z.ZodType = z.ZodType> {
  schema: S;
  handle(runtime: PostPurchaseRuntime, body: z.output<S>): Promise<unknown>;
}

const endpoint = <S extends z.ZodType>(schema: S, handle: Endpoint<S>["handle"]): Endpoint =>
  ({ schema, handle }) as Endpoint;

/** The checkout's endpoints: offer → ShouldRender; sign-changeset → Accept; decline → Decline. */
export const POST_PURCHASE_ENDPOINTS: Record<string, Endpoint> = {
  "/api/post-purchase/offer": endpoint(offerRequestSchema, offerForPurchase),
  "/api/post-purchase/sign-changeset": endpoint(answerRequestSchema, async (runtime, body) => ({
    token: (await signOfferChangeset(runtime, body)).token,
  })),
  "/api/post-purchase/decline": endpoint(answerRequestSchema, declinePurchaseOffer),
};

// The checkout's CORS policy allows any origin (its sandboxed worker has none to name), so the
// headers are the same for every request.
const CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": CHECKOUT_CORS.methods.join(", "),
  "Access-Control-Allow-Headers": "Authorization, Content-Type",
  "Access-Control-Expose-Headers": "X-Shopify-API-Request-Failure-Reauthorize-Url",
};

function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): PostPurchaseAnswer {
  return {
    status,
    headers: {
      ...CORS_HEADERS,
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "no-store",
      ...headers,
    },
    body: JSON.stringify(body, idsAsIntegers),
  };
}

/** The extension's API types product and variant ids as numbers (as Shopify's checkout does): written as integers with their exact digits. */
function idsAsIntegers(key: string, value: unknown): unknown {
  return (key === "variantId" || key === "productId") &&
    typeof value === "string" &&
    isShopifyId(value)
    ? jsonInteger(value)
    : value;
}

/**
 * One post-purchase endpoint: answers the CORS preflight, takes a JSON POST, validates it with
 * the endpoint's schema, runs it with the process runtime, and maps failures to JSON errors:
 * 400 bad body, 401 bad token, 404/409 offer problems. Every answer carries the CORS headers.
 * The production server calls this straight off node:http (the buyer is waiting); the Remix
 * routes call it through postPurchaseEndpoint.
 */
export async function acceptPostPurchase(
  delivery: PostPurchaseDelivery,
): Promise<PostPurchaseAnswer> {
  const target = Object.hasOwn(POST_PURCHASE_ENDPOINTS, delivery.path)
    ? POST_PURCHASE_ENDPOINTS[delivery.path]
    : undefined;
  if (!target) return json(404, { error: "Not found." });
  if (delivery.method === "OPTIONS")
    return {
      status: 204,
      headers: { ...CORS_HEADERS, "Access-Control-Max-Age": "7200" },
      body: "",
    };
  if (delivery.method !== "POST")
    return json(405, { error: "Use POST." }, { Allow: "POST, OPTIONS" });
  let raw: unknown;
  try {
    raw = parseJsonLosslessly(delivery.rawBody);
  } catch {
    return json(400, { error: "The body must be JSON." });
  }
  const parsed = target.schema.safeParse(raw);
  if (!parsed.success) {
    return json(400, {
      error: "Invalid request.",
      issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    });
  }
  // Every line this request logs names the shop the checkout says it is for.
  const body: unknown = parsed.data;
  const shop =
    typeof body === "object" && body !== null && "shop" in body && typeof body.shop === "string"
      ? body.shop
      : undefined;
  return withLogContext({ shop }, () => answer(target, parsed.data, delivery.path));
}

async function answer(target: Endpoint, body: unknown, path: string): Promise<PostPurchaseAnswer> {
  try {
    const runtime = await getRuntime();
    return json(200, await target.handle(runtime, body));
  } catch (error) {
    if (error instanceof PurchaseTokenError)
      return json(401, { error: `Unauthorized: ${error.message}.`, failure: error.failure });
    if (error instanceof OfferAcceptError)
      return json(ACCEPT_STATUS[error.failure], { error: error.message, failure: error.failure });
    log.error({ err: error }, `[post-purchase] ${path} failed`);
    return json(500, { error: "Something went wrong; the offer was skipped." });
  }
}

/** A Remix route's loader/action for a post-purchase endpoint (the dev server, and any request the fast path does not take). */
export async function postPurchaseEndpoint(request: Request): Promise<Response> {
  const answer = await acceptPostPurchase({
    method: request.method,
    path: new URL(request.url).pathname,
    rawBody: request.method === "POST" ? await request.text() : "",
  });
  return new Response(answer.status === 204 ? null : answer.body, {
    status: answer.status,
    headers: answer.headers,
  });
}
