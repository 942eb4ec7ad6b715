import { realFetch } from "../helpers/real-fetch";
import "../helpers/shopify";
import { randomUUID } from "node:crypto";
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
import { recipeRuns } from "../../db/schema/index";
import { homePlan } from "../../app/billing/plan-notices.server";
import { canProcessOrder, PLANS } from "../../app/billing/plans";
import { planStanding, shopBilling } from "../../app/models/billing.server";
import { recordInstall } from "../../app/models/shops.server";
import {
  decidePurchaseOffer,
  forgetShopOfferSettings,
} from "../../app/post-purchase/decide.server";
import { loader as homeLoader } from "../../app/routes/app._index";
import Recipes, {
  action as catalogAction,
  loader as catalogLoader,
} from "../../app/routes/app.recipes._index";
import {
  action as detailAction,
  loader as detailLoader,
} from "../../app/routes/app.recipes.$recipeId/route";
import { onPlan } from "../helpers/billing";
import { CATALOG, seedUpsellShop } from "../helpers/post-purchase";
import { payload, recipeKit, sandbox } from "../helpers/recipes";
import { describeWithRuntime } from "../helpers/runtime";
import { storeOfflineSession, withShopifyAdminFake } from "../helpers/shopify-admin";
import { SHOP_A, SHOP_B, withVendorFakes } from "../helpers/vendors";
import { deliver, settledEvent } from "../helpers/webhooks";

void realFetch;
withVendorFakes();
withShopifyAdminFake(sandbox);

const DAY = 86_400_000;
const FREE_RECIPES =
  "The Free plan allows 2 recipes switched on at once. Switch one off or upgrade your plan.";
const PAUSED = "Paused: the Free plan allows 2 recipes switched on";

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
const toggle = async (recipeId: string, enabled: boolean) =>
  catalogAction({
    request: await adminRequest("/app/recipes", {
      method: "POST",
      body: new URLSearchParams({ intent: "toggle", recipeId, enabled: String(enabled) }),
    }),
    params: {},
    context: {},
  });
const catalog = async () =>
  catalogLoader({ request: await adminRequest("/app/recipes"), params: {}, context: {} });

async function render(Component: React.ComponentType, path: string, data: object) {
  const routes = [{ id: "screen", path, loader: () => data, Component }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`${APP_URL}${path}`));
  if (context instanceof Response) throw new Error("unexpected redirect");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(
    createElement(
      AppProvider,
      { i18n: enTranslations },
      createElement(StaticRouterProvider, { router, context }),
    ),
  ).replaceAll("<!-- -->", "");
}

/** Big sandbox orders, in the shop's currency: the white-glove recipe (threshold 150) acts on each. */
const bigOrders = () =>
  sandbox()
    .orders.filter(
      (o) =>
        o.email &&
        o.currency === o.presentmentCurrency &&
        Number(o.totals.total.shop) >= 150 &&
        !o.cancelledAt,
    )
    .slice(0, 4);

describeWithRuntime("plan limits", ({ runtime }) => {
  const kit = recipeKit(runtime, SHOP_A, { plan: "Free" });
  const db = () => runtime().database.db;
  const now = () => runtime().clock.now();
  const orderCreated = (order: { id: number }) =>
    kit.send("orders/create", payload("orders/create", { orderId: order.id }));

  async function subscription(status: string) {
    const webhookId = randomUUID();
    const response = await deliver(
      "app_subscriptions/update",
      {
        app_subscription: {
          admin_graphql_api_id: "gid://shopify/AppSubscription/77",
          name: "Growth",
          status,
          admin_graphql_api_shop_id: "gid://shopify/Shop/1",
          created_at: new Date(now().getTime() - DAY).toISOString(),
          updated_at: now().toISOString(),
          currency: "USD",
          capped_amount: "200.0",
        },
      },
      { shop: SHOP_A, webhookId },
    );
    expect(response.status).toBe(200);
    expect(await settledEvent(db(), webhookId)).toMatchObject({ status: "processed" });
  }

  beforeAll(async () => {
    await storeOfflineSession(SHOP_A);
    await recordInstall(db(), SHOP_A, new Date(now().getTime() - 10 * DAY), {
      name: "Acme Outdoor",
      currency: "USD",
      ianaTimezone: "America/New_York",
      plan: "Development",
    });
    await kit.connect();
  });

  it("refuses switching on a third recipe on Free, saying the limit, with the way to the Plan screen", async () => {
    expect((await shopBilling(db(), SHOP_A, now())).plan.name).toBe("Free");
    await detailAction({
      request: await adminRequest("/app/recipes/high-value-white-glove", {
        method: "POST",
        body: new URLSearchParams({ intent: "save", config: JSON.stringify({ threshold: 150 }) }),
      }),
      params: { recipeId: "high-value-white-glove" },
      context: {},
    });
    expect(await toggle("high-value-white-glove", true)).toMatchObject({ ok: true });
    expect(await toggle("post-purchase-upsell", true)).toMatchObject({ ok: true });

    expect(await toggle("vip-tier-sync", true)).toEqual({
      ok: false,
      error: FREE_RECIPES,
      upgrade: true,
    });
    expect(
      await detailAction({
        request: await adminRequest("/app/recipes/vip-tier-sync", {
          method: "POST",
          body: new URLSearchParams({ intent: "toggle", enabled: "true" }),
        }),
        params: { recipeId: "vip-tier-sync" },
        context: {},
      }),
    ).toEqual({ intent: "toggle", ok: false, errors: { form: FREE_RECIPES }, upgrade: true });
    const after = await catalog();
    expect(after.recipes.filter((r) => r.enabled).map((r) => r.id)).toEqual([
      "post-purchase-upsell",
      "high-value-white-glove",
    ]);
    // Switching one off makes room.
    expect(await toggle("post-purchase-upsell", false)).toMatchObject({ ok: true });
    expect(await toggle("vip-tier-sync", true)).toMatchObject({ ok: true });
    expect(await toggle("post-purchase-upsell", true)).toEqual({
      ok: false,
      error: FREE_RECIPES,
      upgrade: true,
    });
  });

  it("a lapsed Growth plan pauses the recipe switched on last: it stops acting, the screens say Paused, Home says which plan stopped", async () => {
    await subscription("ACTIVE");
    expect((await shopBilling(db(), SHOP_A, now())).plan.name).toBe("Growth");
    expect(await toggle("post-purchase-upsell", true)).toMatchObject({ ok: true });
    const [first, second] = bigOrders();

    const before = await orderCreated(first!);
    await kit.runFor("high-value-white-glove", before.id);
    expect(
      (await kit.runs())
        .filter((r) => r.eventKey === `webhook/${before.id}`)
        .map((r) => r.recipeId)
        .sort(),
    ).toEqual(["high-value-white-glove", "post-purchase-upsell", "vip-tier-sync"]);

    await subscription("CANCELLED");
    const lapsed = await orderCreated(second!);
    const run = await kit.runFor("high-value-white-glove", lapsed.id);
    expect(run.outcome).toBe("acted");
    // The runs of one event are written together: the paused recipe has none.
    expect(
      (await kit.runs())
        .filter((r) => r.eventKey === `webhook/${lapsed.id}`)
        .map((r) => r.recipeId)
        .sort(),
    ).toEqual(["high-value-white-glove", "vip-tier-sync"]);

    const screen = await catalog();
    expect(screen.pausedReason).toBe(PAUSED);
    expect(screen.recipes.find((r) => r.id === "post-purchase-upsell")).toMatchObject({
      enabled: true,
      paused: true,
    });
    expect(screen.recipes.find((r) => r.id === "vip-tier-sync")).toMatchObject({ paused: false });
    const html = await render(Recipes, "/app/recipes", screen);
    expect(html).toContain(`${PAUSED}.`);
    expect(html).toMatch(/href="\/app\/plan[^"]*">Upgrade your plan</);
    const detail = await detailLoader({
      request: await adminRequest("/app/recipes/post-purchase-upsell"),
      params: { recipeId: "post-purchase-upsell" },
      context: {},
    });
    expect(detail.paused).toBe(PAUSED);

    const home = await homeLoader({ request: await adminRequest("/app"), params: {}, context: {} });
    expect(home.planNotices).toEqual([
      {
        id: "lapsed",
        tone: "warning",
        title: "Your Growth plan has stopped",
        text: "Shopify reports the Growth subscription as cancelled, so the Free plan's limits apply now: 2 recipes switched on, 100 orders acted on per 30 days, and no post-purchase offers. 1 recipe is paused until you choose a plan again or switch others off.",
        action: { content: "Choose a plan", url: "/app/plan" },
      },
    ]);
    expect(home.enabled.find((r) => r.id === "post-purchase-upsell")).toMatchObject({
      paused: true,
    });
  });

  it("skips the 101st order on Free with the plan's reason, keeps acting on orders acted on before, and Home says so", async () => {
    const [first, , third] = bigOrders();
    const standing = await planStanding(db(), SHOP_A, now());
    const missing = 100 - standing.orders.used;
    await db()
      .insert(recipeRuns)
      .values(
        Array.from({ length: missing }, (_, i) => ({
          shop: SHOP_A,
          recipeId: "high-value-white-glove",
          trigger: "orders/create",
          eventKey: `seeded/${i}`,
          orderId: String(9_100_000_000 + i),
          outcome: "acted" as const,
          durationMs: 1,
          createdAt: new Date(now().getTime() - DAY),
        })),
      );
    expect((await planStanding(db(), SHOP_A, now())).orders.used).toBe(100);

    const delivered = await kit.deliveries("high-value-white-glove");
    const refused = await orderCreated(third!);
    const run = await kit.runFor("high-value-white-glove", refused.id);
    const reason = canProcessOrder(PLANS.Free, 100);
    expect(reason).toMatchObject({
      ok: false,
      reason:
        "Not acted on: the Free plan's 100 orders this billing period are used. Upgrade to keep recipes running.",
    });
    expect(run).toMatchObject({
      outcome: "skipped",
      reasons: [!reason.ok && reason.reason],
      actions: [],
    });
    expect(await kit.deliveries("high-value-white-glove")).toHaveLength(delivered.length);

    // The first order was acted on this period: its later events are not a new order.
    const again = await orderCreated(first!);
    const carriedOn = await kit.runFor("high-value-white-glove", again.id);
    expect(carriedOn.outcome).toBe("acted");
    expect(carriedOn.reasons.join(" ")).not.toContain("Not acted on");

    const { notices } = await homePlan(db(), SHOP_A, now());
    expect(notices.map((n) => [n.id, n.title, n.action.url])).toEqual([
      ["lapsed", "Your Growth plan has stopped", "/app/plan"],
      ["orders-limit", "Recipes have stopped acting on new orders", "/app/plan"],
    ]);
    expect(notices[1]!.text).toContain(
      "The Free plan's 100 orders for this billing period are used.",
    );
  });

  it("Scale has no limits: the paused recipe runs again and orders past 100 are acted on", async () => {
    // Subscribed 5 days ago: the 100 orders above fall in this period too.
    await onPlan(db(), SHOP_A, "Scale", new Date(now().getTime() - 5 * DAY));
    const standing = await planStanding(db(), SHOP_A, now());
    expect(standing.orders).toMatchObject({ limit: null, refusal: { ok: true } });
    expect(standing.recipes.paused).toEqual([]);
    expect(await toggle("win-back-segments", true)).toMatchObject({ ok: true });
    expect(await toggle("open-ticket-suppression", true)).toMatchObject({ ok: true });
    expect(await toggle("low-stock-promo-pause", true)).toMatchObject({ ok: true });
    expect(await toggle("review-request-timing", true)).toMatchObject({ ok: true });
    expect((await catalog()).recipes.filter((r) => r.enabled && !r.paused)).toHaveLength(7);

    const [, , , fourth] = bigOrders();
    const event = await orderCreated(fourth!);
    const run = await kit.runFor("high-value-white-glove", event.id);
    expect(run.outcome).toBe("acted");
    expect(
      (await kit.runs())
        .filter((r) => r.eventKey === `webhook/${event.id}`)
        .map((r) => r.recipeId)
        .sort(),
    ).toEqual([
      "high-value-white-glove",
      "post-purchase-upsell",
      "vip-tier-sync",
      "win-back-segments",
    ]);
    expect((await homePlan(db(), SHOP_A, now())).notices).toEqual([]);
  });

  it("on Free the upsell recipe decides no offers in the engine either: its runs say the plan is why", async () => {
    await onPlan(db(), SHOP_A, "Free", now());
    expect(await toggle("high-value-white-glove", false)).toMatchObject({ ok: true });
    // Running now: vip-tier-sync and post-purchase-upsell, the two switched on first.
    expect((await planStanding(db(), SHOP_A, now())).recipes.running).toEqual([
      "vip-tier-sync",
      "post-purchase-upsell",
    ]);
    const [first] = bigOrders();
    const event = await orderCreated(first!);
    const run = await kit.runFor("post-purchase-upsell", event.id);
    expect(run).toMatchObject({
      outcome: "skipped",
      reasons: ["post-purchase offers are not included in the Free plan"],
      actions: [],
    });
  });

  it("shows no post-purchase offer on Free, saying the plan is why; Scale shows it", async () => {
    const facts = {
      shop: SHOP_B,
      referenceId: `ref-${randomUUID()}`,
      customerId: null,
      lineItems: [
        {
          productId: String(CATALOG.tent.productId),
          variantId: String(CATALOG.tent.variantId),
          quantity: 1,
        },
      ],
      initialTotal: "84.00",
      tokenCurrency: "USD",
      now: now(),
    };
    await seedUpsellShop(db(), SHOP_B, { mug: 20, lantern: 20 }, { plan: "Free", now: now() });
    forgetShopOfferSettings(SHOP_B);
    expect(await decidePurchaseOffer(runtime().database, facts)).toEqual({
      recipe: "post-purchase-upsell",
      offer: null,
      reason: "post-purchase offers are not included in the Free plan",
    });

    await onPlan(db(), SHOP_B, "Scale", now());
    forgetShopOfferSettings(SHOP_B);
    const scale = await decidePurchaseOffer(runtime().database, facts);
    expect(scale.offer).toMatchObject({ variantId: String(CATALOG.mug.variantId) });
  });
});
