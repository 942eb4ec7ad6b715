import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTunnel, widenFrameAncestors, type Tunnel } from "./tunnel";

const ADMIN = "http://127.0.0.1:4000";
const STAND_IN = `${ADMIN}/sandbox/app-bridge.js`;
const SHOPIFY_CSP =
  "frame-ancestors https://switchboard-sandbox.myshopify.com https://admin.shopify.com;";

let app: Server;
let tunnel: Tunnel;

beforeAll(async () => {
  app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      res.writeHead(200, {
        "content-security-policy": SHOPIFY_CSP,
        link: '<https://cdn.shopify.com/shopifycloud/app-bridge.js>; rel="preload"; as="script";',
        "x-body-sha256": createHash("sha256").update(body).digest("hex"),
        "x-seen-host": req.headers.host ?? "",
        "x-seen-hmac": String(req.headers["x-shopify-hmac-sha256"] ?? ""),
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  tunnel = await startTunnel({
    target: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
    frameAncestors: [ADMIN],
    appBridgeUrl: STAND_IN,
  });
});

afterAll(async () => {
  await tunnel?.close();
  await new Promise((resolve) => app?.close(resolve));
});

describe("the sandbox tunnel in front of the app", () => {
  it("passes requests through byte for byte, so webhook signatures still verify", async () => {
    const body = JSON.stringify({ note: "Crème brûlée — ☕ × 2", id: 5_912_300_000_351 });
    const response = await fetch(`${tunnel.url}/webhooks/orders/create`, {
      method: "POST",
      headers: { "x-shopify-hmac-sha256": "abc=" },
      body,
    });
    expect(await response.text()).toBe(body);
    expect(response.headers.get("x-body-sha256")).toBe(
      createHash("sha256").update(body, "utf8").digest("hex"),
    );
    expect(response.headers.get("x-seen-hmac")).toBe("abc=");
    // The app sees the public host, as behind any tunnel.
    expect(response.headers.get("x-seen-host")).toBe(new URL(tunnel.url).host);
  });

  it("lets the sandbox Admin frame the app and points App Bridge preloads at the stand-in", async () => {
    const response = await fetch(`${tunnel.url}/app`);
    expect(response.headers.get("content-security-policy")).toBe(
      `frame-ancestors ${ADMIN} https://switchboard-sandbox.myshopify.com https://admin.shopify.com;`,
    );
    expect(response.headers.get("link")).toBe(`<${STAND_IN}>; rel="preload"; as="script";`);
  });

  it("keeps frame-ancestors 'none' (pages that must never be framed stay unframeable)", () => {
    expect(widenFrameAncestors("frame-ancestors 'none';", [ADMIN])).toBe("frame-ancestors 'none';");
  });

  it("answers 502 with a reason while the app is not listening", async () => {
    const down = await startTunnel({ target: "http://127.0.0.1:1", frameAncestors: [ADMIN] });
    try {
      const response = await fetch(`${down.url}/app`);
      expect(response.status).toBe(502);
      expect(await response.text()).toMatch(/not answering/);
    } finally {
      await down.close();
    }
  });
});
