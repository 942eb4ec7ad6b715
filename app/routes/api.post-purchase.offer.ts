import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { postPurchaseEndpoint } from "../post-purchase/http.server";

// POST /api/post-purchase/offer — the post-purchase extension's ShouldRender asks for an offer.
// Auth: Shopify's signed inputData.token in the body (verified by us, not the session-token check).
// OPTIONS (CORS preflight) is answered without auth; Remix routes it to the loader. In production
// server.js answers this path straight off node:http with the same acceptPostPurchase().
export const loader = ({ request }: LoaderFunctionArgs) => postPurchaseEndpoint(request);

export const action = ({ request }: ActionFunctionArgs) => postPurchaseEndpoint(request);
