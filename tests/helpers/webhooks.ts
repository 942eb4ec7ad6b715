import { randomUUID } from "node:crypto";
import { API_SECRET_KEY, APP_URL, getHmac } from "@shopify/shopify-api/test-helpers";
import { eq } from "drizzle-orm";
import { webhookEvents } from "../../db/schema/index";
import type { Db } from "../../app/db.server";
import { handleWebhook } from "../../app/webhooks/handle-webhook.server";

export interface DeliveryOptions {
  shop?: string;
  webhookId?: string;
  secret?: string | null;
  triggeredAt?: Date;
  apiVersion?: string;
  /** Replace the signature with this value (forgeries). */
  hmac?: string;
  /** Body sent instead of JSON.stringify(payload) (malformed JSON). */
  rawBody?: string;
}

/** A delivery exactly as Shopify sends it: raw JSON body, base64 HMAC, X-Shopify-* headers. */
export function signedWebhook(
  topic: string,
  payload: unknown,
  options: DeliveryOptions = {},
): Request {
  const body = options.rawBody ?? JSON.stringify(payload);
  const headers = new Headers({
    "Content-Type": "application/json",
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": options.shop ?? "test-shop.myshopify.com",
    "X-Shopify-API-Version": options.apiVersion ?? "2026-10",
    "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
    "X-Shopify-Event-Id": randomUUID(),
    "X-Shopify-Triggered-At": (options.triggeredAt ?? new Date()).toISOString(),
  });
  if (options.hmac !== undefined) headers.set("X-Shopify-Hmac-Sha256", options.hmac);
  else if (options.secret !== null)
    headers.set("X-Shopify-Hmac-Sha256", getHmac(body, options.secret ?? API_SECRET_KEY));
  return new Request(`${APP_URL}/webhooks/${topic}`, { method: "POST", headers, body });
}

export function deliver(
  topic: string,
  payload: unknown,
  options: DeliveryOptions = {},
): Promise<Response> {
  return handleWebhook(signedWebhook(topic, payload, options));
}

export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false>,
  { timeoutMs = 15_000, intervalMs = 25 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The stored event of a delivery once it is settled (processed, rejected, ignored or failed). */
export function settledEvent(db: Db, webhookId: string) {
  return waitFor(async () => {
    const [event] = await db
      .select()
      .from(webhookEvents)
      .where(eq(webhookEvents.webhookId, webhookId));
    return event && event.status !== "received" ? event : undefined;
  });
}
