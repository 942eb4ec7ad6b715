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
import { recipeRuns, shops } from "../../db/schema/index";
import Activity, { loader as activityLoader } from "../../app/routes/app.activity/route";
import Home, { loader as homeLoader } from "../../app/routes/app._index";
import { UpsellChart } from "../../app/components/UpsellAnalytics";
import { sandbox } from "../helpers/recipes";
import { describeWithRuntime } from "../helpers/runtime";
import { storeOfflineSession, withShopifyAdminFake } from "../helpers/shopify-admin";
import { DAY_MS, MINUTE_MS } from "../helpers/time";
import { SHOP_A, withVendorFakes } from "../helpers/vendors";

void realFetch;
withVendorFakes();
withShopifyAdminFake(sandbox);

/** UTC+14 all year (no DST): its day starts at 10:00 UTC the day before, so UTC days would split it. */
const ZONE = "Pacific/Kiritimati";
const OFFSET_MS = 14 * 60 * MINUTE_MS;

async function adminRequest(path: string) {
  return setUpValidRequest(
    {
      type: RequestType.Bearer,
      store: SHOP_A.replace(".myshopify.com", ""),
      apiKey: API_KEY,
      apiSecretKey: API_SECRET_KEY,
    },
    new Request(`${APP_URL}${path}`),
  );
}

async function render(Component: React.ComponentType, path: string, data: object) {
  const routes = [{ id: "screen", path: path.split("?")[0], loader: () => data, Component }];
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
  );
}

// Expectations come from Intl directly, not from the app's formatter.
const inZone = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat("en-US", { timeZone: ZONE, ...options });
const localDate = (at: Date) => new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);

describeWithRuntime("screens read times in the shop's time zone", ({ runtime }) => {
  const db = () => runtime().database.db;
  let runNo = 0;
  const run = (createdAt: Date, subject: string) =>
    db()
      .insert(recipeRuns)
      .values({
        shop: SHOP_A,
        recipeId: "review-request-timing",
        trigger: "fulfillment_events/create",
        eventKey: `shop-time-${++runNo}`,
        subject,
        outcome: "acted",
        actions: [
          { kind: "klaviyo-event", channel: "marketing", summary: "Ask", status: "requested" },
        ],
        reasons: [],
        durationMs: 1,
        createdAt,
      });

  beforeAll(async () => {
    await storeOfflineSession(SHOP_A);
    await db()
      .insert(shops)
      .values({ domain: SHOP_A, ianaTimezone: ZONE })
      .onConflictDoUpdate({ target: shops.domain, set: { ianaTimezone: ZONE } });
  });

  it("Home counts actions per day of the shop's calendar and labels the days as dates", async () => {
    const now = runtime().clock.now();
    const today = localDate(now);
    // The shop's midnight: a run just after it is today's, one just before is yesterday's,
    // although both fall on the same UTC day.
    const midnight = new Date(Date.parse(`${today}T00:00:00Z`) - OFFSET_MS);
    await run(midnight, "Order #7001");
    await run(new Date(midnight.getTime() - MINUTE_MS), "Order #7002");
    const data = await homeLoader({ request: await adminRequest("/app"), params: {}, context: {} });
    expect(data.shopTime.timeZone).toBe(ZONE);
    expect(data.perDay).toHaveLength(14);
    expect(data.perDay[13]).toEqual({ day: today, actions: 1, failures: 0 });
    expect(data.perDay[12]).toEqual({
      day: localDate(new Date(midnight.getTime() - MINUTE_MS)),
      actions: 1,
      failures: 0,
    });
    const html = await render(Home, "/app", data);
    // Today's bar is labelled with the shop's date ("Dec 6"), not an ISO fragment.
    expect(html).toContain(`>${inZone({ month: "short", day: "numeric" }).format(now)}</text>`);
    expect(html).not.toMatch(/>\d{2}-\d{2}<\/text>/);
  });

  it("Activity shows a recent run as relative and an older one as a date-time in the shop's zone", async () => {
    const now = runtime().clock.now();
    const older = new Date(now.getTime() - 3 * DAY_MS);
    await run(older, "Order #7003");
    await run(new Date(now.getTime() - 5 * MINUTE_MS), "Order #7004");
    const data = await activityLoader({
      request: await adminRequest("/app/activity"),
      params: {},
      context: {},
    });
    const html = await render(Activity, "/app/activity", data);
    expect(html).toContain(inZone({ dateStyle: "medium", timeStyle: "short" }).format(older));
    expect(html).toContain("5 minutes ago");
    // No ISO timestamp reaches the merchant's eye (the hydration data's script is for machines).
    const text = html.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<[^>]*>/g, " ");
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });

  it("the upsell chart labels its first, middle and last days as dates, kept inside the chart", async () => {
    const data = await homeLoader({ request: await adminRequest("/app"), params: {}, context: {} });
    const series = data.upsell.series;
    expect(series).toHaveLength(30);
    // The shop's days: the last is its today.
    expect(series.at(-1)!.date).toBe(localDate(runtime().clock.now()));
    const html = renderToString(
      createElement(UpsellChart, { series, currency: data.upsell.currency }),
    );
    const label = (date: string) =>
      new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric" }).format(
        new Date(`${date}T00:00:00Z`),
      );
    const ticks = [
      ...html.matchAll(
        /<text[^>]*text-anchor="(start|middle|end)"[^>]*>([A-Z][a-z]+ \d+)<\/text>/g,
      ),
    ].map((m) => [m[1], m[2]]);
    expect(ticks).toEqual([
      ["start", label(series[0]!.date)],
      ["middle", label(series[15]!.date)],
      ["end", label(series[29]!.date)],
    ]);
  });
});
