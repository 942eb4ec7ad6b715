/**
 * The sandbox store: a deterministic Shopify shop (catalogue, inventory, customers, orders,
 * fulfillments) shared by the Admin GraphQL fake, the webhook simulator, tests, the demo and
 * benchmarks. `createSandboxStore({ seed })` builds it; the same seed gives the same data.
 */
export * from "./types";
export * from "./ids";
export {
  createSandboxStore,
  netSpentCents,
  DEFAULT_BASE_DATE,
  DEFAULT_IMAGE_BASE_URL,
  DEFAULT_SHOP_DOMAIN,
  DEFAULT_SHOP_NAME,
  type CreateSandboxStoreOptions,
} from "./generate";
export * from "./lookup";
export * from "./mutations";
export { toShopLocal, isoUtc } from "./time";
export * from "./webhook-payloads";
