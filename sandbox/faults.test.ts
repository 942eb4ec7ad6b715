import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RETRY } from "../app/jobs/define-task";
import { startSandboxAdmin, type SandboxAdmin } from "./admin/server";
import { DEFAULT_KLAVIYO_API_KEY, startKlaviyoFake, type KlaviyoFake } from "./fakes/klaviyo";
import { startGorgiasFake, type GorgiasFake } from "./fakes/gorgias";
import { startShopifyAdminFake, type ShopifyAdminFake } from "./fakes/shopify-admin";
import { FaultPanel, parseFaultAction, retryWindowSeconds } from "./faults";
import { createSandboxStore } from "./store/generate";

let klaviyo: KlaviyoFake;
let gorgias: GorgiasFake;
let shopify: ShopifyAdminFake;
let admin: SandboxAdmin;
let panel: FaultPanel;
const malformedSent: string[] = [];

const klaviyoLists = () =>
  fetch(`${klaviyo.url}/api/lists`, {
    headers: {
      authorization: `Klaviyo-API-Key ${DEFAULT_KLAVIYO_API_KEY}`,
      revision: "2026-07-15",
      accept: "application/vnd.api+json",
    },
  });

beforeAll(async () => {
  const store = createSandboxStore({ seed: 3, baseDate: new Date().toISOString() });
  [klaviyo, gorgias, shopify] = await Promise.all([
    startKlaviyoFake(),
    startGorgiasFake(),
    startShopifyAdminFake({ store }),
  ]);
  panel = new FaultPanel(
    { klaviyo, gorgias, shopify },
    {
      sendMalformedWebhook: async () => {
        malformedSent.push(`practice-${malformedSent.length + 1}`);
        return malformedSent.at(-1)!;
      },
    },
  );
  admin = await startSandboxAdmin({
    appUrl: "http://127.0.0.1:45998",
    shop: store.shop.domain,
    storeName: store.shop.name,
    storeHandle: "switchboard-sandbox",
    appHandle: "switchboard",
    apiKey: "k",
    apiSecret: "s",
    faults: {
      status: () => panel.status(),
      apply: (action) => panel.apply(action),
      credentials: [{ vendor: "Klaviyo", lines: [`Private API key: ${DEFAULT_KLAVIYO_API_KEY}`] }],
    },
  });
});

afterAll(async () => {
  await Promise.all([klaviyo?.close(), gorgias?.close(), shopify?.close(), admin?.close()]);
});

describe("practising failures in the sandbox", () => {
  it("takes a vendor down until the outage ends, and says since when", async () => {
    expect((await klaviyoLists()).status).toBe(200);
    const down = await panel.apply({ action: "outage-start", vendor: "klaviyo" });
    expect(down.vendors.find((v) => v.vendor === "klaviyo")!.outageSince).not.toBeNull();
    for (let i = 0; i < 3; i++) expect((await klaviyoLists()).status).toBeGreaterThanOrEqual(500);

    const up = await panel.apply({ action: "outage-end", vendor: "klaviyo" });
    expect(up.vendors.find((v) => v.vendor === "klaviyo")!.outageSince).toBeNull();
    expect((await klaviyoLists()).status).toBe(200);
  });

  it("rate-limits exactly the next calls, with a Retry-After, then answers normally", async () => {
    await panel.apply({ action: "rate-limit", vendor: "klaviyo", calls: 2 });
    const limited = [await klaviyoLists(), await klaviyoLists()];
    expect(limited.map((r) => r.status)).toEqual([429, 429]);
    expect(limited[0]!.headers.get("retry-after")).toBe("30");
    expect((await klaviyoLists()).status).toBe(200);
    expect(panel.status().vendors.find((v) => v.vendor === "klaviyo")!.rateLimitedCalls).toBe(0);
  });

  it("takes down only Shopify's Admin API, so signing in (token exchange) still works", async () => {
    await panel.apply({ action: "outage-start", vendor: "shopify" });
    try {
      const graphql = await fetch(`${shopify.url}/admin/api/2025-10/graphql.json`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-shopify-access-token": shopify.accessToken,
        },
        body: JSON.stringify({ query: "{ shop { name } }" }),
      });
      expect(graphql.status).toBeGreaterThanOrEqual(500);
      const token = await fetch(`${shopify.url}/admin/oauth/access_token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      // Answered by the token endpoint itself (an empty request is refused), not by the outage.
      expect(token.status).toBeLessThan(500);
      expect(await token.text()).not.toContain("injected");
    } finally {
      await panel.apply({ action: "outage-end", vendor: "shopify" });
    }
  });

  it("states the retry window the app's deliveries really use", () => {
    // 2 s doubling over 8 retries: 2 + 4 + … + 256 = 510 s.
    expect(retryWindowSeconds({ ...DEFAULT_RETRY, retryLimit: 8, retryDelaySeconds: 2 })).toBe(510);
    expect(panel.status().retryWindowMinutes).toBe(Math.round(retryWindowSeconds() / 60));
    expect(panel.status().retryAttempts).toBe(DEFAULT_RETRY.retryLimit + 1);
  });

  it("refuses unknown actions, vendors and call counts with a reason", () => {
    expect(parseFaultAction({ action: "outage-start", vendor: "mailchimp" })).toEqual({
      error: "vendor must be one of klaviyo, gorgias, shopify",
    });
    expect(parseFaultAction({ action: "rate-limit", vendor: "gorgias", calls: 0 })).toHaveProperty(
      "error",
    );
    expect(parseFaultAction({ action: "explode", vendor: "gorgias" })).toHaveProperty("error");
    expect(parseFaultAction({ action: "rate-limit", vendor: "gorgias" })).toEqual({
      action: "rate-limit",
      vendor: "gorgias",
      calls: 10,
    });
  });

  it("serves the panel from the sandbox Admin: a page with the demo's credentials, JSON commands only", async () => {
    const page = await fetch(`${admin.url}/faults`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Private API key: ${DEFAULT_KLAVIYO_API_KEY}`);
    const adminPage = await (
      await fetch(`${admin.url}/store/switchboard-sandbox/apps/switchboard/app`)
    ).text();
    expect(adminPage).toContain('href="/faults"');

    const form = await fetch(`${admin.url}/sandbox/faults`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "action=outage-start&vendor=gorgias",
    });
    expect(form.status).toBe(415);
    const bad = await fetch(`${admin.url}/sandbox/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ action: "outage-start", vendor: "nobody" }),
    });
    expect(bad.status).toBe(400);

    const sent = await fetch(`${admin.url}/sandbox/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ action: "malformed-webhook" }),
    });
    expect(sent.status).toBe(200);
    expect((await sent.json()).lastMalformedWebhook).toBe(malformedSent.at(-1));

    const down = await fetch(`${admin.url}/sandbox/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ action: "outage-start", vendor: "gorgias" }),
    });
    const status = await down.json();
    expect(
      status.vendors.find((v: { vendor: string }) => v.vendor === "gorgias").outageSince,
    ).not.toBe(null);
    expect((await (await fetch(`${admin.url}/sandbox/faults.json`)).json()).vendors).toHaveLength(
      3,
    );
    await panel.apply({ action: "outage-end", vendor: "gorgias" });
  });
});
