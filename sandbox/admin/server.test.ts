import "@shopify/shopify-api/adapters/node";
import { LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SandboxInProductionError } from "../guard";
import { hostParam, mintSessionToken } from "../session-token";
import { startTunnel } from "../tunnel";
import { startSandboxAdmin, type SandboxAdmin } from "./server";

const SHOP = "switchboard-sandbox.myshopify.com";
const API_KEY = "sandbox-test-key";
const API_SECRET = "sandbox-test-secret";
const APP_URL = "http://127.0.0.1:45999";

const options = {
  appUrl: APP_URL,
  shop: SHOP,
  storeName: "Switchboard Sandbox",
  storeHandle: "switchboard-sandbox",
  appHandle: "switchboard",
  apiKey: API_KEY,
  apiSecret: API_SECRET,
};

/** Shopify's own session-token check, as authenticate.admin runs it. */
const shopify = shopifyApi({
  apiKey: API_KEY,
  apiSecretKey: API_SECRET,
  hostName: "127.0.0.1:45999",
  apiVersion: "2026-10" as any,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

let admin: SandboxAdmin;
beforeAll(async () => {
  admin = await startSandboxAdmin(options);
});
afterAll(() => admin?.close());

describe("sandbox Admin", () => {
  it("frames the app like Shopify Admin: embedded=1, shop, host and a session token Shopify's library accepts", async () => {
    const root = await fetch(`${admin.url}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/store/switchboard-sandbox/apps/switchboard/app");

    const page = await fetch(
      `${admin.url}/store/switchboard-sandbox/apps/switchboard/app/activity`,
    );
    expect(page.status).toBe(200);
    const html = await page.text();
    const src = new URL(/<iframe[^>]+src="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, "&"));
    expect(src.origin + src.pathname).toBe(`${APP_URL}/app/activity`);
    expect(src.searchParams.get("embedded")).toBe("1");
    expect(src.searchParams.get("shop")).toBe(SHOP);
    expect(shopify.utils.sanitizeHost(src.searchParams.get("host")!)).toBe(hostParam(SHOP));
    const payload = await shopify.session.decodeSessionToken(src.searchParams.get("id_token")!);
    expect(payload).toMatchObject({
      dest: `https://${SHOP}`,
      aud: API_KEY,
      iss: `https://${SHOP}/admin`,
    });
    expect(payload.exp - payload.iat).toBe(60);
  });

  it("hands fresh tokens to the app's origin only", async () => {
    const answer = await fetch(`${admin.url}/sandbox/session-token`, {
      headers: { origin: APP_URL },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("access-control-allow-origin")).toBe(APP_URL);
    const { token, expiresAt } = await answer.json();
    expect(expiresAt).toBeGreaterThan(Date.now());
    expect((await shopify.session.decodeSessionToken(token)).dest).toBe(`https://${SHOP}`);

    const stranger = await fetch(`${admin.url}/sandbox/session-token`, {
      headers: { origin: "http://evil.test" },
    });
    expect(stranger.status).toBe(403);
  });

  it("serves the App Bridge stand-in as a script the app's origin may load", async () => {
    const script = await fetch(admin.appBridgeUrl);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("javascript");
    const source = await script.text();
    expect(source).toContain("window.shopify =");
    expect(source).toContain("shopify:navigate");
  });

  it("only takes simulator commands as JSON", async () => {
    const form = await fetch(`${admin.url}/sandbox/simulator`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "action=pause",
    });
    expect(form.status).toBe(415);
  });
});

describe("in production", () => {
  const previous = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = previous;
  });

  it("the token minter, the Admin (with the App Bridge stand-in) and the tunnel refuse to start", async () => {
    await expect(startSandboxAdmin({ ...options, nodeEnv: "production" })).rejects.toBeInstanceOf(
      SandboxInProductionError,
    );
    process.env.NODE_ENV = "production";
    await expect(startSandboxAdmin(options)).rejects.toThrow(
      /refuses to start with NODE_ENV=production/,
    );
    await expect(
      mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET }),
    ).rejects.toBeInstanceOf(SandboxInProductionError);
    await expect(startTunnel({ target: APP_URL, frameAncestors: [] })).rejects.toBeInstanceOf(
      SandboxInProductionError,
    );
  });
});
