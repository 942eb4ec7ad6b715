import { vi } from "vitest";

/**
 * Shopify's adapter captures globalThis.fetch when it is imported, so the stub must be in place
 * first. Any call that reaches it is a test bug (nothing in these tests may touch the network).
 */
export const shopifyFetch = vi.fn(async (input: unknown) => {
  throw new Error(`unexpected network call in a test: ${String(input)}`);
});
vi.stubGlobal("fetch", shopifyFetch);
