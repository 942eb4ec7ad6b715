/**
 * Import first in a test file: installs the sandbox preload's routing around the global fetch
 * before Shopify's Node adapter captures it (as `node --import ./sandbox/preload.js` does for the
 * demo), with the Admin fake's address set once the fake listens.
 */
import { routeShopifyToSandbox } from "../../sandbox/preload.js";

export const realFetch: typeof fetch = globalThis.fetch.bind(globalThis);
let current: typeof fetch = realFetch;
globalThis.fetch = ((input, init) => current(input, init)) as typeof fetch;

/** Sends `*.myshopify.com` to the fake at `url` from now on (null: back to the real fetch). */
export function routeShopifyTo(url: string | null): void {
  current = url ? routeShopifyToSandbox(realFetch, url) : realFetch;
}
