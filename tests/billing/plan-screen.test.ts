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
import { recipeRuns, recipeSettings } from "../../db/schema/index";
import PlanScreen, { action, loader } from "../../app/routes/app.plan";
import { recordInstall } from "../../app/models/shops.server";
import { createSandboxStore } from "../../sandbox/store/generate";
import { billingOf } from "../../sandbox/store/billing";
import { describeWithRuntime } from "../helpers/runtime";
import { storeOfflineSession, withShopifyAdminFake } from "../helpers/shopify-admin";
import { SHOP_A } from "../helpers/vendors";

const store = createSandboxStore({ shopDomain: SHOP_A });
const fake = withShopifyAdminFake(() => store);
const DAY = 86_400_000;

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
const load = async () =>
  loader({ request: await adminRequest("/app/plan"), params: {}, context: {} });
const submit = async (fields: Record<string, string>) =>
  action({
    request: await adminRequest("/app/plan", {
      method: "POST",
      body: new URLSearchParams(fields),
    }),
    params: {},
    context: {},
  });

async function render(data: object) {
  const routes = [{ id: "screen", path: "/app/plan", loader: () => data, Component: PlanScreen }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`${APP_URL}/app/plan`));
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

describeWithRuntime("Plan screen", ({ runtime }) => {
  const db = () => runtime().database.db;
  const now = () => runtime().clock.now();

  let installedAt: Date;

  beforeAll(async () => {
    await storeOfflineSession(SHOP_A);
    installedAt = new Date(now().getTime() - 10 * DAY);
    await recordInstall(db(), SHOP_A, installedAt, {
      name: "Acme Outdoor",
      currency: "EUR",
      ianaTimezone: "Europe/Berlin",
      plan: "Development",
    });
    const run = (eventKey: string, orderId: string, outcome: "acted" | "skipped", ago: number) => ({
      shop: SHOP_A,
      recipeId: "vip-tier-sync",
      trigger: "orders/paid",
      eventKey,
      orderId,
      outcome,
      durationMs: 1,
      createdAt: new Date(now().getTime() - ago * DAY),
    });
    await db()
      .insert(recipeRuns)
      .values([
        run("a", "1001", "acted", 1),
        run("b", "1001", "acted", 2), // the same order again: counted once
        run("c", "1002", "acted", 3),
        run("d", "1003", "skipped", 1), // not acted on
        run("e", "1004", "acted", 40), // before this period
      ]);
    await db()
      .insert(recipeSettings)
      .values({ shop: SHOP_A, recipeId: "vip-tier-sync", enabled: true, config: {} });
  });

  it("shows Free's limits and use, sends the merchant to approve Growth as a test charge, and shows Growth active on return", async () => {
    const free = await load();
    expect(free.current).toMatchObject({
      name: "Free",
      paid: false,
      test: true,
      renewsOn: null,
      lapsed: null,
    });
    // A Free shop's 30-day period counts from the install, 10 days ago.
    expect(new Date(free.current.periodEnd).getTime()).toBe(installedAt.getTime() + 30 * DAY);
    expect(free.use).toEqual({
      recipesOn: { used: 1, limit: 2 },
      orders: { used: 2, limit: 100 },
      usageCharges: null,
    });
    expect(free.plans.map((p) => [p.name, p.action])).toEqual([
      ["Free", "current"],
      ["Growth", "choose"],
      ["Scale", "choose"],
    ]);
    const freeHtml = await render(free);
    expect(freeHtml).toContain("Free plan");
    expect(freeHtml).toContain("Choose Growth");
    expect(freeHtml).toContain("Orders acted on");
    expect(freeHtml).toContain("2 of 100");

    // Choosing Growth leaves the app for Shopify's confirmation page (App Bridge follows the header).
    const leaving = await submit({ intent: "choose", plan: "Growth" }).then(
      () => null,
      (thrown: unknown) => thrown as Response,
    );
    expect(leaving?.status).toBe(401);
    const confirmationUrl = leaving!.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url")!;
    expect(confirmationUrl).toContain(`${fake().url}/admin/charges/`);
    const [pending] = billingOf(store).subscriptions.slice(-1);
    expect(pending).toMatchObject({
      name: "Growth",
      status: "PENDING",
      test: true,
      trialDays: 14,
      returnUrl: "https://admin.shopify.com/store/acme-outdoor/apps/switchboard/app/plan",
    });

    const approved = await realFetch(confirmationUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "decision=approve",
      redirect: "manual",
    });
    expect(approved.headers.get("location")).toContain("/apps/switchboard/app/plan");

    // Back before the webhook: the screen learns the approval from Shopify.
    const growth = await load();
    expect(growth.current).toMatchObject({ name: "Growth", paid: true, trialDaysLeft: 14 });
    const created = Date.parse(pending!.createdAt);
    // Shopify charges first when the 14-day trial ends.
    expect(Date.parse(growth.current.renewsOn!)).toBe(created + 14 * DAY);
    expect(Date.parse(growth.current.periodEnd)).toBe(created + 30 * DAY);
    // A new subscription starts a new 30-day period: earlier orders no longer count.
    expect(growth.use).toEqual({
      recipesOn: { used: 1, limit: 5 },
      orders: { used: 0, limit: 2_000 },
      usageCharges: {
        amount: 0,
        cap: 200,
        currency: "USD",
        // The store sells in EUR: its upsell fees are waived, and the screen says so.
        notCharged:
          "Upsell fees are not charged: plan fees are billed in USD and your store sells in EUR.",
      },
    });
    expect(growth.plans.map((p) => p.action)).toEqual(["downgrade", "current", "upgrade"]);
    const html = await render(growth);
    expect(html).toContain("Growth plan");
    const berlin = (ms: number) =>
      new Date(ms).toLocaleDateString("en-US", { timeZone: "Europe/Berlin", dateStyle: "medium" });
    expect(html).toContain(`Free trial: 14 days left, first charge ${berlin(created + 14 * DAY)}`);
    expect(html).toContain(`This period (until ${berlin(created + 30 * DAY)})`);
    expect(html).toContain("$0.00 of $200.00 cap (USD)");
    // The fee's cap reads like the price beside it, in one money format.
    expect(html).toContain("$19.00 / 30 days");
    expect(html).toContain("of charged post-purchase upsell revenue, at most $200.00 per 30 days");
    expect(html).toContain("your store sells in EUR");
    expect(html).toContain("Upgrade to Scale");
    expect(html).toContain("Downgrade to Free");
    expect(html).toContain("Cancel Growth plan");

    expect(await submit({ intent: "choose", plan: "Growth" })).toEqual({
      ok: false,
      message: "You are already on the Growth plan.",
    });
    expect(await submit({ intent: "choose", plan: "Platinum" })).toEqual({
      ok: false,
      message: "Choose a plan.",
    });

    expect(await submit({ intent: "cancel" })).toEqual({
      ok: true,
      message: "Your Growth plan is cancelled. The Free plan's limits apply from now on.",
    });
    expect(billingOf(store).subscriptions.filter((s) => s.status === "ACTIVE")).toEqual([]);
    const after = await load();
    expect(after.current).toMatchObject({
      name: "Free",
      paid: false,
      lapsed: { name: "Growth", status: "CANCELLED" },
    });
    expect(await submit({ intent: "cancel" })).toEqual({
      ok: false,
      message: "You are already on the Free plan.",
    });
  });
});
