import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { postPurchaseEndpoint } from "../post-purchase/http.server";
import { answerRequestSchema, signOfferChangeset } from "../post-purchase/service.server";

// POST /api/post-purchase/sign-changeset — Accept: returns the changeset JWT for applyChangeset,
// once per offer. Auth: Shopify's signed inputData.token in the body. OPTIONS: CORS preflight.
const sign = async (...args: Parameters<typeof signOfferChangeset>) => ({ token: (await signOfferChangeset(...args)).token });

export const loader = ({ request }: LoaderFunctionArgs) => postPurchaseEndpoint(request, answerRequestSchema, sign);

export const action = ({ request }: ActionFunctionArgs) => postPurchaseEndpoint(request, answerRequestSchema, sign);
