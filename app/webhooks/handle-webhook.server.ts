import { env } from "../env.server";
import { getRuntime } from "../runtime.server";
import { log } from "../utils/log.server";
import { verifyWebhook, WebhookRejection } from "./verify.server";

/**
 * The one entry point for every Shopify webhook route: verify the signature (a bad or missing
 * HMAC is a 401 before anything is stored), store the event and its processing job in one
 * transaction, then answer 200. A repeat delivery answers 200 and stores nothing. If the event
 * cannot be stored, answer 503 so Shopify retries: never 200 for an event we did not keep.
 */
export async function handleWebhook(request: Request): Promise<Response> {
  let verified;
  try {
    verified = await verifyWebhook(request, env().SHOPIFY_API_SECRET);
  } catch (error) {
    if (error instanceof WebhookRejection) return error.toResponse();
    throw error;
  }
  try {
    const runtime = await getRuntime();
    await runtime.ingest.write(verified);
    return new Response(null, { status: 200 });
  } catch (error) {
    log.error(`[webhooks] could not store ${verified.topic} ${verified.webhookId} for ${verified.shop}: ${(error as Error).message}`);
    return new Response("Temporarily unable to store the webhook; retry", { status: 503, headers: { "Retry-After": "5" } });
  }
}
