import { authenticate } from "../shopify.server";
import { ADMIN_EXTENSION_CORS, corsJson, preflight, withCors } from "./cors.server";

export interface AdminExtensionContext {
  shop: string;
  request: Request;
}

/** A JSON answer with a status other than 200. */
export class EndpointReply {
  constructor(
    public readonly status: number,
    public readonly body: unknown,
  ) {}
}

/**
 * An endpoint called by an admin UI extension's `fetch()`: answers the CORS preflight from
 * `https://extensions.shopifycdn.com` without auth, then authenticates the Bearer ID token
 * Shopify attaches (`authenticate.admin`) and returns `handle`'s result as JSON, CORS headers
 * on every answer — including the 401s Shopify's auth throws.
 */
export async function adminExtensionEndpoint(
  request: Request,
  handle: (ctx: AdminExtensionContext) => Promise<unknown>,
): Promise<Response> {
  const early = preflight(request, ADMIN_EXTENSION_CORS);
  if (early) return early;
  let shop: string;
  try {
    ({
      session: { shop },
    } = await authenticate.admin(request));
  } catch (error) {
    if (error instanceof Response) throw withCors(request, error, ADMIN_EXTENSION_CORS);
    throw error;
  }
  const result = await handle({ shop, request });
  if (result instanceof EndpointReply)
    return corsJson(request, ADMIN_EXTENSION_CORS, result.body, { status: result.status });
  return corsJson(request, ADMIN_EXTENSION_CORS, result);
}
