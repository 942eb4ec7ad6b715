import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook, webhookMethodNotAllowed } from "../webhooks/handle-webhook.server";

// app_subscriptions/update: subscribed in shopify.app.toml; applied by process-webhook
// (app/models/billing.server.ts: a lapsed plan drops the shop to the Free plan's limits).
export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request);
export const loader = webhookMethodNotAllowed;
