import { realFetch } from "../helpers/real-fetch";
import { shopifyFetch } from "../helpers/shopify";
import {
  API_KEY,
  API_SECRET_KEY,
  APP_URL,
  RequestType,
  setUpValidRequest,
  setUpValidSession,
  TEST_SHOP,
} from "@shopify/shopify-api/test-helpers";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import {
  createStaticHandler,
  createStaticRouter,
  StaticRouterProvider,
} from "react-router-dom/server";
import { AppProvider } from "@shopify/polaris";
import enTranslations from "@shopify/polaris/locales/en.json" with { type: "json" };
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { deliveries, deliveryAttempts, integrations } from "../../db/schema/index";
import { getRuntime } from "../../app/runtime.server";
import { setVendorEndpoints } from "../../app/integrations/config.server";
import { setRecipeEnabled } from "../../app/models/recipe-settings.server";
import { log, type Logger } from "../../app/utils/log.server";
import Integrations, { action, loader } from "../../app/routes/app.integrations/route";
import { ticketImportSummary } from "../../app/routes/app.integrations/components/GorgiasCard";
import { sessionStorage } from "../../app/shopify.server";
import { freePort } from "../helpers/app-server";
import { describeEachDatabase } from "../helpers/database";
import {
  GORGIAS_DOMAIN,
  GORGIAS_USERS,
  KLAVIYO_KEYS,
  SHOP_A,
  withVendorFakes,
} from "../helpers/vendors";

const fakes = withVendorFakes({
  extraKlaviyoKeys: {
    pk_scoped_5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b: {
      accountName: "Test Shop Klaviyo",
      scopes: ["accounts:read", "events:write", "profiles:read", "profiles:write"],
    },
  },
});
const SCOPED_KEY = "pk_scoped_5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b";
const GORGIAS_USER = GORGIAS_USERS[SHOP_A]!;
const SECRETS = [KLAVIYO_KEYS[SHOP_A], SCOPED_KEY, GORGIAS_USER.apiKey];

/** A request from the embedded app (App Bridge adds the session token as a bearer header). */
async function adminRequest(init: RequestInit = {}) {
  return setUpValidRequest(
    { type: RequestType.Bearer, store: "test-shop", apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}/app/integrations`, init),
  );
}

const load = async () => loader({ request: await adminRequest(), params: {}, context: {} });
const act = async (fields: Record<string, string>) =>
  action({
    request: await adminRequest({ method: "POST", body: new URLSearchParams(fields) }),
    params: {},
    context: {},
  });

/** The screen as the server renders it, with the loader's real data. */
async function renderScreen(): Promise<string> {
  const data = await load();
  const routes = [
    { id: "integrations", path: "/app/integrations", loader: () => data, Component: Integrations },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`${APP_URL}/app/integrations`));
  if (context instanceof Response) throw new Error("unexpected redirect");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(
    createElement(
      AppProvider,
      { i18n: enTranslations },
      createElement(StaticRouterProvider, { router, context }),
    ),
  );
}

// Everything the app logs during these tests, at every level, as written (after redaction).
const logged: string[] = [];
let previousLevel: Logger["level"];
beforeAll(() => {
  previousLevel = log.level;
  log.level = "debug";
  const stream = (log as unknown as Record<symbol, { write(line: string): unknown }>)[
    pino.symbols.streamSym
  ]!;
  vi.spyOn(stream, "write").mockImplementation((line: string) => logged.push(line));
});
// The runtime the route starts sets the process's level from LOG_LEVEL: put debug back.
beforeEach(() => {
  log.level = "debug";
});
afterAll(() => {
  log.level = previousLevel;
  vi.restoreAllMocks();
});
afterEach(() => {
  const { klaviyo, gorgias } = fakes();
  setVendorEndpoints({
    klaviyoBaseUrl: klaviyo.url,
    gorgiasBaseUrl: gorgias.apiUrl,
    timeoutMs: 1_000,
    fetch: realFetch,
  });
});

describeEachDatabase("Integrations screen", ({ use: testDatabase }) => {
  beforeAll(async () => {
    await sessionStorage.storeSession(
      setUpValidSession({
        shop: TEST_SHOP,
        isOnline: false,
        expires: new Date(Date.now() + 86_400_000),
      } as any),
    );
  });

  it("shows both vendors as not connected to begin with", async () => {
    expect(await load()).toMatchObject({ klaviyo: null, gorgias: null });
    const html = await renderScreen();
    expect(html).toContain("Connect Klaviyo");
    expect(html).toContain("Test connection");
  });

  it("explains a blank or wrong Klaviyo key on the field, without storing anything", async () => {
    expect(await act({ intent: "klaviyo-connect", apiKey: "  " })).toEqual({
      intent: "klaviyo-connect",
      ok: false,
      errors: { apiKey: "Enter your Klaviyo private API key." },
    });
    expect(fakes().klaviyo.received).toEqual([]);
    const wrong = await act({
      intent: "klaviyo-connect",
      apiKey: "pk_wrong_1234567890abcdef1234567890",
    });
    expect(wrong).toMatchObject({
      ok: false,
      errors: { apiKey: expect.stringContaining("Klaviyo did not accept these credentials") },
    });
    expect(await load()).toMatchObject({ klaviyo: null, gorgias: null });
  });

  it("connects Klaviyo after a real check, shows the account and the missing scopes, and keeps the key out of the page", async () => {
    const result = await act({ intent: "klaviyo-connect", apiKey: SCOPED_KEY });
    expect(result).toEqual({
      intent: "klaviyo-connect",
      ok: true,
      message: "Connected to Klaviyo (Test Shop Klaviyo).",
    });
    const data = await load();
    expect(data.klaviyo).toMatchObject({
      status: "connected",
      klaviyoAccountName: "Test Shop Klaviyo",
      secretHint: "pk_…3e5b",
      missingScopes: ["lists:read", "lists:write", "data-privacy:write"],
    });
    const html = await renderScreen();
    expect(html).toContain("Test Shop Klaviyo");
    expect(html).toContain("pk_…3e5b");
    expect(html).toContain("lists:write");
    // Checked a moment ago: said so, not as a date in the server's zone.
    expect(html).toMatch(/Last checked<\/span><span[^>]*>now<\/span>/);
    for (const secret of SECRETS) {
      expect(JSON.stringify(data)).not.toContain(secret);
      expect(JSON.stringify(result)).not.toContain(secret);
      expect(html).not.toContain(secret);
    }
    // At rest it is ciphertext with its key id.
    const [row] = await testDatabase().database.db.select().from(integrations);
    expect(row!.credentialsKeyId).toBe("local");
    expect(row!.credentials).not.toContain(SCOPED_KEY);
    expect(await act({ intent: "klaviyo-check" })).toEqual({
      intent: "klaviyo-check",
      ok: true,
      message: "Checked: the key still lacks lists:read, lists:write, data-privacy:write.",
    });
  });

  it("tells a wrong Gorgias domain, a wrong key and an unreachable host apart", async () => {
    const input = {
      domain: GORGIAS_DOMAIN,
      email: GORGIAS_USER.email,
      apiKey: GORGIAS_USER.apiKey,
    };
    expect(await act({ intent: "gorgias-test", ...input, domain: "somebody-else" })).toMatchObject({
      ok: false,
      errors: { domain: expect.stringContaining(`belong to the helpdesk "${GORGIAS_DOMAIN}"`) },
    });
    expect(await act({ intent: "gorgias-test", ...input, apiKey: "not-the-key" })).toMatchObject({
      ok: false,
      errors: { apiKey: expect.stringContaining("Gorgias did not accept these credentials") },
    });
    expect(await act({ intent: "gorgias-test", ...input, email: "nope" })).toMatchObject({
      ok: false,
      errors: { email: expect.any(String) },
    });
    setVendorEndpoints({
      gorgiasBaseUrl: "http://{domain}.invalid/api",
      fetch: realFetch,
      timeoutMs: 1_000,
    });
    expect(await act({ intent: "gorgias-test", ...input })).toMatchObject({
      ok: false,
      errors: {
        domain: `No Gorgias helpdesk answers at ${GORGIAS_DOMAIN}.invalid: check the domain (the "acme" in acme.gorgias.com).`,
      },
    });
    const closedPort = await freePort();
    setVendorEndpoints({
      gorgiasBaseUrl: `http://127.0.0.1:${closedPort}/api`,
      fetch: realFetch,
      timeoutMs: 1_000,
    });
    expect(await act({ intent: "gorgias-test", ...input })).toMatchObject({
      ok: false,
      errors: {
        form: expect.stringMatching(
          new RegExp(`^Couldn't reach Gorgias at 127\\.0\\.0\\.1:${closedPort} \\(.*ECONNREFUSED`),
        ),
      },
    });
    expect((await load()).gorgias).toBeNull();
  });

  it("tests, then connects Gorgias (domain typed as a URL), registering ticket updates", async () => {
    const input = {
      domain: `https://${GORGIAS_DOMAIN}.gorgias.com/`,
      email: GORGIAS_USER.email,
      apiKey: GORGIAS_USER.apiKey,
    };
    expect(await act({ intent: "gorgias-test", ...input })).toEqual({
      intent: "gorgias-test",
      ok: true,
      message: `It works: ${GORGIAS_DOMAIN}.gorgias.com accepted the key of ${GORGIAS_USER.email}.`,
    });
    expect((await load()).gorgias).toBeNull();
    expect(await act({ intent: "gorgias-connect", ...input })).toMatchObject({ ok: true });
    const data = await load();
    expect(data.gorgias).toMatchObject({
      gorgiasDomain: GORGIAS_DOMAIN,
      gorgiasEmail: GORGIAS_USER.email,
      webhookRegistered: true,
      secretHint: `…${GORGIAS_USER.apiKey.slice(-4)}`,
    });
    expect(fakes().gorgias.state.integrations[0]!.http.url).toBe(
      `${APP_URL}/integrations/gorgias/webhook?shop=${encodeURIComponent(TEST_SHOP)}`,
    );
    const html = await renderScreen();
    expect(html).toContain(`${GORGIAS_DOMAIN}.gorgias.com`);
    // Connecting started the import of open tickets; the card says where it stands.
    expect(html).toContain("Open tickets");
    expect(html).toMatch(
      /Importing… 0 open tickets found so far|0 open tickets imported when you connected/,
    );
    for (const secret of SECRETS) expect(html + JSON.stringify(data)).not.toContain(secret);
  });

  it("says how the open-ticket import went, in words a merchant reads", () => {
    const at = new Date().toISOString();
    const base = { startedAt: at, finishedAt: null, error: null };
    expect(
      ticketImportSummary(
        {
          ...base,
          status: "running",
          openTickets: 1,
          error: "Gorgias answered 503",
        },
        String,
      ),
    ).toEqual({
      text: "Importing… 1 open ticket found so far (retrying: Gorgias answered 503)",
      failure: null,
    });
    expect(ticketImportSummary({ ...base, status: "done", openTickets: 230 }, String).text).toBe(
      "230 open tickets imported when you connected; changes since arrive as they happen",
    );
    const failed = ticketImportSummary(
      {
        ...base,
        status: "failed",
        openTickets: 12,
        error: "Gorgias refused the stored key.",
      },
      String,
    );
    expect(failed.text).toBe("Import stopped after 12 open tickets");
    expect(failed.failure).toContain(
      "couldn't import your open Gorgias tickets: Gorgias refused the stored key.",
    );
    expect(failed.failure).toContain("connect again to retry the import");
  });

  it("asks before disconnecting, naming the switched-on recipes that will stop and saying their work will wait", async () => {
    const db = testDatabase().database.db;
    await setRecipeEnabled(db, TEST_SHOP, "review-request-timing", true);
    await setRecipeEnabled(db, TEST_SHOP, "shipping-delay-outreach", true);
    const data = await load();
    expect(data.klaviyo?.disconnectWarning).toBe(
      "Shipping delay outreach and Review request timing will stop sending to Klaviyo. What they decide meanwhile waits and is sent when you reconnect Klaviyo; anything that waits more than 7 days is dropped instead of sent late. Switchboard deletes the key; you can connect Klaviyo again at any time.",
    );
    expect(data.gorgias?.disconnectWarning).toMatch(
      /^Shipping delay outreach will stop sending to Gorgias\. What it decides meanwhile waits/,
    );
    // A disconnect that was not confirmed (a stray click, an old page) changes nothing.
    expect(await act({ intent: "klaviyo-disconnect" })).toEqual({
      intent: "klaviyo-disconnect",
      ok: false,
      errors: { form: "Confirm that you want to disconnect Klaviyo." },
    });
    expect((await load()).klaviyo).toMatchObject({ status: "connected" });
    await setRecipeEnabled(db, TEST_SHOP, "review-request-timing", false);
    await setRecipeEnabled(db, TEST_SHOP, "shipping-delay-outreach", false);
    expect((await load()).klaviyo?.disconnectWarning).toBe(
      "No switched-on recipe needs Klaviyo. Switchboard deletes the key; you can connect Klaviyo again at any time.",
    );
  });

  it("says a connected vendor is failing while its latest calls fail, and clears once it answers", async () => {
    const db = testDatabase().database.db;
    const now = (await getRuntime()).clock.now();
    const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
    const [delivery] = await db
      .insert(deliveries)
      .values({
        shop: TEST_SHOP,
        vendor: "klaviyo",
        operation: "klaviyo-list-add",
        idempotencyKey: `trouble-${now.getTime()}`,
        recipe: "vip-tier-sync",
        source: "customer/7300",
        payload: { list: "VIP customers" },
      })
      .returning({ id: deliveries.id });
    const call = (minutes: number, httpStatus: number | null) => ({
      deliveryId: delivery!.id,
      shop: TEST_SHOP,
      vendor: "klaviyo" as const,
      operation: "add-list-members",
      httpStatus,
      latencyMs: 40,
      attempt: 1,
      at: ago(minutes),
    });
    await db
      .insert(deliveryAttempts)
      .values([call(30, 202), call(9, 502), call(5, 502), call(2, null)]);
    const data = await load();
    expect(data.klaviyo?.trouble).toEqual({
      failed: 3,
      calls: 4,
      lastFailureAt: ago(2).toISOString(),
    });
    expect(data.gorgias?.trouble ?? null).toBeNull();
    const html = await renderScreen();
    expect(html).toContain("Failing");
    expect(html).toMatch(
      /Klaviyo is answering with errors: 3 of its last \d+ calls in the past hour failed/,
    );
    // Klaviyo answers again: the card is an all-clear again.
    await db.insert(deliveryAttempts).values([call(1, 202)]);
    expect((await load()).klaviyo?.trouble).toBeNull();
    expect(await renderScreen()).not.toContain("is answering with errors");
  });

  it("disconnects both once confirmed, deleting the keys", async () => {
    expect(await act({ intent: "klaviyo-disconnect", confirmed: "yes" })).toMatchObject({
      ok: true,
      message:
        "Disconnected Klaviyo; its key is deleted. Work for it waits until you reconnect (up to 7 days).",
    });
    expect(await act({ intent: "gorgias-disconnect", confirmed: "yes" })).toMatchObject({
      ok: true,
    });
    expect(await load()).toMatchObject({ klaviyo: null, gorgias: null });
    expect(await testDatabase().database.db.select().from(integrations)).toEqual([]);
  });

  it("never wrote a key to the logs, and never called Shopify", () => {
    expect(logged.join("\n")).toContain("connected Klaviyo");
    for (const secret of SECRETS) expect(logged.join("\n")).not.toContain(secret);
    expect(shopifyFetch).not.toHaveBeenCalled();
  });
});
