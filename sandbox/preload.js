/* global Request, Headers, setInterval */
/**
 * Sandbox preload: `node --import ./sandbox/preload.js server.js`.
 *
 * Shopify's library sends every Admin API call to `https://<shop>.myshopify.com/admin/api/…`
 * through `globalThis.fetch`, which its Node adapter captures when it is imported. Loaded before
 * the app, this module wraps that fetch so requests to `*.myshopify.com` go to the Shopify Admin
 * fake on loopback (named by SANDBOX_SHOPIFY_ADMIN_URL), with the shop in `x-sandbox-shop`
 * because the Host header then names the fake. Every other request passes through untouched.
 *
 * It is plain JavaScript so the app process needs no TypeScript loader, and it refuses to run
 * with NODE_ENV=production: nothing but the sandbox may redirect a store's API traffic.
 */

export const SHOPIFY_ADMIN_URL_ENV = "SANDBOX_SHOPIFY_ADMIN_URL";

const SHOP_HOST = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i;

/** @param {string} hostname */
export function isShopifyShopHost(hostname) {
  return SHOP_HOST.test(hostname);
}

/** @param {string} hostname */
function isLoopback(hostname) {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** @param {string | undefined} nodeEnv */
function refuseInProduction(nodeEnv) {
  if (nodeEnv?.trim().toLowerCase() === "production") {
    throw new Error(
      "sandbox/preload.js reroutes Shopify traffic to a local fake and refuses to run with NODE_ENV=production.",
    );
  }
}

/** @param {unknown} input */
function urlOf(input) {
  if (input instanceof Request) return new URL(input.url);
  if (input instanceof URL) return input;
  return new URL(String(input));
}

/**
 * Wraps `baseFetch` so `*.myshopify.com` requests go to `target` (the Admin fake's origin),
 * keeping path, query, method, headers and body.
 *
 * @param {typeof fetch} baseFetch
 * @param {string} target
 * @returns {typeof fetch}
 */
export function routeShopifyToSandbox(baseFetch, target) {
  const targetUrl = new URL(target);
  if (!isLoopback(targetUrl.hostname)) {
    throw new Error(`${SHOPIFY_ADMIN_URL_ENV} must be a loopback URL (got ${targetUrl.host})`);
  }
  /** @type {typeof fetch} */
  const sandboxFetch = async (input, init) => {
    let url;
    try {
      url = urlOf(input);
    } catch {
      return baseFetch(input, init);
    }
    if (!isShopifyShopHost(url.hostname)) return baseFetch(input, init);
    // .env is loaded after this module, so check again where it matters.
    refuseInProduction(process.env.NODE_ENV);
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    headers.set("x-sandbox-shop", url.hostname.toLowerCase());
    const rerouted = new URL(`${url.pathname}${url.search}`, targetUrl);
    /** @type {RequestInit & { duplex?: "half" }} */
    const forwarded = {
      method: request.method,
      headers,
      body: request.body,
      redirect: request.redirect,
      signal: request.signal,
    };
    if (request.body) forwarded.duplex = "half";
    return baseFetch(rerouted, forwarded);
  };
  return sandboxFetch;
}

const target = process.env[SHOPIFY_ADMIN_URL_ENV];
if (target) {
  refuseInProduction(process.env.NODE_ENV);
  globalThis.fetch = routeShopifyToSandbox(globalThis.fetch.bind(globalThis), target);
}

// Started by `npm run demo` in its own process group: if the demo dies without stopping us
// (kill -9), stop too rather than keep the data directory open.
const parent = Number(process.env.SANDBOX_PARENT_PID);
if (Number.isInteger(parent) && parent > 0) {
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, "SIGTERM");
  }, 1_000).unref();
}
