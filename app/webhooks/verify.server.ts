import { createHmac, timingSafeEqual } from "node:crypto";

export interface VerifiedWebhook {
  topic: string;
  shop: string;
  webhookId: string;
  eventId: string | null;
  triggeredAt: Date | null;
  apiVersion: string | null;
  /** The body exactly as Shopify signed it; may not be valid JSON. */
  rawBody: string;
}

export class WebhookRejection extends Error {
  constructor(
    public readonly status: 400 | 401 | 405,
    message: string,
  ) {
    super(message);
    this.name = "WebhookRejection";
  }
  toResponse(): Response {
    return new Response(this.message, { status: this.status });
  }
}

const SHOP_DOMAIN = /^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$/;

/** True when `signature` is the base64 HMAC-SHA256 of `body` under `secret` (constant time). */
export function isValidHmac(body: string | Buffer, signature: string, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Verifies a Shopify webhook delivery the way Shopify documents it: the base64 HMAC-SHA256 of
 * the raw body under the app secret, in X-Shopify-Hmac-Sha256. A missing or wrong signature is
 * a 401 (Shopify's compliance review requires exactly that), checked before anything is read
 * from the payload, so an unsigned request can never be stored. The body is returned raw, not
 * parsed: a signed body that is not valid JSON must still be kept (see ADR 004).
 */
export async function verifyWebhook(request: Request, secret: string): Promise<VerifiedWebhook> {
  return verifyDelivery(
    {
      method: request.method,
      header: (name) => request.headers.get(name),
      rawBody: await request.text(),
    },
    secret,
  );
}

/** A delivery as any HTTP layer sees it: the raw body and a case-insensitive header lookup. */
export interface RawDelivery {
  method: string;
  header(name: string): string | null;
  rawBody: string;
}

export function verifyDelivery(delivery: RawDelivery, secret: string): VerifiedWebhook {
  if (delivery.method !== "POST") throw new WebhookRejection(405, "Webhooks are POSTed");
  const signature = delivery.header("x-shopify-hmac-sha256");
  const rawBody = delivery.rawBody;
  if (!signature || !isValidHmac(rawBody, signature, secret)) {
    throw new WebhookRejection(401, "Unauthorized: invalid webhook signature");
  }
  const topic = delivery.header("x-shopify-topic");
  const shop = delivery.header("x-shopify-shop-domain");
  const webhookId = delivery.header("x-shopify-webhook-id");
  if (!topic || !shop || !webhookId || !SHOP_DOMAIN.test(shop)) {
    throw new WebhookRejection(
      400,
      "Missing or invalid X-Shopify-Topic, -Shop-Domain or -Webhook-Id header",
    );
  }
  const triggeredAtHeader = delivery.header("x-shopify-triggered-at");
  const triggeredAt = triggeredAtHeader ? new Date(triggeredAtHeader) : null;
  return {
    topic,
    shop,
    webhookId,
    eventId: delivery.header("x-shopify-event-id"),
    triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
    apiVersion: delivery.header("x-shopify-api-version"),
    rawBody,
  };
}
