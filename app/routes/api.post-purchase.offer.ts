import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { postPurchaseEndpoint } from "../post-purchase/http.server";
import { offerForPurchase, offerRequestSchema } from "../post-purchase/service.server";

// POST /api/post-purchase/offer — the post-purchase extension's ShouldRender asks for an offer.
// Auth: Shopify's signed inputData.token in the body (verified by us, not the session-token check).
// OPTIONS (CORS preflight) is answered without auth; Remix routes it to the loader.
export const loader = ({ request }: LoaderFunctionArgs) => postPurchaseEndpoint(request, offerRequestSchema, offerForPurchase);

export const action = ({ request }: ActionFunctionArgs) => postPurchaseEndpoint(request, offerRequestSchema, offerForPurchase);
