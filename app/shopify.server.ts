import "@shopify/shopify-app-remix/adapters/node";
import {
  ApiVersion,
  AppDistribution,
  LogSeverity,
  shopifyApp,
} from "@shopify/shopify-app-remix/server";
import { billingConfig } from "./billing/plans";
import { env } from "./env.server";
import { log } from "./utils/log.server";
import { DatabaseSessionStorage } from "./models/session-storage.server";

/**
 * The Admin API version every call and webhook uses. The newest stable version the library
 * supports; bump deliberately, and change `[webhooks] api_version` in shopify.app.toml with it.
 */
export const API_VERSION = ApiVersion.October26;

const config = env();
const shopifyLog = log.child({ component: "shopify-api" });

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
  // Paid plans: a recurring charge and a capped usage line for the upsell fee (app/billing/plans.ts).
  billing: billingConfig(),
  logger: {
    level:
      { debug: LogSeverity.Debug, info: LogSeverity.Info, warn: LogSeverity.Warning }[
        config.LOG_LEVEL as "info"
      ] ?? LogSeverity.Error,
    // Into the app's logger, whose message redaction removes the session tokens the
    // library's debug lines quote.
    log: (severity, message) => {
      const method =
        severity === LogSeverity.Error
          ? "error"
          : severity === LogSeverity.Warning
            ? "warn"
            : severity === LogSeverity.Info
              ? "info"
              : "debug";
      shopifyLog[method](message);
    },
  },
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      await afterInstall()({ shop: session.shop, graphql: (query) => admin.graphql(query) });
    },
  },
});

/** A shop that just granted its offline token, with its Admin GraphQL authorized by it. */
export interface InstalledShop {
  shop: string;
  graphql: (query: string) => Promise<Response>;
}

/**
 * What afterAuth does with an install needs the process's database, job queue and clock, and
 * reaches the Admin API through modules that use this one: the composition root hands the whole
 * step over once (app/runtime.server.ts, ADR 013), so nothing here imports back up.
 */
let afterInstallHandler: ((installed: InstalledShop) => Promise<void>) | undefined;

export function provideAfterInstall(handler: (installed: InstalledShop) => Promise<void>) {
  afterInstallHandler = handler;
}

function afterInstall(): (installed: InstalledShop) => Promise<void> {
  if (!afterInstallHandler)
    throw new Error("afterAuth ran before app/runtime.server.ts provided the install step");
  return afterInstallHandler;
}

export default shopify;
export const apiVersion = API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
