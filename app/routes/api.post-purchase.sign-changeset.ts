import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { postPurchaseEndpoint } from "../post-purchase/http.server";

// POST /api/post-purchase/sign-changeset — Accept: signs the offer's changeset once (single-use jti).
// Auth: Shopify's signed inputData.token in the body. OPTIONS is the CORS preflight.
export const loader = ({ request }: LoaderFunctionArgs) => postPurchaseEndpoint(request);

export const action = ({ request }: ActionFunctionArgs) => postPurchaseEndpoint(request);
