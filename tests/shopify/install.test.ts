import "../helpers/real-fetch";
import "../helpers/shopify";
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";
import { and, eq, like } from "drizzle-orm";
import { afterEach, expect, it, vi } from "vitest";
import { deliveries, historyImports, orders, sessions, shops } from "../../db/schema/index";
import { setRecipeEnabled } from "../../app/models/recipe-settings.server";
import { loader as appLoader } from "../../app/routes/app";
import { loader as homeLoader } from "../../app/routes/app._index";
import { openToken } from "../../app/models/session-storage.server";
import { sessionStorage } from "../../app/shopify.server";
import { log } from "../../app/utils/log.server";
import { hostParam, mintSessionToken } from "../../sandbox/session-token";
import { createSandboxStore } from "../../sandbox/store/index";
import type { SandboxStore } from "../../sandbox/store/index";
import { appUninstalledPayload } from "../fixtures/shopify-payloads";
import { describeWithRuntime } from "../helpers/runtime";
import { withShopifyAdminFake } from "../helpers/shopify-admin";
import { handleWebhook } from "../../app/webhooks/handle-webhook.server";
import { deliver, settledEvent, waitFor } from "../helpers/webhooks";

/**
 * The install as Shopify drives it: the merchant opens the app in Admin, which loads it with a
 * session token (`id_token`); the app has no session for the shop, so Shopify's library
 * exchanges the token for an offline token at /admin/oauth/access_token (the loopback fake),
 * stores it, and calls afterAuth, which looks the shop up and records the install.
 */

/** A store whose money is not in dollars, so a USD default could not pass for the real thing. */
function berlinStore(domain: string, name: string): SandboxStore {
  // Its history ends today (the clock's, so shifted-clock runs see it inside the import window).
  const store = createSandboxStore({
    shopDomain: domain,
    shopName: name,
    customerCount: 5,
    baseDate: new Date(),
  });
  Object.assign(store.shop, {
    currency: "EUR",
    ianaTimezone: "Europe/Berlin",
    timezone: "(GMT+01:00) Europe/Berlin",
    planDisplayName: "Shopify Plus",
  });
  return store;
}

const FIRST = "kaffeehaus.myshopify.com";
const THROTTLED = "teehaus.myshopify.com";
const stores = {
  [FIRST]: berlinStore(FIRST, "Kaffeehaus Mitte"),
  [THROTTLED]: berlinStore(THROTTLED, "Teehaus Kreuzberg"),
};

/** The request Shopify Admin makes when the merchant opens the app: embedded, with a fresh session token. */
async function openAppInAdmin(shop: string, path = "/app") {
  const { token } = await mintSessionToken({ shop, apiKey: API_KEY, apiSecret: API_SECRET_KEY });
  const url = new URL(`${APP_URL}${path}`);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", hostParam(shop));
  url.searchParams.set("id_token", token);
  return new Request(url);
}

describeWithRuntime("install and reinstall, as Shopify drives them", ({ runtime }) => {
  const fake = withShopifyAdminFake(() => stores[FIRST], {
    stores: [stores[THROTTLED]],
    app: { apiKey: API_KEY, apiSecret: API_SECRET_KEY },
    // bulk_operations/finish reaches the app's webhook handler as Shopify's delivery would.
    webhooks: {
      appUrl: APP_URL,
      secret: API_SECRET_KEY,
      topics: ["bulk_operations/finish"],
      fetch: (async (input: string | URL | Request, init?: RequestInit) =>
        handleWebhook(new Request(input, init))) as typeof fetch,
    },
  });
  const db = () => runtime().database.db;
  const shopRow = async (shop: string) =>
    (await db().select().from(shops).where(eq(shops.domain, shop)))[0];
  const sessionRow = async (shop: string) =>
    (
      await db()
        .select()
        .from(sessions)
        .where(eq(sessions.id, `offline_${shop}`))
    )[0];
  const shopLookups = (shop: string) =>
    fake()
      .operations()
      .filter((o) => o.shop === shop && o.operationName === "SwitchboardShopDetails");

  const importOf = async (shop: string) =>
    (await db().select().from(historyImports).where(eq(historyImports.shop, shop)))[0];
  /** Waits for the shop's history import to finish; answers it. */
  const importFinished = async (shop: string) => {
    await waitFor(async () => (await importOf(shop))?.status === "done", { timeoutMs: 20_000 });
    return (await importOf(shop))!;
  };

  afterEach(() => vi.restoreAllMocks());

  it("first install: token exchange, then the shop's name, currency, time zone and plan recorded", async () => {
    expect(await sessionRow(FIRST)).toBeUndefined();
    const before = runtime().clock.now();

    const layout = await appLoader({
      request: await openAppInAdmin(FIRST),
      params: {},
      context: {},
    });
    expect(layout).toMatchObject({ apiKey: API_KEY });

    // Shopify granted an expiring offline token with a refresh token, for this shop.
    const [grant, ...more] = fake().grants();
    expect(more).toEqual([]);
    expect(grant).toMatchObject({
      shop: FIRST,
      grantType: "token-exchange",
      requestedTokenType: "offline",
      expiring: true,
    });
    expect(grant!.refreshToken).toMatch(/^shprt_/);

    // The install is recorded with what Shopify says of the store: euros, Berlin, Plus.
    const row = await shopRow(FIRST);
    expect(row).toMatchObject({
      name: "Kaffeehaus Mitte",
      currency: "EUR",
      ianaTimezone: "Europe/Berlin",
      plan: "Shopify Plus",
      uninstalledAt: null,
    });
    expect(row!.installedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(shopLookups(FIRST).map((o) => o.errorCodes)).toEqual([[]]);

    // The tokens are stored sealed, and open to what Shopify issued.
    const stored = await sessionRow(FIRST);
    expect(stored!.accessToken).toMatch(/^sealed:/);
    expect(stored!.refreshToken).toMatch(/^sealed:/);
    expect(JSON.stringify(stored)).not.toContain(grant!.accessToken);
    expect(openToken(stored!.accessToken, FIRST, "accessToken")).toBe(grant!.accessToken);
    expect(openToken(stored!.refreshToken!, FIRST, "refreshToken")).toBe(grant!.refreshToken);

    // The next page the merchant opens uses the stored session: no second exchange.
    const home = await homeLoader({
      request: await openAppInAdmin(FIRST),
      params: {},
      context: {},
    });
    expect(home.shopName).toBe("Kaffeehaus Mitte");
    expect(fake().grants()).toHaveLength(1);

    // The install started the history import: the store's past orders are in the read model.
    const imported = await importFinished(FIRST);
    const held = await db().select().from(orders).where(eq(orders.shop, FIRST));
    const inWindow = stores[FIRST].orders.filter(
      (o) => new Date(o.createdAt).getTime() >= imported.since.getTime(),
    );
    expect(inWindow.length).toBeGreaterThan(0);
    expect(imported.orders).toBe(inWindow.length);
    expect(held.map((o) => o.id).sort()).toEqual(inWindow.map((o) => String(o.id)).sort());
  });

  it("reinstall after uninstall: the row and its settings kept, installedAt renewed, a new token stored", async () => {
    await db()
      .update(shops)
      .set({ settings: { digest: "weekly" } })
      .where(eq(shops.domain, FIRST));
    const first = (await shopRow(FIRST))!;
    const firstToken = fake().grants().at(-1)!.accessToken;
    const firstImport = await importFinished(FIRST);
    await setRecipeEnabled(db(), FIRST, "vip-tier-sync", true);

    // The merchant uninstalls: Shopify revokes the app's tokens and sends app/uninstalled.
    fake().revokeAccessTokens(FIRST);
    const webhookId = "install-test-uninstall";
    const uninstalled = await deliver(
      "app/uninstalled",
      appUninstalledPayload({ myshopify_domain: FIRST }),
      {
        shop: FIRST,
        webhookId,
      },
    );
    expect(uninstalled.status).toBe(200);
    expect((await settledEvent(db(), webhookId)).status).toBe("processed");
    expect((await shopRow(FIRST))!.uninstalledAt).not.toBeNull();
    expect(await sessionRow(FIRST)).toBeUndefined();

    // …and installs again: Admin opens the app, the library exchanges a new token.
    const home = await homeLoader({
      request: await openAppInAdmin(FIRST),
      params: {},
      context: {},
    });
    expect(home.shopName).toBe("Kaffeehaus Mitte");

    const again = (await shopRow(FIRST))!;
    expect(again.uninstalledAt).toBeNull();
    expect(again.installedAt.getTime()).toBeGreaterThan(first.installedAt.getTime());
    expect(again.createdAt.getTime()).toBe(first.createdAt.getTime());
    expect(again.settings).toEqual({ digest: "weekly" });
    expect(again.currency).toBe("EUR");

    // A reinstall imports the store's history again (the shop may have been redacted meanwhile),
    // and the lists kept by reconciliation are worked out again over it.
    expect((await importFinished(FIRST)).importId).not.toBe(firstImport.importId);
    const reconciled = await waitFor(async () => {
      const rows = await db()
        .select()
        .from(deliveries)
        .where(
          and(
            eq(deliveries.shop, FIRST),
            eq(deliveries.recipe, "vip-tier-sync"),
            like(deliveries.source, "reconcile/imported/%"),
          ),
        );
      return rows.length > 0 ? rows : undefined;
    });
    expect(reconciled).toHaveLength(1);

    const newToken = fake().grants().at(-1)!.accessToken;
    expect(newToken).not.toBe(firstToken);
    const stored = (await sessionRow(FIRST))!;
    expect(openToken(stored.accessToken, FIRST, "accessToken")).toBe(newToken);
  });

  it("a throttled or failing shop lookup still records the install, says so in the log, and fills the details on retry", async () => {
    const warn = vi.spyOn(log, "warn");
    // Shopify's bucket for this shop is empty and does not refill: every query is THROTTLED.
    fake().setThrottle({ currentlyAvailable: 0, restoreRate: 0 }, THROTTLED);

    const layout = await appLoader({
      request: await openAppInAdmin(THROTTLED),
      params: {},
      context: {},
    });
    expect(layout).toMatchObject({ apiKey: API_KEY });

    // Installed, but nothing about the store is guessed: no name, no currency (not USD), no zone.
    const row = (await shopRow(THROTTLED))!;
    expect(row).toMatchObject({
      currency: null,
      ianaTimezone: null,
      name: null,
      uninstalledAt: null,
    });
    const [message] = warn.mock.calls.map(([m]) => String(m)).filter((m) => m.includes(THROTTLED));
    expect(message).toContain("shop details lookup failed");
    expect(message).toContain("throttled");
    for (const grant of fake().grants()) {
      expect(message).not.toContain(grant.accessToken);
      if (grant.refreshToken) expect(message).not.toContain(grant.refreshToken);
    }
    expect(message).not.toContain(API_SECRET_KEY);

    // The sync-shop-details task asks again (and is throttled again) until Shopify has room.
    await waitFor(async () => shopLookups(THROTTLED).length >= 2, { timeoutMs: 20_000 });
    expect(shopLookups(THROTTLED).every((o) => o.errorCodes.includes("THROTTLED"))).toBe(true);
    // Then Shopify has room but errs (5xx) for a while: still asked again, not given up.
    fake().setFaults({ errorRate: 1 });
    fake().setThrottle({ currentlyAvailable: 2000, restoreRate: 100 }, THROTTLED);
    await waitFor(async () => shopLookups(THROTTLED).some((o) => o.status >= 500), {
      timeoutMs: 20_000,
    });
    expect((await shopRow(THROTTLED))!.currency).toBeNull();
    fake().setFaults({ errorRate: 0 });

    const filled = await waitFor(
      async () => {
        const current = await shopRow(THROTTLED);
        return current?.currency ? current : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(filled).toMatchObject({
      name: "Teehaus Kreuzberg",
      currency: "EUR",
      ianaTimezone: "Europe/Berlin",
      plan: "Shopify Plus",
    });
    expect(filled.installedAt.getTime()).toBe(row.installedAt.getTime());
    expect(await sessionStorage.loadSession(`offline_${THROTTLED}`)).toBeDefined();
  }, 60_000);
});
