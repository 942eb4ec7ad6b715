import { env } from "../env.server";
import { webhookAckSeconds } from "../metrics.server";
import { getRuntime } from "../runtime.server";
import { log } from "../utils/log.server";
import { isKnownTopic } from "./payloads";
import { verifyDelivery, WebhookRejection, type RawDelivery } from "./verify.server";

export interface WebhookAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/**
 * Shopify waits 5 s for an answer. A database that cannot take the event by this deadline gets
 * a 503 so Shopify retries; if the write still commits later, the retry is a duplicate and is
 * answered 200 without storing twice (the webhook id is unique).
 */
export const ACK_DEADLINE_MS = 3_000;

async function withinAckDeadline<T>(write: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the database did not take it within ${ACK_DEADLINE_MS} ms`)),
      ACK_DEADLINE_MS,
    );
  });
  try {
    return await Promise.race([write, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Every Shopify webhook, whatever HTTP layer received it: verify the signature (a bad or missing
 * HMAC is a 401 before anything is stored), store the event and its processing job in one
 * transaction, then answer 200. A repeat delivery answers 200 and stores nothing. If the event
 * cannot be stored, answer 503 so Shopify retries: never 200 for an event we did not keep.
 */
export async function acceptWebhook(delivery: RawDelivery): Promise<WebhookAnswer> {
  const started = performance.now();
  // The HMAC signs the body only: a topic header outside our subscriptions is not a label.
  const acked = (topic: string, outcome: "stored" | "rejected" | "unavailable") =>
    webhookAckSeconds.observe(
      { topic: isKnownTopic(topic) ? topic : "other", outcome },
      (performance.now() - started) / 1000,
    );
  let verified;
  try {
    verified = verifyDelivery(delivery, env().SHOPIFY_API_SECRET);
  } catch (error) {
    if (error instanceof WebhookRejection) {
      acked(delivery.header("x-shopify-topic") ?? "", "rejected");
      return { status: error.status, body: error.message, headers: {} };
    }
    throw error;
  }
  try {
    const runtime = await getRuntime();
    await withinAckDeadline(runtime.ingest.write(verified));
    acked(verified.topic, "stored");
    return { status: 200, body: "", headers: {} };
  } catch (error) {
    acked(verified.topic, "unavailable");
    log.error(
      { shop: verified.shop, topic: verified.topic, webhookId: verified.webhookId },
      `[webhooks] could not store ${verified.topic} ${verified.webhookId} for ${verified.shop}: ${(error as Error).message}`,
    );
    return {
      status: 503,
      body: "Temporarily unable to store the webhook; retry",
      headers: { "Retry-After": "5" },
    };
  }
}

/** The Remix routes' entry (app/routes/webhooks.*): same path, Fetch API types. */
export async function handleWebhook(request: Request): Promise<Response> {
  const answer = await acceptWebhook({
    method: request.method,
    header: (name) => request.headers.get(name),
    rawBody: await request.text(),
  });
  return new Response(answer.body || null, { status: answer.status, headers: answer.headers });
}

/** Webhooks are POSTs; anything else (a crawler's GET) gets a quiet 405, not an error page. */
export function webhookMethodNotAllowed(): Response {
  return new Response("POST only", { status: 405, headers: { Allow: "POST" } });
}
