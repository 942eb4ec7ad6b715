import { AdminRequestError } from "../../integrations/shopify-admin/client.server";
import { RetryableError, TerminalError } from "../errors";

/**
 * What a task throws when its Admin API call failed: no session is terminal (retrying cannot
 * bring access back), a throttle is retried after Shopify's wait, anything else as it came.
 */
export function adminFailureAsTaskError(error: unknown, shop: string): unknown {
  if (error instanceof AdminRequestError && error.failure === "no-session")
    return new TerminalError(`no Shopify access for ${shop}: ${error.message}`);
  if (error instanceof AdminRequestError && error.failure === "throttled")
    return new RetryableError(error.message, error.retryAfterSeconds);
  return error;
}
