import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisFr from "@shopify/polaris/locales/fr.json";
import { AppNavigation } from "../components/AppNavigation";
import { env } from "../env.server";
import { LocaleContext } from "../i18n/react";
import { requestLocale } from "../i18n/request.server";
import { authenticate } from "../shopify.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

/** Polaris's own strings (pagination, close buttons, loading labels) in the admin's language. */
const POLARIS_TRANSLATIONS = { en: polarisEn, fr: polarisFr } as const;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  const config = env();
  // APP_BRIDGE_URL (optional) swaps Shopify's CDN script, e.g. for the sandbox's local stand-in.
  return {
    apiKey: config.SHOPIFY_API_KEY,
    appBridgeUrl: config.APP_BRIDGE_URL,
    locale: requestLocale(request),
  };
};

export default function App() {
  const { apiKey, appBridgeUrl, locale } = useLoaderData<typeof loader>();
  return (
    <LocaleContext.Provider value={locale}>
      <AppProvider
        isEmbeddedApp
        apiKey={apiKey}
        __APP_BRIDGE_URL={appBridgeUrl}
        i18n={POLARIS_TRANSLATIONS[locale]}
      >
        <AppNavigation />
        <Outlet />
      </AppProvider>
    </LocaleContext.Provider>
  );
}

// Shopify's auth throws Responses (redirects, 401s with reauthorize headers) that must reach
// the browser with their headers intact; these boundary helpers do that.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
