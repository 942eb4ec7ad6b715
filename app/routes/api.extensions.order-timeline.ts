import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../db.server";
import { requestLocale } from "../i18n/request.server";
import { orderTimeline, parseOrderId } from "../models/order-timeline.server";
import type { OrderTimelineResponse } from "../shared/extension-contracts";
import { adminExtensionEndpoint, EndpointReply } from "../utils/admin-extension.server";

// GET /api/extensions/order-timeline?orderId=gid://shopify/Order/…&locale=fr — the
// order-automation-timeline admin block; `locale` is the language the block speaks (recipe titles
// come in it). Auth: the Bearer ID token the admin attaches to extension fetches
// (authenticate.admin). OPTIONS: CORS preflight for https://extensions.shopifycdn.com, no auth.
export const loader = ({ request }: LoaderFunctionArgs) =>
  adminExtensionEndpoint(request, async ({ shop }) => {
    const orderId = parseOrderId(new URL(request.url).searchParams.get("orderId"));
    if (!orderId)
      return new EndpointReply(400, {
        error: "orderId must be an order id or gid://shopify/Order/<id>",
      });
    return {
      ...(await orderTimeline(await db(), shop, orderId, { locale: requestLocale(request) })),
      activityPath: "/app/activity",
    } satisfies OrderTimelineResponse;
  });
