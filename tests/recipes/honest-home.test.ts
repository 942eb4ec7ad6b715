import { realFetch } from "../helpers/real-fetch";
import "../helpers/shopify";
import {
  API_KEY,
  API_SECRET_KEY,
  APP_URL,
  RequestType,
  setUpValidRequest,
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
import { beforeAll, expect, it } from "vitest";
import Home, { loader as homeLoader } from "../../app/routes/app._index";
import { loader as activityLoader } from "../../app/routes/app.activity/route";
import { action as integrationsAction } from "../../app/routes/app.integrations/route";
import { lateParcel } from "../../app/recipes/shipping-delay-outreach/fixtures/fulfillment_events-create";
import { recipeKit, sandbox } from "../helpers/recipes";
import { describeWithRuntime } from "../helpers/runtime";
import { waitFor } from "../helpers/webhooks";
import { storeOfflineSession, withShopifyAdminFake } from "../helpers/shopify-admin";
import { KLAVIYO_KEYS, SHOP_A, withVendorFakes } from "../helpers/vendors";

void realFetch;
const fakes = withVendorFakes();
withShopifyAdminFake(sandbox);

/** A request from the embedded app for shop A (App Bridge's bearer session token). */
async function adminRequest(path: string, init: RequestInit = {}) {
  return setUpValidRequest(
    {
      type: RequestType.Bearer,
      store: SHOP_A.replace(".myshopify.com", ""),
      apiKey: API_KEY,
      apiSecretKey: API_SECRET_KEY,
    },
    new Request(`${APP_URL}${path}`, init),
  );
}
const home = async () =>
  homeLoader({ request: await adminRequest("/app"), params: {}, context: {} });
const integrations = async (fields: Record<string, string>) =>
  integrationsAction({
    request: await adminRequest("/app/integrations", {
      method: "POST",
      body: new URLSearchParams(fields),
    }),
    params: {},
    context: {},
  });

async function renderHome(data: object) {
  const routes = [{ id: "home", path: "/app", loader: () => data, Component: Home }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`${APP_URL}/app`));
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

const DEFAULT_PROMISES =
  "They never offer what is out of stock, send each customer at most one marketing message a day, offer at most one upsell every 14 days and stay quiet while a customer has an open Gorgias ticket or has a refund pending or from the last 14 days.";

describeWithRuntime("an honest Home", ({ runtime }) => {
  const kit = recipeKit(runtime);

  beforeAll(async () => {
    await storeOfflineSession(SHOP_A);
    await kit.connect();
    await kit.enable("shipping-delay-outreach");
  });

  it("says what the shop's guard settings promise, not a fixed claim", async () => {
    expect((await home()).headline).toBe(`1 recipe is running. ${DEFAULT_PROMISES}`);
    await kit.guards({
      marketingMax: 3,
      marketingWindowHours: 48,
      upsellMax: 2,
      upsellWindowDays: 30,
      suppressWhileTicketOpen: false,
      suppressAfterRefund: true,
      refundWindowDays: 7,
    });
    expect((await home()).headline).toBe(
      "1 recipe is running. They never offer what is out of stock, send each customer at most 3 marketing messages every 2 days, offer at most 2 upsells every 30 days and stay quiet while a customer has a refund pending or from the last 7 days.",
    );
    await kit.guards({
      marketingWindowHours: 6,
      suppressWhileTicketOpen: false,
      suppressAfterRefund: false,
    });
    const data = await home();
    expect(data.headline).toBe(
      "1 recipe is running. They never offer what is out of stock, send each customer at most one marketing message every 6 hours and offer at most one upsell every 14 days.",
    );
    expect(await renderHome(data)).not.toContain("the same day");
    await kit.guards({});
  });

  it("with Klaviyo disconnected, holds the recipe's work, says so in a critical banner, and delivers it once on reconnect", async () => {
    expect(await integrations({ intent: "klaviyo-disconnect", confirmed: "yes" })).toMatchObject({
      ok: true,
    });
    const quiet = await home();
    expect(quiet.headline).toBe(
      `No recipe is running (1 waiting for an integration to be reconnected). ${DEFAULT_PROMISES}`,
    );
    expect(quiet.enabled).toEqual([
      expect.objectContaining({ id: "shipping-delay-outreach", waiting: true }),
    ]);
    expect(quiet.integrationGaps).toEqual([
      {
        vendor: "klaviyo",
        recipes: [{ id: "shipping-delay-outreach", title: "Shipping delay outreach" }],
        waiting: 0,
        title: "Klaviyo is not connected: Shipping delay outreach is waiting for it",
        text: "Nothing is waiting yet. What this recipe decides from now on waits for Klaviyo and is sent when you reconnect it; anything that waits more than 7 days is dropped instead of sent late.",
      },
    ]);

    const parcel = lateParcel("delayed");
    await kit.send("orders/create", parcel.ordersCreate);
    await kit.send("fulfillments/create", parcel.fulfillmentsCreate);
    const event = await kit.send("fulfillment_events/create", parcel.lateEvent);
    const run = await kit.runFor("shipping-delay-outreach", event.id);
    expect(run.reasons).toContain("Waiting for Klaviyo to be connected");
    const statuses = Object.fromEntries(run.actions.map((a) => [a.kind, a.status]));
    expect(statuses).toEqual({ "klaviyo-event": "waiting", "gorgias-ticket": "requested" });
    const klaviyoKey = run.actions.find((a) => a.kind === "klaviyo-event")!.key!;

    const waiting = await home();
    expect(waiting.last24h.failures).toBe(0);
    expect(waiting.integrationGaps).toHaveLength(1);
    const [gap] = waiting.integrationGaps;
    expect(gap).toMatchObject({ vendor: "klaviyo", waiting: 1 });
    expect(gap!.text).toMatch(
      /^1 action is waiting for Klaviyo, the oldest since .+\. Reconnect Klaviyo to send it; anything that waits more than 7 days is dropped instead of sent late\.$/,
    );
    const html = await renderHome(waiting);
    expect(html).toContain("Klaviyo is not connected: Shipping delay outreach is waiting for it");
    expect(html).toContain("Reconnect Klaviyo");
    expect(html).not.toContain("recipes are running");

    // A French admin reads the same banner, and the recipe's name, in French.
    const french = await homeLoader({
      request: await adminRequest("/app?locale=fr"),
      params: {},
      context: {},
    });
    expect(french.enabled).toEqual([
      expect.objectContaining({
        id: "shipping-delay-outreach",
        title: "Prévenir les retards d’expédition",
      }),
    ]);
    expect(french.integrationGaps[0]!.title).toBe(
      "Klaviyo n'est pas connecté : Prévenir les retards d’expédition l'attend",
    );
    expect(french.integrationGaps[0]!.text).toMatch(
      /^1 action attend Klaviyo, la plus ancienne depuis le .+\. Reconnectez Klaviyo pour l'envoyer ; ce qui attend plus de 7 jours est abandonné plutôt qu'envoyé en retard\.$/,
    );

    // Activity shows it as waiting, not skipped.
    const activity = await activityLoader({
      request: await adminRequest("/app/activity?view=deliveries&delivery=waiting"),
      params: {},
      context: {},
    });
    expect(activity.deliveries.map((d) => [d.operation, d.status])).toEqual([
      ["klaviyo-event", "waiting"],
    ]);
    const eventsBefore = fakes().klaviyo.state.events.length;

    const reconnected = await integrations({
      intent: "klaviyo-connect",
      apiKey: KLAVIYO_KEYS[SHOP_A],
    });
    expect(reconnected).toMatchObject({
      ok: true,
      message:
        "Connected to Klaviyo (Acme Outdoor). 1 action that waited is being sent to Klaviyo now.",
    });
    const [delivered] = await kit.settled([klaviyoKey]);
    expect(delivered!.status).toBe("succeeded");
    expect(fakes().klaviyo.state.events.length).toBe(eventsBefore + 1);
    const after = await home();
    expect(after.integrationGaps).toEqual([]);
    expect(after.headline).toBe(`1 recipe is running. ${DEFAULT_PROMISES}`);
    const settledRun = (await kit.runs("shipping-delay-outreach")).find((r) => r.id === run.id);
    expect(settledRun!.outcome).toBe("acted");
    expect(settledRun!.actions.map((a) => a.status)).toEqual(["requested", "requested"]);
    expect(fakes().klaviyo.state.events.length).toBe(eventsBefore + 1);
  });

  it("holds work already queued when Klaviyo is disconnected before it is sent, and sends it once on reconnect", async () => {
    const klaviyo = fakes().klaviyo;
    // Klaviyo fails the first try, so the delivery is still queued when the merchant disconnects.
    klaviyo.setFaults({ errorRate: 1 });
    const parcel = lateParcel("failure");
    await kit.send("orders/create", parcel.ordersCreate);
    await kit.send("fulfillments/create", parcel.fulfillmentsCreate);
    const event = await kit.send("fulfillment_events/create", parcel.lateEvent);
    const run = await kit.runFor("shipping-delay-outreach", event.id);
    const key = run.actions.find((a) => a.kind === "klaviyo-event")!.key!;
    const tried = async () =>
      (await kit.deliveries("shipping-delay-outreach")).find((d) => d.idempotencyKey === key);
    await waitFor(async () => (await tried())?.lastError, { timeoutMs: 20_000 });
    expect((await tried())!.status).toBe("queued");

    expect(await integrations({ intent: "klaviyo-disconnect", confirmed: "yes" })).toMatchObject({
      ok: true,
    });
    klaviyo.setFaults({ errorRate: 0 });
    // Its next try finds Klaviyo gone: held, not failed, and Home counts it as waiting.
    const held = await waitFor(
      async () => {
        const row = await tried();
        return row?.status === "waiting" ? row : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(held.lastError).toBe("Waiting for Klaviyo to be connected");
    const waiting = await home();
    expect(waiting.last24h.failures).toBe(0);
    expect(waiting.integrationGaps).toEqual([
      expect.objectContaining({ vendor: "klaviyo", waiting: 1 }),
    ]);
    const eventsBefore = klaviyo.state.events.length;

    expect(
      await integrations({ intent: "klaviyo-connect", apiKey: KLAVIYO_KEYS[SHOP_A] }),
    ).toMatchObject({
      ok: true,
      message:
        "Connected to Klaviyo (Acme Outdoor). 1 action that waited is being sent to Klaviyo now.",
    });
    const [delivered] = await kit.settled([key]);
    expect(delivered!.status).toBe("succeeded");
    expect(klaviyo.state.events.length).toBe(eventsBefore + 1);
  });
});
