/**
 * The Admin fake's billing pages: the confirmation page `appSubscriptionCreate`'s
 * `confirmationUrl` opens (the plan, its price, trial and usage terms, Approve / Decline), and the
 * signed `app_subscriptions/update` webhook Shopify sends on every status change (approved,
 * declined, cancelled). Approving or declining returns the merchant to the subscription's
 * `returnUrl`, as Shopify does.
 *
 *   GET  /admin/charges/<id>/confirm?shop=<domain>   the page
 *   POST /admin/charges/<id>/confirm?shop=<domain>   form field `decision` = approve | decline
 */
import { createHmac, randomUUID } from "node:crypto";
import type { FakeRequest, FakeResponse } from "./common";
import type { BulkWebhookTarget } from "./shopify-admin-bulk";
import type { SandboxStore } from "../store/types";
import { answerSubscription, billingOf, type FakeSubscription } from "../store/billing";

export const APP_SUBSCRIPTIONS_UPDATE_TOPIC = "app_subscriptions/update";
const CONFIRM_PATH = /^\/admin\/charges\/(\d+)\/confirm$/;

export interface BillingWebhookDelivery {
  shop: string;
  webhookId: string;
  body: string;
  /** HTTP status the app answered; null while unanswered or unreachable. */
  status: number | null;
}

export interface BillingPagesOptions {
  stores: ReadonlyMap<string, SandboxStore>;
  clock: () => number;
  baseUrl: () => string;
  webhooks?: BulkWebhookTarget;
  /**
   * Where Shopify Admin is: a `returnUrl` on https://admin.shopify.com is sent here instead (the
   * sandbox Admin serves the same /store/<handle>/apps/<app>/… paths). Unset: left as is.
   */
  adminUrl?: () => string | undefined;
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

const usd = (amount: string, currency: string) =>
  `${Number(amount).toLocaleString("en-US", { style: "currency", currency })} ${currency}`;

/** `app_subscriptions/update`'s body, as Shopify sends it. */
export function subscriptionWebhookBody(subscription: FakeSubscription, now: Date): string {
  const recurring = subscription.lineItems.find((l) => l.kind === "recurring");
  const usage = subscription.lineItems.find((l) => l.kind === "usage");
  return JSON.stringify({
    app_subscription: {
      admin_graphql_api_id: `gid://shopify/AppSubscription/${subscription.id}`,
      name: subscription.name,
      status: subscription.status,
      admin_graphql_api_shop_id: null,
      created_at: subscription.createdAt,
      updated_at: now.toISOString(),
      currency: recurring?.currencyCode ?? usage?.currencyCode ?? "USD",
      capped_amount: usage?.kind === "usage" ? usage.cappedAmount : null,
      price: recurring?.kind === "recurring" ? recurring.amount : null,
      interval: "every_30_days",
      plan_handle: null,
    },
  });
}

function confirmationPage(subscription: FakeSubscription, shopName: string): string {
  const lines = subscription.lineItems
    .map((line) =>
      line.kind === "recurring"
        ? `<li>${escapeHtml(usd(line.amount, line.currencyCode))} every 30 days</li>`
        : `<li>Usage charges: ${escapeHtml(line.terms)} (capped at ${escapeHtml(usd(line.cappedAmount, line.currencyCode))} every 30 days)</li>`,
    )
    .join("\n");
  const answer =
    subscription.status === "PENDING"
      ? `<form method="post">
<button name="decision" value="approve">Approve</button>
<button name="decision" value="decline">Decline</button>
</form>`
      : `<p>This charge is ${escapeHtml(subscription.status.toLowerCase())}.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Approve subscription · ${escapeHtml(shopName)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;color:#303030}button{font:inherit;padding:.4rem 1rem;margin-right:.5rem}</style>
</head><body>
<h1>Approve the ${escapeHtml(subscription.name)} plan</h1>
<p>${escapeHtml(shopName)} is asked to subscribe to Switchboard's ${escapeHtml(subscription.name)} plan.</p>
${subscription.test ? "<p><strong>Test charge:</strong> this store will not be billed.</p>" : ""}
${subscription.trialDays > 0 ? `<p>${subscription.trialDays}-day free trial</p>` : ""}
<ul>
${lines}
</ul>
${answer}
</body></html>`;
}

export class BillingPages {
  readonly deliveries: BillingWebhookDelivery[] = [];
  private readonly pending = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: BillingPagesOptions) {}

  /** The confirmationUrl for a new subscription of `shop`. */
  confirmationUrl(shop: string, id: number): string {
    return `${this.options.baseUrl()}/admin/charges/${id}/confirm?shop=${encodeURIComponent(shop)}`;
  }

  /** Tells the app about subscriptions whose status changed (one webhook each). */
  changed(shop: string, subscriptions: FakeSubscription[]): void {
    for (const subscription of subscriptions) {
      const delivery = this.send(shop, subscription);
      this.pending.add(delivery);
      void delivery.finally(() => this.pending.delete(delivery));
    }
  }

  /** Resolves once every webhook sent so far was answered or given up on. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  close(): void {
    this.closed = true;
  }

  serve(request: FakeRequest): FakeResponse | null {
    const match = CONFIRM_PATH.exec(request.path);
    if (!match) return null;
    const shop = request.query.get("shop") ?? "";
    const store = this.options.stores.get(shop);
    const billing = store ? billingOf(store) : undefined;
    const subscription = billing?.subscriptions.find((s) => s.id === Number(match[1]));
    if (!store || !billing || !subscription)
      return { status: 404, headers: { "content-type": "text/plain" }, body: "Not Found" };
    const html = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" };
    if (request.method === "GET")
      return { status: 200, headers: html, body: confirmationPage(subscription, store.shop.name) };
    if (request.method !== "POST")
      return { status: 405, headers: { allow: "GET, POST" }, body: "Method Not Allowed" };
    if (subscription.status !== "PENDING")
      return { status: 409, headers: html, body: confirmationPage(subscription, store.shop.name) };
    const decision = new URLSearchParams(request.rawBody).get("decision");
    if (decision !== "approve" && decision !== "decline")
      return {
        status: 400,
        headers: { "content-type": "text/plain" },
        body: "Approve or decline.",
      };
    const now = new Date(this.options.clock());
    this.changed(shop, answerSubscription(billing, subscription.id, decision === "approve", now));
    const back = this.returnUrl(subscription.returnUrl);
    // Shopify names the approved charge on the way back.
    if (decision === "approve") back.searchParams.set("charge_id", String(subscription.id));
    return { status: 303, headers: { location: back.toString() }, body: "" };
  }

  private returnUrl(url: string): URL {
    const back = new URL(url);
    const admin = this.options.adminUrl?.();
    if (admin && back.origin === "https://admin.shopify.com") {
      const local = new URL(admin);
      back.protocol = local.protocol;
      back.host = local.host;
    }
    return back;
  }

  private async send(shop: string, subscription: FakeSubscription): Promise<void> {
    const target = this.options.webhooks;
    if (!target || !target.topics.includes(APP_SUBSCRIPTIONS_UPDATE_TOPIC) || this.closed) return;
    const now = new Date(this.options.clock());
    const body = subscriptionWebhookBody(subscription, now);
    const delivery: BillingWebhookDelivery = { shop, webhookId: randomUUID(), body, status: null };
    this.deliveries.push(delivery);
    const headers = {
      "Content-Type": "application/json",
      "User-Agent": "Shopify-Captain-Hook",
      "X-Shopify-Topic": APP_SUBSCRIPTIONS_UPDATE_TOPIC,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", target.secret)
        .update(body, "utf8")
        .digest("base64"),
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-API-Version": target.apiVersion ?? "2026-10",
      "X-Shopify-Webhook-Id": delivery.webhookId,
      "X-Shopify-Event-Id": randomUUID(),
      "X-Shopify-Triggered-At": now.toISOString(),
    };
    const post = target.fetch ?? globalThis.fetch;
    // Shopify retries a delivery that isn't answered 2xx (same webhook id); a few quick tries here.
    for (let attempt = 0; attempt < 4 && !this.closed; attempt++) {
      try {
        const response = await post(
          `${target.appUrl.replace(/\/$/, "")}/webhooks/${APP_SUBSCRIPTIONS_UPDATE_TOPIC}`,
          { method: "POST", headers, body, signal: AbortSignal.timeout(5_000) },
        );
        delivery.status = response.status;
        if (response.ok) return;
      } catch {
        delivery.status = null;
      }
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
}
