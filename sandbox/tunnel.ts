import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type Server,
} from "node:http";
import type { AddressInfo } from "node:net";
import { refuseInProduction } from "./guard";

/**
 * The app's public URL in the sandbox: a loopback reverse proxy in front of `node server.js`,
 * like the tunnel `shopify app dev` opens. Requests and bodies pass through byte for byte (so
 * webhook HMACs still verify); on the way back two headers change, because the sandbox Admin
 * page is not served from admin.shopify.com:
 *
 * - `Content-Security-Policy: frame-ancestors …` also names the sandbox Admin's origin, so the
 *   browser lets that page frame the app (the app's own list names Shopify Admin only).
 * - `Link: <https://cdn.shopify.com/…/app-bridge.js>; rel=preload` points at the App Bridge
 *   stand-in instead, so the browser makes no request off the machine.
 */

export interface TunnelOptions {
  /** Where the app listens, e.g. http://127.0.0.1:4002. */
  target: string;
  /** 0 picks a free port. Bound to 127.0.0.1. */
  port?: number;
  /** Origins allowed to frame the app, added to its frame-ancestors list. */
  frameAncestors: string[];
  /** Replaces Shopify's CDN App Bridge URL in Link headers. */
  appBridgeUrl?: string;
}

export interface Tunnel {
  url: string;
  port: number;
  close(): Promise<void>;
}

const CDN_APP_BRIDGE = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

/** Adds `origins` to a CSP's frame-ancestors list; `'none'` is left alone. */
export function widenFrameAncestors(csp: string, origins: string[]): string {
  return csp.replace(/frame-ancestors([^;]*)/i, (directive, sources: string) => {
    if (/'none'/i.test(sources)) return directive;
    const present = new Set(sources.trim().split(/\s+/).filter(Boolean));
    const added = origins.filter((origin) => !present.has(origin));
    return `frame-ancestors ${[...added, ...present].join(" ")}`;
  });
}

export function rewriteResponseHeaders(
  headers: IncomingHttpHeaders,
  options: Pick<TunnelOptions, "frameAncestors" | "appBridgeUrl">,
): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers };
  const csp = out["content-security-policy"];
  if (typeof csp === "string")
    out["content-security-policy"] = widenFrameAncestors(csp, options.frameAncestors);
  const link = out.link;
  if (typeof link === "string" && options.appBridgeUrl)
    out.link = link.split(CDN_APP_BRIDGE).join(options.appBridgeUrl);
  return out;
}

export async function startTunnel(options: TunnelOptions): Promise<Tunnel> {
  refuseInProduction("The sandbox tunnel");
  const target = new URL(options.target);
  const server: Server = createServer((req, res) => {
    const upstream = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: {
          ...req.headers,
          "x-forwarded-proto": "http",
          "x-forwarded-host": req.headers.host ?? "",
        },
      },
      (answer) => {
        res.writeHead(
          answer.statusCode ?? 502,
          answer.statusMessage,
          rewriteResponseHeaders(answer.headers, options),
        );
        answer.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      if (res.headersSent) {
        res.destroy(error);
        return;
      }
      res.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
      res.end(
        `The app at ${target.host} is not answering (${(error as NodeJS.ErrnoException).code ?? error.message}). It may still be starting.`,
      );
    });
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
