/**
 * Node's own fetch, captured before tests/helpers/shopify.ts stubs the global one (Shopify's
 * adapter must see the stub). Import this module first; vendor fakes are reached through it.
 */
export const realFetch: typeof fetch = globalThis.fetch.bind(globalThis);
