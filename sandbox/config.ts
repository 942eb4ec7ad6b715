/**
 * Constants shared by the sandbox's parts (demo, admin page, bootstrap, simulator, tests).
 * None of these are secrets: they only ever authenticate against loopback fakes and a local
 * app started by `npm run demo`.
 */
import { DEFAULT_SHOP_DOMAIN } from "./store/generate";

/** The one shop the sandbox runs: the sandbox store's default domain. */
export const SANDBOX_SHOP = DEFAULT_SHOP_DOMAIN;
/** The store handle in Admin URLs (`/store/<handle>/apps/…`). */
export const SANDBOX_STORE_HANDLE = SANDBOX_SHOP.replace(/\.myshopify\.com$/, "");
/** The app's handle in Admin URLs, as in `admin.shopify.com/store/<store>/apps/<handle>`. */
export const SANDBOX_APP_HANDLE = "switchboard";

/** Client id and secret the demo gives the app; session tokens and webhooks are signed with them. */
export const SANDBOX_API_KEY = "switchboard-sandbox-client-id";
export const SANDBOX_API_SECRET = "switchboard-sandbox-client-secret";

/** Webhook API version the simulator stamps on deliveries (the app's pinned version). */
export const SANDBOX_WEBHOOK_API_VERSION = "2026-10";

/** Scopes the sandbox session is granted (shopify.app.toml's list). */
export const SANDBOX_SCOPES =
  "read_orders,write_orders,read_fulfillments,read_assigned_fulfillment_orders,read_inventory,read_products,read_customers,write_customers";
