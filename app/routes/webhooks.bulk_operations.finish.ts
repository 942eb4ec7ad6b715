import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook, webhookMethodNotAllowed } from "../webhooks/handle-webhook.server";

// bulk_operations/finish: subscribed in shopify.app.toml; wakes the history import.
export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request);
export const loader = webhookMethodNotAllowed;
