import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { postPurchaseEndpoint } from "../post-purchase/http.server";
import { answerRequestSchema, declinePurchaseOffer } from "../post-purchase/service.server";

// POST /api/post-purchase/decline — Decline: records it and sends Klaviyo "Upsell Declined".
// Auth: Shopify's signed inputData.token in the body. OPTIONS: CORS preflight.
export const loader = ({ request }: LoaderFunctionArgs) => postPurchaseEndpoint(request, answerRequestSchema, declinePurchaseOffer);

export const action = ({ request }: ActionFunctionArgs) => postPurchaseEndpoint(request, answerRequestSchema, declinePurchaseOffer);
