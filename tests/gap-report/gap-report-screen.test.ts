import "../helpers/shopify";
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
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gapReports, orders, recipeSettings, shops } from "../../db/schema/index";
import { computeGapReportTask } from "../../app/jobs/contracts";
import { defineTask } from "../../app/jobs/define-task";
import { TASKS } from "../../app/jobs/tasks.server";
import GapReportScreen, { action, loader } from "../../app/routes/app.gap-report/route";
import { createRuntime, setRuntime, type Runtime } from "../../app/runtime.server";
import { sessionStorage } from "../../app/shopify.server";
import { describeEachDatabase } from "../helpers/database";
import { gapReportFixture } from "../fixtures/gap-report";

/**
 * The engine's task, registered so the screen can queue it; with no workers here nothing runs it.
 * (Once the engine registers it in TASKS, that registration is used as it is.)
 */
const tasks = TASKS.some((task) => task.name === computeGapReportTask.name)
  ? TASKS
  : [...TASKS, defineTask({ ...computeGapReportTask, async run() {} })];

async function adminRequest(path: string, init: RequestInit = {}) {
  return setUpValidRequest(
    { type: RequestType.Bearer, store: "test-shop", apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}${path}`, init),
  );
}

const load = async (path = "/app/gap-report") =>
  loader({ request: await adminRequest(path), params: {}, context: {} });
const act = async (fields: Record<string, string>) =>
  action({
    request: await adminRequest("/app/gap-report", {
      method: "POST",
      body: new URLSearchParams(fields),
    }),
    params: {},
    context: {},
  });

/** The screen as the server renders it, with the loader's real data, as text a merchant reads. */
async function render(data: object): Promise<string> {
  const routes = [
    { id: "screen", path: "/app/gap-report", loader: () => data, Component: GapReportScreen },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`${APP_URL}/app/gap-report`));
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

describeEachDatabase("Automation gaps screen", ({ use }) => {
  let runtime: Runtime;
  const db = () => runtime.database.db;
  const now = () => runtime.clock.now();
  const row = async (windowDays: number) =>
    (
      await db()
        .select()
        .from(gapReports)
        .where(and(eq(gapReports.shop, TEST_SHOP), eq(gapReports.windowDays, windowDays)))
    )[0];

  beforeAll(async () => {
    runtime = await createRuntime(use().database, { workers: false, tasks });
    setRuntime(runtime);
    await sessionStorage.storeSession(
      setUpValidSession({
        shop: TEST_SHOP,
        isOnline: false,
        expires: new Date(Date.now() + 86_400_000),
      } as any),
    );
    await db().insert(shops).values({
      domain: TEST_SHOP,
      name: "Test Shop",
      currency: "USD",
      ianaTimezone: "America/New_York",
    });
  });
  afterAll(async () => {
    setRuntime(undefined);
    await runtime?.stop({ timeoutMs: 1_000 });
  });

  describe("before any report", () => {
    it("points a shop without orders to the history import instead of computing", async () => {
      const data = await load();
      expect(data.state).toEqual({ status: "no-orders", importUrl: "/app" });
      expect(await row(90)).toBeUndefined();
      const html = await render(data);
      expect(html).toContain("No orders to read yet");
      expect(html).toContain("Import your order history on Home");
    });

    it("asks for the report on the first visit once there are orders, and says it is being computed", async () => {
      await db()
        .insert(orders)
        .values({
          shop: TEST_SHOP,
          id: "5812345678901",
          name: "#1042",
          currency: "USD",
          totalPrice: "129.50",
          currentTotalPrice: "129.50",
          createdAt: new Date(now().getTime() - 3 * 86_400_000),
          sourceUpdatedAt: new Date(now().getTime() - 3 * 86_400_000),
        });
      const data = await load("/app/gap-report?window=30");
      expect(data.windowDays).toBe(30);
      expect(data.state).toMatchObject({ status: "computing", requested: true });
      expect((await row(30))?.requestedAt).toBeInstanceOf(Date);
      const html = await render(data);
      expect(html).toContain("Reading the last 30 days of your store");
      expect(html).toContain("This page updates by itself");
    });

    it("says why the last attempt failed while it tries again", async () => {
      const { storeGapReportError } =
        await import("../../app/models/gap-report/gap-report-state.server");
      await storeGapReportError(
        db(),
        TEST_SHOP,
        30,
        "The report could not be computed: the database took too long to answer.",
      );
      const data = await load("/app/gap-report?window=30");
      expect(data.state).toMatchObject({
        status: "computing",
        lastError: "The report could not be computed: the database took too long to answer.",
      });
      const html = await render(data);
      expect(html).toContain("The last attempt to compute this report failed");
      expect(html).toContain(
        "the database took too long to answer. Switchboard tries again by itself.",
      );
    });

    it("treats a window it does not offer as the default 90 days", async () => {
      const data = await load("/app/gap-report?window=7");
      expect(data.windowDays).toBe(90);
    });
  });

  describe("with a computed report", () => {
    beforeAll(async () => {
      const report = gapReportFixture(TEST_SHOP, now());
      await db()
        .insert(gapReports)
        .values({
          shop: TEST_SHOP,
          windowDays: 90,
          report,
          computedAt: new Date(report.computedAt),
        })
        .onConflictDoUpdate({
          target: [gapReports.shop, gapReports.windowDays, gapReports.locale],
          set: { report, computedAt: new Date(report.computedAt), requestedAt: null },
        });
      // On since the report was computed: the screen says so, whatever the report recorded.
      await db()
        .insert(recipeSettings)
        .values({ shop: TEST_SHOP, recipeId: "vip-tier-sync", enabled: false, config: {} });
    });

    it("shows each area's score beside stores its size, the band, the measures and the ranked punch list", async () => {
      const data = await load();
      expect(data.state.status).toBe("ready");
      const html = await render(data);
      expect(html).toContain("Stores doing $1M–5M a year typically score 2.1 on order-to-cash");
      expect(html).toContain("1.5 of 3");
      expect(html).toContain("0.6 below stores your size.");
      expect(html).toContain("0.4 above stores your size.");
      expect(html).toContain("Connect Gorgias to measure how fast tickets are answered.");
      expect(html).toContain("31 hours");
      const first = html.indexOf("412 lapsed customers were never reached");
      const second = html.indexOf("47 orders over $500 got no personal follow-up");
      const third = html.indexOf("1,920 orders saw no post-purchase offer");
      expect(first).toBeGreaterThan(-1);
      expect(first).toBeLessThan(second);
      expect(second).toBeLessThan(third);
      expect(html).toContain("412 lapsed customers × $86.20 average order × 5 % win-back rate");
      // Nothing switched on yet: every recipe offers "Switch on", whatever the report recorded.
      expect(html).toContain("Switch on Post-purchase upsell");
      // Klaviyo is not connected: the item says what win-back needs before anyone clicks.
      expect(html).toContain("Win-back segments needs Klaviyo");
      expect(html).not.toContain("A fresh report is being computed");
    });

    it("switches a recipe on from its punch-list item, as the Recipes screen does", async () => {
      const refused = await act({ intent: "switch-on", recipeId: "win-back-segments" });
      expect(refused).toMatchObject({
        ok: false,
        error: expect.stringContaining("Connect Klaviyo"),
      });
      const result = await act({ intent: "switch-on", recipeId: "high-value-white-glove" });
      expect(result).toMatchObject({ intent: "switch-on", ok: true });
      const [setting] = await db()
        .select()
        .from(recipeSettings)
        .where(
          and(
            eq(recipeSettings.shop, TEST_SHOP),
            eq(recipeSettings.recipeId, "high-value-white-glove"),
          ),
        );
      expect(setting?.enabled).toBe(true);
      const data = await load();
      if (data.state.status !== "ready") throw new Error("expected the report");
      expect(
        data.state.report.punchList.find((item) => item.recipe?.id === "high-value-white-glove")
          ?.recipe?.enabled,
      ).toBe(true);
      const html = await render(data);
      expect(html).not.toContain("Switch on High-value white glove");
      expect(await act({ intent: "switch-on", recipeId: "no-such-recipe" })).toMatchObject({
        ok: false,
        error: "Unknown recipe.",
      });
    });

    it("asks for a fresh report on Refresh now and keeps the old one on screen meanwhile", async () => {
      const asked = now().getTime();
      const result = await act({ intent: "refresh", window: "90" });
      expect(result).toEqual({
        intent: "refresh",
        ok: true,
        message: "Recomputing the last 90 days.",
      });
      expect((await row(90))?.requestedAt?.getTime()).toBeGreaterThanOrEqual(asked);
      const data = await load();
      expect(data.state).toMatchObject({ status: "ready", stale: true });
      const html = await render(data);
      expect(html).toContain("A fresh report is being computed");
      expect(html).toContain("412 lapsed customers were never reached");
    });
  });
});
