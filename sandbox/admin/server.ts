import type { checkoutRoutes } from "./checkout";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { refuseInProduction } from "../guard";
import { hostParam, mintSessionToken } from "../session-token";
import type { FaultAction, FaultStatus } from "../faults";
import { parseFaultAction } from "../faults";
import type { SandboxStore } from "../store/types";
import {
  adminBlockExtensions,
  bundleExtension,
  extensionMessages,
  type AdminBlockExtension,
} from "./extension-bundles";
import { adminPage, faultsPage, inboxPage } from "./pages";
import {
  extensionFramePage,
  orderPage,
  ordersPage,
  productPage,
  productsPage,
  type StorePageContext,
} from "./store-pages";

/**
 * The sandbox's stand-in for Shopify Admin, served by the sandbox process (never by the app):
 *
 *   GET  /                                   → the app in Admin
 *   GET  /store/<store>/apps/<app>/<path>    Admin page framing `<appUrl>/<path>?embedded=1&shop&host&id_token`
 *   GET  /open?path=/app/…                   → that page (where the stand-in sends a top-level app tab)
 *   GET  /sandbox/app-bridge.js              the App Bridge stand-in (APP_BRIDGE_URL points here)
 *   GET  /sandbox/session-token              a fresh session token for the shop (CORS: the app's origin)
 *   GET  /sandbox/catalog.json               products, variants and collections for the resource picker (CORS: the app's origin)
 *   GET  /store/<store>/orders[/<id>]        Orders and an order, with the app's order-details blocks
 *   GET  /store/<store>/products[/<id>]      Products and a product, with the app's product-details blocks
 *   GET  /sandbox/extensions/<handle>?id=gid the frame one block extension renders into; <handle>.js its bundle
 *   *    /sandbox/extension-api/api/extensions/…  an extension's fetch, passed to the app as sent (Bearer token and all)
 *   POST /sandbox/admin-graphql              an extension's `shopify.query`: Admin GraphQL as the app
 *   GET  /checkout, /checkout/<order id>     the buyer's post-purchase page (sandbox/admin/checkout.ts)
 *   GET  /inbox, /sandbox/inbox.json         what the fakes received, live
 *   GET  /sandbox/status.json                simulator clock and counters
 *   POST /sandbox/simulator                  {"action":"pause"|"resume"} or {"action":"speed","speed":n}
 *   GET  /faults, /sandbox/faults.json       practise failures: vendor outages, rate limits
 *   POST /sandbox/faults                     {"action":"outage-start"|"outage-end"|"rate-limit","vendor":…}
 *                                            or {"action":"malformed-webhook"}
 *
 * It mints tokens that the app accepts as a signed-in staff member, so it refuses to start with
 * NODE_ENV=production and only ever listens on 127.0.0.1.
 */

export interface SandboxAdminOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** The app's public URL, framed by the Admin page. */
  appUrl: string;
  shop: string;
  storeName: string;
  storeHandle: string;
  appHandle: string;
  appName?: string;
  /** The app's client id and secret: session tokens are signed with them. */
  apiKey: string;
  apiSecret: string;
  /** Checked before anything starts (defaults to process.env.NODE_ENV). */
  nodeEnv?: string;
  inbox?: () => unknown;
  status?: () => unknown;
  /** What the resource picker lists (sandbox/admin/picker-catalog.ts). */
  catalog?: () => unknown;
  simulator?: { pause(): void; resume(): void; setSpeed(speed: number): void };
  /** The store the Orders and Products pages show. */
  store?: () => SandboxStore;
  /** How the extension API pass-through reaches the app (default: the global fetch). */
  fetch?: typeof fetch;
  /** Admin GraphQL as the app (for extensions' `shopify.query`): a JSON body in, the answer out. */
  adminGraphql?: (body: string) => Promise<{ status: number; body: string }>;
  /** The shopper's post-purchase page (sandbox/admin/checkout.ts). */
  checkout?: ReturnType<typeof checkoutRoutes>;
  /** The fault panel (sandbox/faults.ts) and the credentials it shows. */
  faults?: {
    status(): FaultStatus;
    apply(action: FaultAction): Promise<FaultStatus>;
    credentials: { vendor: string; lines: string[] }[];
  };
}

export interface SandboxAdmin {
  url: string;
  port: number;
  /** For APP_BRIDGE_URL. */
  appBridgeUrl: string;
  close(): Promise<void>;
}

const STAND_IN = fileURLToPath(new URL("./app-bridge.js", import.meta.url));

function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "cache-control": "no-store", ...headers });
  res.end(body);
}

function json(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
) {
  send(res, status, JSON.stringify(value), {
    "content-type": "application/json; charset=utf-8",
    ...headers,
  });
}

function readBody(req: IncomingMessage, limit = 16_384): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
      if (body.length > limit) req.destroy(new Error("body too large"));
    });
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

export async function startSandboxAdmin(options: SandboxAdminOptions): Promise<SandboxAdmin> {
  refuseInProduction(
    "The sandbox Admin (session-token minter and App Bridge stand-in)",
    options.nodeEnv ?? process.env.NODE_ENV,
  );
  const standIn = readFileSync(STAND_IN, "utf8");
  const appOrigin = new URL(options.appUrl).origin;
  const appBase = `/store/${options.storeHandle}/apps/${options.appHandle}`;
  const appName = options.appName ?? "Switchboard";
  const storeBase = `/store/${options.storeHandle}`;
  const extensions = adminBlockExtensions();
  const bundles = new Map<string, Promise<string>>();
  const bundleOf = (extension: AdminBlockExtension) => {
    let bundle = bundles.get(extension.handle);
    if (!bundle) {
      bundle = bundleExtension(extension);
      bundle.catch(() => bundles.delete(extension.handle));
      bundles.set(extension.handle, bundle);
    }
    return bundle;
  };
  const storeContext: StorePageContext = {
    storeName: options.storeName,
    storeHandle: options.storeHandle,
    appHandle: options.appHandle,
    appName,
    extensions,
  };
  let selfOrigin = "";
  const html = (res: ServerResponse, body: string | null) =>
    body === null
      ? send(res, 404, "Not found", { "content-type": "text/plain; charset=utf-8" })
      : send(res, 200, body, { "content-type": "text/html; charset=utf-8" });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const route = url.pathname;
    if (
      req.method === "GET" &&
      (route === "/" ||
        route === `/store/${options.storeHandle}` ||
        route === appBase ||
        route === `${appBase}/`)
    ) {
      return send(res, 302, "", { location: `${appBase}/app` });
    }
    if (
      options.checkout &&
      (route.startsWith("/checkout") || route.startsWith("/sandbox/checkout/"))
    ) {
      const answer = await options.checkout(
        req.method ?? "GET",
        route,
        req.method === "POST" ? await readBody(req) : "",
      );
      if (answer)
        return send(res, answer.status, answer.body, { "content-type": answer.contentType });
    }
    if (req.method === "GET" && route === "/open") {
      const path = url.searchParams.get("path") ?? "/app";
      return send(res, 302, "", {
        location: `${appBase}${path.startsWith("/") && !path.startsWith("//") ? path : "/app"}`,
      });
    }
    if (req.method === "GET" && route.startsWith(`${appBase}/`)) {
      const path = route.slice(appBase.length);
      const { token } = await mintSessionToken({
        shop: options.shop,
        apiKey: options.apiKey,
        apiSecret: options.apiSecret,
      });
      const src = new URL(path, options.appUrl);
      src.searchParams.set("embedded", "1");
      src.searchParams.set("shop", options.shop);
      src.searchParams.set("host", hostParam(options.shop));
      src.searchParams.set("locale", "en");
      src.searchParams.set("id_token", token);
      const html = adminPage({
        storeName: options.storeName,
        shop: options.shop,
        storeHandle: options.storeHandle,
        appHandle: options.appHandle,
        appName,
        appOrigin,
        iframeSrc: src.toString(),
        path,
      });
      return send(res, 200, html, { "content-type": "text/html; charset=utf-8" });
    }
    if (req.method === "GET" && route === "/sandbox/app-bridge.js") {
      return send(res, 200, standIn, {
        "content-type": "text/javascript; charset=utf-8",
        "access-control-allow-origin": appOrigin,
      });
    }
    if (req.method === "GET" && route === "/sandbox/session-token") {
      const origin = req.headers.origin;
      // The app (App Bridge stand-in) and the sandbox's own extension frames.
      if (origin && origin !== appOrigin && origin !== selfOrigin)
        return json(res, 403, { error: `session tokens are only for ${appOrigin}` });
      const token = await mintSessionToken({
        shop: options.shop,
        apiKey: options.apiKey,
        apiSecret: options.apiSecret,
      });
      return json(res, 200, token, { "access-control-allow-origin": appOrigin, vary: "Origin" });
    }
    if (req.method === "GET" && route === "/sandbox/catalog.json") {
      const origin = req.headers.origin;
      if (origin && origin !== appOrigin)
        return json(res, 403, { error: `the catalog is only for ${appOrigin}` });
      return json(res, 200, options.catalog?.() ?? { products: [], collections: [] }, {
        "access-control-allow-origin": appOrigin,
        vary: "Origin",
      });
    }
    if (req.method === "GET" && options.store) {
      const page = new RegExp(`^${storeBase}/(orders|products)(?:/(\\d+))?$`).exec(route);
      if (page) {
        const store = options.store();
        const id = page[2] ? Number(page[2]) : null;
        if (page[1] === "orders")
          return html(
            res,
            id === null ? ordersPage(store, storeContext) : orderPage(store, id, storeContext),
          );
        return html(
          res,
          id === null ? productsPage(store, storeContext) : productPage(store, id, storeContext),
        );
      }
    }
    const frame = /^\/sandbox\/extensions\/([a-z0-9-]+)(\.js)?$/.exec(route);
    if (req.method === "GET" && frame) {
      const extension = extensions.find((e) => e.handle === frame[1]);
      if (!extension) return send(res, 404, "No such extension");
      if (frame[2])
        return send(res, 200, await bundleOf(extension), {
          "content-type": "text/javascript; charset=utf-8",
        });
      const id = url.searchParams.get("id") ?? "";
      if (!new RegExp(`^gid://shopify/${extension.resource}/\\d+$`).test(id))
        return send(res, 400, `id must be gid://shopify/${extension.resource}/<id>`);
      const locale = "en";
      const store = options.store?.();
      return html(
        res,
        extensionFramePage(extension, {
          target: extension.target,
          selectedId: id,
          locale,
          timeZone: store?.shop.ianaTimezone ?? "UTC",
          currency: store?.shop.currency ?? "USD",
          ...extensionMessages(extension.handle, locale),
          appUrl: options.appUrl,
          apiBase: "/sandbox/extension-api",
          tokenUrl: "/sandbox/session-token",
          graphqlUrl: "/sandbox/admin-graphql",
          catalogUrl: "/sandbox/catalog.json",
          appAdminBase: appBase,
        }),
      );
    }
    if (route.startsWith("/sandbox/extension-api/")) {
      // What Admin does with an extension's fetch to the app: the request goes to the app's URL
      // as the extension made it (its Authorization header carries the session token).
      const path = route.slice("/sandbox/extension-api".length);
      if (!path.startsWith("/api/extensions/"))
        return json(res, 404, { error: "extensions may only call /api/extensions/…" });
      const headers: Record<string, string> = {};
      for (const name of [
        "authorization",
        "content-type",
        "accept",
        "accept-language",
        "user-agent",
      ]) {
        const value = req.headers[name];
        if (typeof value === "string") headers[name] = value;
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const answer = await (options.fetch ?? fetch)(new URL(path + url.search, options.appUrl), {
        method: req.method,
        headers,
        body: hasBody ? await readBody(req, 262_144) : undefined,
        redirect: "manual",
      });
      return send(res, answer.status, await answer.text(), {
        "content-type": answer.headers.get("content-type") ?? "text/plain; charset=utf-8",
      });
    }
    if (req.method === "POST" && route === "/sandbox/admin-graphql") {
      const origin = req.headers.origin;
      if (origin && origin !== selfOrigin) return json(res, 403, { error: "same origin only" });
      if (!req.headers["content-type"]?.startsWith("application/json"))
        return json(res, 415, { error: "send application/json" });
      if (!options.adminGraphql) return json(res, 404, { error: "no Admin API in this sandbox" });
      const answer = await options.adminGraphql(await readBody(req, 65_536));
      return send(res, answer.status, answer.body, {
        "content-type": "application/json; charset=utf-8",
      });
    }
    if (req.method === "GET" && route === "/inbox") {
      return send(
        res,
        200,
        inboxPage({ storeName: options.storeName, adminUrl: `${appBase}/app` }),
        { "content-type": "text/html; charset=utf-8" },
      );
    }
    if (req.method === "GET" && route === "/sandbox/inbox.json")
      return json(res, 200, options.inbox?.() ?? {});
    if (req.method === "GET" && route === "/sandbox/status.json")
      return json(res, 200, options.status?.() ?? {});
    if (req.method === "POST" && route === "/sandbox/simulator") {
      // JSON only: a cross-site form cannot send it without a preflight this server never grants.
      if (!req.headers["content-type"]?.startsWith("application/json"))
        return json(res, 415, { error: "send application/json" });
      if (!options.simulator) return json(res, 404, { error: "no simulator running" });
      let body: { action?: unknown; speed?: unknown };
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        return json(res, 400, { error: "body is not JSON" });
      }
      if (body.action === "pause") options.simulator.pause();
      else if (body.action === "resume") options.simulator.resume();
      else if (
        body.action === "speed" &&
        typeof body.speed === "number" &&
        body.speed > 0 &&
        body.speed <= 100_000
      )
        options.simulator.setSpeed(body.speed);
      else
        return json(res, 400, {
          error: 'action must be "pause", "resume" or "speed" with a speed',
        });
      return json(res, 200, options.status?.() ?? {});
    }
    if (req.method === "GET" && route === "/faults") {
      if (!options.faults) return send(res, 404, "No fault panel in this sandbox");
      return send(
        res,
        200,
        faultsPage({
          storeName: options.storeName,
          adminUrl: `${appBase}/app`,
          credentials: options.faults.credentials,
        }),
        { "content-type": "text/html; charset=utf-8" },
      );
    }
    if (req.method === "GET" && route === "/sandbox/faults.json") {
      if (!options.faults) return json(res, 404, { error: "no fault panel" });
      return json(res, 200, options.faults.status());
    }
    if (req.method === "POST" && route === "/sandbox/faults") {
      // JSON only, as for the simulator: a cross-site form cannot send it.
      if (!req.headers["content-type"]?.startsWith("application/json"))
        return json(res, 415, { error: "send application/json" });
      if (!options.faults) return json(res, 404, { error: "no fault panel" });
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        return json(res, 400, { error: "body is not JSON" });
      }
      const action = parseFaultAction(body);
      if ("error" in action) return json(res, 400, { error: action.error });
      return json(res, 200, await options.faults.apply(action));
    }
    if (route === "/favicon.ico") return send(res, 204, "");
    return send(res, 404, "Not found", { "content-type": "text/plain; charset=utf-8" });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent)
        json(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  selfOrigin = url;
  return {
    url,
    port,
    appBridgeUrl: `${url}/sandbox/app-bridge.js`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
