import type { z } from "zod";
import { getRuntime } from "../runtime.server";
import { CHECKOUT_CORS, corsJson, preflight } from "../utils/cors.server";
import { log } from "../utils/log.server";
import { OfferAcceptError } from "./offers.server";
import type { PostPurchaseRuntime } from "./service.server";
import { PurchaseTokenError } from "./token.server";

const ACCEPT_STATUS = { "not-found": 404, replayed: 409, declined: 409, limit: 409 } as const;

/**
 * One post-purchase endpoint: answers the CORS preflight, takes a JSON POST, validates it with
 * `schema`, runs `handle` with the process runtime, and maps failures to JSON errors:
 * 400 bad body, 401 bad token, 404/409 offer problems. Every answer carries the CORS headers.
 */
export async function postPurchaseEndpoint<S extends z.ZodType>(
  request: Request,
  schema: S,
  handle: (runtime: PostPurchaseRuntime, body: z.output<S>) => Promise<unknown>,
): Promise<Response> {
  const early = preflight(request, CHECKOUT_CORS);
  if (early) return early;
  if (request.method !== "POST") return corsJson(request, CHECKOUT_CORS, { error: "Use POST." }, { status: 405, headers: { Allow: "POST, OPTIONS" } });
  let raw: unknown;
  try {
    raw = await request.json();
  } catch {
    return corsJson(request, CHECKOUT_CORS, { error: "The body must be JSON." }, { status: 400 });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return corsJson(request, CHECKOUT_CORS, { error: "Invalid request.", issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) }, { status: 400 });
  }
  try {
    const runtime = await getRuntime();
    const result = await handle({ database: runtime.database, enqueue: (task, payload) => runtime.queue.enqueue(task, payload) }, parsed.data);
    return corsJson(request, CHECKOUT_CORS, result);
  } catch (error) {
    if (error instanceof PurchaseTokenError) {
      return corsJson(request, CHECKOUT_CORS, { error: `Unauthorized: ${error.message}.`, failure: error.failure }, { status: 401 });
    }
    if (error instanceof OfferAcceptError) {
      return corsJson(request, CHECKOUT_CORS, { error: error.message, failure: error.failure }, { status: ACCEPT_STATUS[error.failure] });
    }
    log.error(`[post-purchase] ${new URL(request.url).pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return corsJson(request, CHECKOUT_CORS, { error: "Something went wrong; the offer was skipped." }, { status: 500 });
  }
}
