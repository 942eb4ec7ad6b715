import { spawn } from "node:child_process";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startShopifyAdminFake, type ShopifyAdminFake } from "./fakes/shopify-admin";
import { routeShopifyToSandbox, SHOPIFY_ADMIN_URL_ENV } from "./preload.js";

const SHOP = "switchboard-sandbox.myshopify.com";
const SHOP_QUERY = "query ShopName { shop { name myshopifyDomain } }";

let shopify: ShopifyAdminFake;
let other: Server;
let otherUrl: string;
const otherRequests: { url: string; host: string | undefined; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  shopify = await startShopifyAdminFake();
  other = createServer((req, res) => {
    otherRequests.push({ url: req.url ?? "", host: req.headers.host, headers: req.headers });
    res.writeHead(200, { "content-type": "text/plain" }).end("the real one");
  });
  await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await shopify?.close();
  await new Promise((resolve) => other?.close(resolve));
});

/** Runs a script in a fresh Node 22 with the preload, as `npm run demo` starts the app. */
function runWithPreload(script: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "./sandbox/preload.js", "--input-type=module", "-e", script],
      {
        cwd: process.cwd(),
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the sandbox fetch preload", () => {
  it("sends *.myshopify.com Admin API calls to the Shopify fake, path, token and body intact", async () => {
    const base = vi.fn(globalThis.fetch.bind(globalThis));
    const routed = routeShopifyToSandbox(base, shopify.url);
    const response = await routed(`https://${SHOP}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-shopify-access-token": shopify.accessToken,
      },
      body: JSON.stringify({ query: SHOP_QUERY }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.data.shop).toEqual({ name: "Switchboard Sandbox", myshopifyDomain: SHOP });
    const call = base.mock.calls[0]!;
    expect(String(call[0])).toBe(`${shopify.url}/admin/api/2026-10/graphql.json`);
    expect(new Headers(call[1]?.headers).get("x-sandbox-shop")).toBe(SHOP);
    expect(shopify.operations().at(-1)).toMatchObject({
      operationName: "ShopName",
      shop: SHOP,
      apiVersion: "2026-10",
    });
  });

  it("passes Request objects through with their method and body", async () => {
    const routed = routeShopifyToSandbox(globalThis.fetch.bind(globalThis), shopify.url);
    const request = new Request(`https://${SHOP}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-shopify-access-token": shopify.accessToken,
      },
      body: JSON.stringify({ query: SHOP_QUERY }),
    });
    const body = await (await routed(request)).json();
    expect(body.data.shop.name).toBe("Switchboard Sandbox");
  });

  it("leaves every other host alone", async () => {
    const base = vi.fn(globalThis.fetch.bind(globalThis));
    const routed = routeShopifyToSandbox(base, shopify.url);
    const init = { headers: { "x-probe": "1" } };
    const response = await routed(`${otherUrl}/anything?x=1`, init);
    expect(await response.text()).toBe("the real one");
    expect(base).toHaveBeenCalledWith(`${otherUrl}/anything?x=1`, init);
    expect(otherRequests.at(-1)).toMatchObject({
      url: "/anything?x=1",
      host: otherUrl.replace("http://", ""),
    });
    expect(otherRequests.at(-1)!.headers["x-sandbox-shop"]).toBeUndefined();
    // Look-alike hosts are not shops.
    await routed("https://cdn.shopify.com/shopifycloud/app-bridge.js").catch(() => undefined);
    await routed("https://myshopify.com.evil.test/admin").catch(() => undefined);
    expect(base.mock.calls.slice(1).map((call) => String(call[0]))).toEqual([
      "https://cdn.shopify.com/shopifycloud/app-bridge.js",
      "https://myshopify.com.evil.test/admin",
    ]);
  });

  it("only ever targets loopback", () => {
    expect(() => routeShopifyToSandbox(globalThis.fetch, "https://fake.example.com")).toThrow(
      /loopback/,
    );
  });

  it("reroutes the fetch Shopify's library captured, when loaded with --import before the app", async () => {
    // The same order as the app: preload first, then Shopify's Node adapter, then a GraphQL call.
    const script = `
      import "@shopify/shopify-api/adapters/node";
      import { shopifyApi, Session, LogSeverity } from "@shopify/shopify-api";
      const api = shopifyApi({ apiKey: "k", apiSecretKey: "s", hostName: "localhost", apiVersion: "2026-10", isEmbeddedApp: true, logger: { level: LogSeverity.Error } });
      const session = new Session({ id: "offline_${SHOP}", shop: "${SHOP}", state: "", isOnline: false, accessToken: "${shopify.accessToken}" });
      const client = new api.clients.Graphql({ session });
      const response = await client.request("${SHOP_QUERY}");
      const other = await fetch("${otherUrl}/untouched");
      console.log(JSON.stringify({ shop: response.data.shop, other: await other.text() }));
    `;
    const result = await runWithPreload(script, {
      [SHOPIFY_ADMIN_URL_ENV]: shopify.url,
      NODE_ENV: "development",
    });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.trim().split("\n").at(-1)!)).toEqual({
      shop: { name: "Switchboard Sandbox", myshopifyDomain: SHOP },
      other: "the real one",
    });
  });

  it("refuses to start with NODE_ENV=production", async () => {
    const result = await runWithPreload("console.log('app started')", {
      [SHOPIFY_ADMIN_URL_ENV]: shopify.url,
      NODE_ENV: "production",
    });
    expect(result.code).not.toBe(0);
    expect(result.stdout).not.toContain("app started");
    expect(result.stderr).toContain("refuses to run with NODE_ENV=production");
  });
});
