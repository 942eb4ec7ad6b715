import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../db.server";
import {
  productOfferRequest,
  productOfferSettings,
  saveProductOffer,
} from "../post-purchase/product-settings.server";
import { adminExtensionEndpoint, EndpointReply } from "../utils/admin-extension.server";
import { parseShopifyId, type ShopifyId } from "../utils/shopify-id";

// /api/extensions/product-upsell — the product-upsell-settings admin block.
//   GET ?productId=gid://shopify/Product/…  → this product's post-purchase offer settings
//   POST { intent: "save" | "remove", productId, offerVariantId, fallbackVariantId?, discount, minimumStock }
//        → saved into the post-purchase-upsell recipe config, validated by its zod schema
//          (422 with errors by field when it does not pass).
// Auth: the Bearer ID token the admin attaches to extension fetches (authenticate.admin).
// OPTIONS: CORS preflight for https://extensions.shopifycdn.com, no auth.

function productIdOf(request: Request): ShopifyId | null {
  return parseShopifyId(new URL(request.url).searchParams.get("productId") ?? "", "Product");
}

export const loader = ({ request }: LoaderFunctionArgs) =>
  adminExtensionEndpoint(request, async ({ shop }) => {
    const productId = productIdOf(request);
    if (!productId)
      return new EndpointReply(400, {
        error: "productId must be a product id or gid://shopify/Product/<id>",
      });
    return productOfferSettings(await db(), shop, productId);
  });

export const action = ({ request }: ActionFunctionArgs) =>
  adminExtensionEndpoint(request, async ({ shop }) => {
    if (request.method !== "POST") return new EndpointReply(405, { error: "Use POST." });
    const body = productOfferRequest.safeParse(await request.json().catch(() => null));
    if (!body.success)
      return new EndpointReply(400, {
        ok: false,
        errors: { form: "The request is not a product offer." },
      });
    const result = await saveProductOffer(await db(), shop, body.data);
    return result.ok ? result : new EndpointReply(422, result);
  });
