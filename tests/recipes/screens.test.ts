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
import { loader as activityLoader } from "../../app/routes/app.activity/route";
import { action as homeAction, loader as homeLoader } from "../../app/routes/app._index";
import Recipes, {
  action as catalogAction,
  loader as catalogLoader,
} from "../../app/routes/app.recipes._index";
import RecipeDetail, {
  action as detailAction,
  loader as detailLoader,
} from "../../app/routes/app.recipes.$recipeId/route";
import { action as guardsAction } from "../../app/routes/app.recipes.guards";
import { getGuardConfig, getRecipeSettings } from "../../app/models/recipe-settings.server";
import type { Locale } from "../../app/i18n/locale";
import { LocaleContext } from "../../app/i18n/react";
import { lateParcel } from "../../app/recipes/shipping-delay-outreach/fixtures/fulfillment_events-create";
import { payload, recipeKit, sandbox } from "../helpers/recipes";
import { describeWithRuntime } from "../helpers/runtime";
import { storeOfflineSession, withShopifyAdminFake } from "../helpers/shopify-admin";
import { SHOP_A, withVendorFakes } from "../helpers/vendors";

void realFetch;
withVendorFakes();
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
const post = async (path: string, fields: Record<string, string>) =>
  adminRequest(path, { method: "POST", body: new URLSearchParams(fields) });
const detail = async (recipeId: string, fields: Record<string, string>) =>
  detailAction({
    request: await post(`/app/recipes/${recipeId}`, fields),
    params: { recipeId },
    context: {},
  });
const save = (recipeId: string, config: unknown) =>
  detail(recipeId, { intent: "save", config: JSON.stringify(config) });

async function render(
  Component: React.ComponentType,
  path: string,
  data: object,
  locale: Locale = "en",
) {
  const routes = [{ id: "screen", path: path.split("?")[0], loader: () => data, Component }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`${APP_URL}${path}`));
  if (context instanceof Response) throw new Error("unexpected redirect");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(
    createElement(
      AppProvider,
      { i18n: enTranslations },
      createElement(
        LocaleContext.Provider,
        { value: locale },
        createElement(StaticRouterProvider, { router, context }),
      ),
    ),
  );
}

describeWithRuntime("recipe screens", ({ runtime }) => {
  const kit = recipeKit(runtime);

  beforeAll(async () => {
    await storeOfflineSession(SHOP_A);
  });

  it("lists the ten recipes with what each will do, switches off those whose integration is missing, and says why", async () => {
    const data = await catalogLoader({
      request: await adminRequest("/app/recipes"),
      params: {},
      context: {},
    });
    expect(data.recipes.map((r) => r.id)).toEqual([
      "post-purchase-upsell",
      "shipping-delay-outreach",
      "vip-tier-sync",
      "win-back-segments",
      "open-ticket-suppression",
      "low-stock-promo-pause",
      "high-value-white-glove",
      "review-request-timing",
      "replenishment-reminder",
      "abandoned-checkout-recovery",
    ]);
    const delay = data.recipes.find((r) => r.id === "shipping-delay-outreach")!;
    expect(delay).toMatchObject({ enabled: false, missing: ["Klaviyo", "Gorgias"] });
    expect(delay.willDo).toBe(
      "When a parcel is delayed, failed, attempted or not shipped 48 h after payment: sends “Shipment Delayed” to Klaviyo and opens a Gorgias ticket, once per shipment.",
    );
    expect(data.recipes.find((r) => r.id === "high-value-white-glove")!.missing).toEqual([]);
    const refused = await catalogAction({
      request: await post("/app/recipes", {
        intent: "toggle",
        recipeId: "shipping-delay-outreach",
        enabled: "true",
      }),
      params: {},
      context: {},
    });
    expect(refused).toEqual({
      ok: false,
      error: "Connect Klaviyo and Gorgias first: Shipping delay outreach needs them.",
    });
    const html = (await render(Recipes, "/app/recipes", data)).replaceAll("<!-- -->", "");
    expect(html).toContain("Needs Klaviyo and Gorgias");
    expect(html).toContain("What it will do:");

    await kit.connect();
    const on = await catalogAction({
      request: await post("/app/recipes", {
        intent: "toggle",
        recipeId: "shipping-delay-outreach",
        enabled: "true",
      }),
      params: {},
      context: {},
    });
    expect(on).toEqual({ ok: true, message: "Shipping delay outreach is on." });
    const after = await catalogLoader({
      request: await adminRequest("/app/recipes"),
      params: {},
      context: {},
    });
    expect(after.recipes.find((r) => r.id === "shipping-delay-outreach")).toMatchObject({
      enabled: true,
      missing: [],
    });
  });

  it("rejects bad settings with a message on the field: negative thresholds, absurd windows, unknown products and SKUs", async () => {
    expect(await save("low-stock-promo-pause", { threshold: -1 })).toEqual({
      intent: "save",
      ok: false,
      errors: { threshold: "Can't be negative" },
    });
    expect(await save("shipping-delay-outreach", { unshippedAfterHours: 100_000 })).toEqual({
      intent: "save",
      ok: false,
      errors: { unshippedAfterHours: "At most 720 hours" },
    });
    expect(await save("win-back-segments", { stages: "60, 5000" })).toEqual({
      intent: "save",
      ok: false,
      errors: { "stages.1": "At most 730 days" },
    });
    expect(await save("win-back-segments", { stages: "120, 60" })).toEqual({
      intent: "save",
      ok: false,
      errors: { stages: "List the days from shortest to longest, each once" },
    });
    expect(await save("review-request-timing", { daysAfterDelivery: 0 })).toMatchObject({
      ok: false,
      errors: { daysAfterDelivery: "At least 1 day" },
    });
    expect(await save("vip-tier-sync", { minLifetimeSpend: 0, minOrders: 0 })).toMatchObject({
      ok: false,
      errors: { minLifetimeSpend: "Set a spend or an order count (both are 0)" },
    });

    const store = sandbox();
    const realVariant = store.variants[0]!;
    const unknown = await save("post-purchase-upsell", {
      rules: [
        {
          productIds: "8412659999999",
          offerVariantId: "45118299999999",
          fallbackVariantId: `gid://shopify/ProductVariant/${realVariant.id}`,
        },
      ],
    });
    expect(unknown).toEqual({
      intent: "save",
      ok: false,
      errors: {
        "rules.0.offerVariantId": "This variant is no longer in your store: choose another",
        "rules.0.productIds": "One of these products is no longer in your store: remove it",
      },
    });
    expect(
      await save("post-purchase-upsell", { rules: [{ offerVariantId: "a mug" }] }),
    ).toMatchObject({
      ok: false,
      errors: {
        "rules.0.offerVariantId": "Enter a variant ID: digits, or gid://shopify/ProductVariant/…",
        "rules.0.productIds": "Say which orders get this offer: a product, a collection or a tag",
      },
    });
    expect(
      await save("replenishment-reminder", {
        items: [
          { sku: "NOT-A-SKU", days: 30 },
          { sku: realVariant.sku, days: 30 },
        ],
      }),
    ).toEqual({
      intent: "save",
      ok: false,
      errors: { "items.0.sku": "No variant with SKU NOT-A-SKU in your store" },
    });
    // Nothing invalid was stored.
    expect(await getRecipeSettings(kit.db(), SHOP_A, "replenishment-reminder")).toBeUndefined();

    const product = store.products[0]!;
    const saved = await save("post-purchase-upsell", {
      minimumStock: 4,
      rules: [
        {
          productIds: `${product.id}`,
          offerVariantId: String(realVariant.id),
          discount: { type: "percentage", value: 12.5 },
        },
      ],
    });
    expect(saved, JSON.stringify(saved)).toMatchObject({
      intent: "save",
      ok: true,
      message: "Settings saved.",
      warnings: [],
    });
    const stored = await getRecipeSettings(kit.db(), SHOP_A, "post-purchase-upsell");
    expect(stored!.config).toMatchObject({
      minimumStock: 4,
      rules: [
        {
          productIds: [String(product.id)],
          offerVariantId: String(realVariant.id),
          discount: { type: "percentage", value: 12.5 },
        },
      ],
    });
    const page = await detailLoader({
      request: await adminRequest("/app/recipes/post-purchase-upsell"),
      params: { recipeId: "post-purchase-upsell" },
      context: {},
    });
    expect(page.willDo).toMatch(/at least 4 in stock \(1 rule\)/);
    // The form names the product and the variant it offers by title, never by id.
    const variantProduct = store.products.find((p) => p.id === realVariant.productId)!;
    expect(page.resources).toEqual({
      [`product/${product.id}`]: { title: product.title, known: true },
      [`variant/${realVariant.id}`]: {
        title:
          realVariant.title === "Default Title"
            ? variantProduct.title
            : `${variantProduct.title} — ${realVariant.title}`,
        known: true,
        // Its price, for the offer preview.
        price: Number(realVariant.price).toFixed(2),
      },
    });
    const html = (await render(RecipeDetail, "/app/recipes/post-purchase-upsell", page)).replaceAll(
      "<!-- -->",
      "",
    );
    expect(html).toContain("Offer this variant");
    expect(html).toContain(`Remove ${product.title}`);
    // What the page shows (the hydration data carries the stored ids, as the form submits them).
    const shown = html.replace(/<script[\s\S]*?<\/script>/g, "");
    expect(shown).not.toContain(String(product.id));
    expect(shown).not.toContain(String(realVariant.id));
    expect(html).toContain("Dry run");

    // A French admin reads the same form in French: titles, units, buttons; names kept.
    const french = (
      await render(RecipeDetail, "/app/recipes/post-purchase-upsell?locale=fr", page, "fr")
    )
      .replaceAll("<!-- -->", "")
      .replace(/<script[\s\S]*?<\/script>/g, "");
    for (const words of [
      "Règles d’offre",
      "Proposer cette variante",
      "Ne proposer qu’une variante ayant au moins ce stock",
      "unités",
      "Pourcentage de réduction",
      "Ajouter une règle",
      `Retirer ${product.title}`,
      "Modifier la variante",
      "Simulation",
      "Lancer la simulation",
    ])
      expect(french).toContain(words);
    expect(french).not.toContain("Offer this variant");
    expect(french).not.toContain("Add rule");

    // An A/B test on the rule: its results sit beside the settings, versions by product title.
    const otherVariant = store.variants.find((v) => v.productId !== realVariant.productId)!;
    expect(
      await save("post-purchase-upsell", {
        minimumStock: 4,
        rules: [
          {
            name: "Mug buyers",
            productIds: `${product.id}`,
            offerVariantId: String(realVariant.id),
            discount: { type: "percentage", value: 10 },
            testShare: 50,
            testVariantId: String(otherVariant.id),
            testDiscount: { type: "percentage", value: 20 },
            holdoutShare: 10,
          },
        ],
      }),
    ).toMatchObject({ intent: "save", ok: true });
    const tested = await detailLoader({
      request: await adminRequest("/app/recipes/post-purchase-upsell"),
      params: { recipeId: "post-purchase-upsell" },
      context: {},
    });
    expect(tested.tests).toHaveLength(1);
    expect(tested.tests[0]).toMatchObject({ running: true, ruleName: "Mug buyers" });
    const withTest = (await render(RecipeDetail, "/app/recipes/post-purchase-upsell", tested))
      .replaceAll("<!-- -->", "")
      .replace(/<script[\s\S]*?<\/script>/g, "");
    expect(withTest).toContain("Rule “Mug buyers”: A/B test");
    expect(withTest).toContain("50 % of shoppers see version B, 10 % see no offer (the holdout).");
    expect(withTest).toContain("No buyer in this test yet in these days.");
    expect(withTest).not.toContain(String(otherVariant.id));
  });

  it("dry-runs a recipe over the last stored orders with unsaved settings, sending nothing", async () => {
    const parcel = lateParcel("failure");
    await kit.send("orders/create", parcel.ordersCreate);
    await kit.send("fulfillments/create", {
      ...parcel.fulfillmentsCreate,
      shipment_status: "failure",
    });
    const small = sandbox().orders.find((o) => Number(o.totals.total.shop) < 40 && o.email)!;
    await kit.send("orders/create", payload("orders/create", { orderId: small.id }));
    const deliveriesBefore = (await kit.deliveries()).length;

    const result = await detail("shipping-delay-outreach", {
      intent: "dry-run",
      orders: "10",
      config: JSON.stringify({ statuses: ["failure"] }),
    });
    if (result.intent !== "dry-run" || !result.ok) throw new Error(JSON.stringify(result));
    expect(result.result.orders).toBeGreaterThanOrEqual(2);
    const late = result.result.rows.find((r) => r.orderName === parcel.order.name)!;
    expect(late).toMatchObject({ outcome: "acted", trigger: "fulfillments/update" });
    expect(late.actions.map((a) => [a.kind, a.status])).toEqual([
      ["klaviyo-event", "would-request"],
      ["gorgias-ticket", "would-request"],
    ]);
    expect(result.result.rows.some((r) => r.orderName === small.name)).toBe(false);

    const review = await detail("review-request-timing", {
      intent: "dry-run",
      orders: "10",
      config: JSON.stringify({ daysAfterDelivery: 5 }),
    });
    if (review.intent !== "dry-run" || !review.ok) throw new Error(JSON.stringify(review));
    expect(review.result.rows.every((r) => r.actions.every((a) => a.status !== "requested"))).toBe(
      true,
    );
    expect((await kit.deliveries()).length).toBe(deliveriesBefore);
    expect(await kit.runs("shipping-delay-outreach")).toEqual([]);

    const invalid = await detail("shipping-delay-outreach", {
      intent: "dry-run",
      config: JSON.stringify({ statuses: [] }),
    });
    expect(invalid).toEqual({
      intent: "dry-run",
      ok: false,
      errors: { statuses: "Pick at least one carrier status" },
    });
  });

  it("saves the shared guards with inline errors for bad values", async () => {
    const bad = await guardsAction({
      request: await post("/app/recipes/guards", {
        config: JSON.stringify({ marketingWindowHours: 0, inventoryMaxAgeMinutes: -5 }),
      }),
      params: {},
      context: {},
    });
    expect(bad).toEqual({
      ok: false,
      errors: {
        marketingWindowHours: "At least 1 hour",
        inventoryMaxAgeMinutes: "Can't be negative",
      },
    });
    const good = await guardsAction({
      request: await post("/app/recipes/guards", {
        config: JSON.stringify({ marketingMax: 2, upsellWindowDays: 30 }),
      }),
      params: {},
      context: {},
    });
    expect(good).toMatchObject({
      ok: true,
      summary:
        "at most 2 marketing messages per customer every 24 h, 1 upsell every 30 days; nothing while a Gorgias ticket is open or a refund is pending or recent.",
    });
    expect(await getGuardConfig(kit.db(), SHOP_A)).toMatchObject({
      marketingMax: 2,
      upsellWindowDays: 30,
    });
    await kit.guards({});
  });

  it("shows runs on Home and in Activity, filtered by recipe, outcome, customer and order, with each delivery's attempts", async () => {
    await kit.connect();
    await kit.enable("shipping-delay-outreach");
    const parcel = lateParcel("delayed");
    await kit.send("orders/create", parcel.ordersCreate);
    await kit.send("fulfillments/create", parcel.fulfillmentsCreate);
    const event = await kit.send("fulfillment_events/create", parcel.lateEvent);
    const run = await kit.runFor("shipping-delay-outreach", event.id);
    await kit.settled(run.actions.map((a) => a.key!));

    const home = await homeLoader({ request: await adminRequest("/app"), params: {}, context: {} });
    expect(home.enabled.map((r) => r.id)).toEqual(["shipping-delay-outreach"]);
    expect(home.last24h).toMatchObject({ actions: 2, failures: 0 });
    expect(home.perDay).toHaveLength(14);
    expect(home.perDay[13]!.actions).toBe(2);
    expect(home.next.map((r) => r.id)).not.toContain("shipping-delay-outreach");
    expect(home.next).toHaveLength(3);
    expect(home.upsell.days).toBe(30);
    // The upsell section covers the span the merchant picks; anything else is the default.
    const homeFor = async (query: string) =>
      homeLoader({ request: await adminRequest(`/app?${query}`), params: {}, context: {} });
    expect((await homeFor("upsellDays=90")).upsell).toMatchObject({ days: 90 });
    expect((await homeFor("upsellDays=90")).upsell.series).toHaveLength(90);
    expect((await homeFor("upsellDays=12")).upsell.days).toBe(30);

    const load = async (query: string) =>
      activityLoader({
        request: await adminRequest(`/app/activity?${query}`),
        params: {},
        context: {},
      });
    const byRecipe = await load("recipe=shipping-delay-outreach&outcome=acted");
    expect(byRecipe.runs.map((r) => r.subject)).toEqual([`Order ${parcel.order.name}`]);
    const [listed] = byRecipe.runs;
    expect(
      listed!.actions.map((a) => [
        a.kind,
        a.delivery?.status,
        a.delivery?.calls.length ? "called" : "not called",
      ]),
    ).toEqual([
      ["klaviyo-event", "succeeded", "called"],
      ["gorgias-ticket", "succeeded", "called"],
    ]);
    expect(listed!.actions[1]!.delivery!.response).toMatchObject({ created: true });
    const customer = sandbox().customers.find((c) => c.id === parcel.order.customerId)!;
    expect(
      (await load(`customer=${encodeURIComponent(customer.email!.toUpperCase())}`)).runs.map(
        (r) => r.id,
      ),
    ).toEqual([listed!.id]);
    expect(
      (await load(`order=${encodeURIComponent(parcel.order.name)}`)).runs.map((r) => r.id),
    ).toContain(listed!.id);
    expect((await load("order=%239999999")).runs).toEqual([]);
    expect((await load("outcome=failed")).runs).toEqual([]);
    const deliveries = await load("view=deliveries&delivery=succeeded");
    expect(deliveries.deliveries.map((d) => d.operation).sort()).toEqual(
      expect.arrayContaining(["gorgias-ticket", "klaviyo-event"]),
    );
    // Customer data stays on the server: no emails in what the screen receives.
    expect(JSON.stringify(byRecipe)).not.toContain(customer.email!);

    // The recipe's own page lists its recent runs in Activity's words, by name.
    const page = await detailLoader({
      request: await adminRequest("/app/recipes/shipping-delay-outreach"),
      params: { recipeId: "shipping-delay-outreach" },
      context: {},
    });
    expect(page.runs[0]!.line).toEqual(listed!.line);
    expect(page.runs[0]!.line.sentence).toContain(parcel.order.name);
    const html = (await render(RecipeDetail, "/app/recipes/shipping-delay-outreach", page))
      .replaceAll("<!-- -->", "")
      .replace(/<script[\s\S]*?<\/script>/g, "");
    const recent = html.slice(html.indexOf("Recent runs"));
    expect(recent).toContain(listed!.line.sentence.replaceAll("'", "&#x27;"));
    expect(recent).not.toMatch(/\d{10,}|fulfillment_events\/create|klaviyo-event/);
  });

  it("ends an upsell A/B test from Home, and answers for the test it was asked about when it changed", async () => {
    const ask = async (key: string, arm: string) =>
      homeAction({
        request: await post("/app?index", { intent: "keep-test-version", key, arm }),
        params: {},
        context: {},
      });
    expect(await ask("t-not-running", "B")).toEqual({
      key: "t-not-running",
      kept: { ok: false, reason: "changed" },
    });
    await expect(ask("", "B")).rejects.toMatchObject({ status: 400 });
    await expect(ask("t-x", "C")).rejects.toMatchObject({ status: 400 });
  });
});
