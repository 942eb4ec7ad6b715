import "@shopify/shopify-app-remix/adapters/node";
import {
  ApiVersion,
  AppDistribution,
  LogSeverity,
  shopifyApp,
} from "@shopify/shopify-app-remix/server";
import { env } from "./env.server";
import { db } from "./db.server";
import { DatabaseSessionStorage } from "./models/session-storage.server";
import { recordInstall } from "./models/shops.server";

/**
 * The Admin API version every call and webhook uses. The newest stable version the library
 * supports; bump deliberately, and change `[webhooks] api_version` in shopify.app.toml with it.
 */
export const API_VERSION = ApiVersion.October26;

const config = env();

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  // Scopes live in shopify.app.toml (Shopify-managed installation); SCOPES only overrides.
  scopes: config.SCOPES?.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new DatabaseSessionStorage(),
  distribution: AppDistribution.AppStore,
  logger: {
    level:
      { debug: LogSeverity.Debug, info: LogSeverity.Info, warn: LogSeverity.Warning }[
        config.LOG_LEVEL as "info"
      ] ?? LogSeverity.Error,
  },
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      const details = await admin
        .graphql(
          `#graphql
          query ShopDetails {
            shop { name currencyCode plan { displayName } }
          }`,
        )
        .then((response) => response.json())
        .then(({ data }) => ({
          name: data?.shop?.name as string | undefined,
          currency: data?.shop?.currencyCode as string | undefined,
          plan: data?.shop?.plan?.displayName as string | undefined,
        }))
        // The install itself must be recorded even if this lookup fails.
        .catch(() => ({}));
      await recordInstall(await db(), session.shop, details);
    },
  },
});

export default shopify;
export const apiVersion = API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
