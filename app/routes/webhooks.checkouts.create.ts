import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook, webhookMethodNotAllowed } from "../webhooks/handle-webhook.server";

// checkouts/create: subscribed in shopify.app.toml.
export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request);
export const loader = webhookMethodNotAllowed;
