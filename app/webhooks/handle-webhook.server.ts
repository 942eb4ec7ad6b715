import { env } from "../env.server";
import { verifyWebhook, WebhookRejection } from "./verify.server";

/**
 * The one entry point for every Shopify webhook route: verifies the signature (a bad or
 * missing HMAC is a 401 before anything is stored) and acknowledges.
 */
export async function handleWebhook(request: Request): Promise<Response> {
  try {
    await verifyWebhook(request, env().SHOPIFY_API_SECRET);
  } catch (error) {
    if (error instanceof WebhookRejection) return error.toResponse();
    throw error;
  }
  return new Response(null, { status: 200 });
}
