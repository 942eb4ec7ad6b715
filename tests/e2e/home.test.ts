import {
  getJwt,
  TEST_SHOP,
  TEST_SHOP_NAME,
  API_KEY,
  API_SECRET_KEY,
  BASE64_HOST,
} from "@shopify/shopify-api/test-helpers";
import { setUpValidSession } from "@shopify/shopify-api/test-helpers";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it, describe } from "vitest";
import { migrateDatabase, openDatabase } from "../../app/db.server";
import { sessions, shops } from "../../db/schema/index";
import { startApp, type RunningApp } from "../helpers/app-server";
import { launchBrowser, newStaffPage } from "../helpers/browser";

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await startApp({
    seed: async (dataDir) => {
      const database = await openDatabase({ dataDir });
      await migrateDatabase(database);
      const session = setUpValidSession({
        shop: TEST_SHOP,
        isOnline: false,
        expires: new Date(Date.now() + 86_400_000),
      } as any);
      await database.db.insert(sessions).values({
        id: session.id,
        shop: session.shop,
        state: session.state,
        isOnline: false,
        scope: session.scope ?? null,
        expires: session.expires ?? null,
        accessToken: session.accessToken!,
      });
      await database.db.insert(shops).values({ domain: TEST_SHOP, name: "Test Shop" });
      await database.close();
    },
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("embedded Home screen in Chromium", () => {
  it("renders its Polaris heading and navigation even though App Bridge's CDN cannot load", async () => {
    const { token } = await getJwt(TEST_SHOP_NAME, API_KEY, API_SECRET_KEY);
    const params = new URLSearchParams({
      embedded: "1",
      shop: TEST_SHOP,
      host: BASE64_HOST,
      id_token: token,
    });
    const page = await newStaffPage(browser);
    // Shopify's CDN is unreachable here, exactly as offline; fail it fast instead of waiting.
    await page.route(/cdn\.shopify\.com/, (route) => route.abort());
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${app.url}/app?${params}`);
    await page.getByRole("heading", { level: 1, name: "Switchboard" }).waitFor({ timeout: 15_000 });
    await page.getByRole("heading", { name: "Automations for Test Shop" }).waitFor();
    // Without App Bridge, the in-page navigation stands in for Admin's menu.
    await page
      .getByRole("navigation", { name: "Switchboard" })
      .getByRole("button", { name: "Activity" })
      .waitFor();
    await page.screenshot({ path: "tests/.artifacts/home.png", fullPage: true });
    expect(errors).toEqual([]);
  });
});
