import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it, describe } from "vitest";
import { embeddedUrl, seedInstalledShop, startApp, type RunningApp } from "../helpers/app-server";
import { launchBrowser, newStaffPage } from "../helpers/browser";

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await startApp({
    seed: (dataDir) => seedInstalledShop(dataDir, { shopName: "Test Shop" }),
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("embedded Home screen in Chromium", () => {
  it("renders its Polaris heading and navigation even though App Bridge's CDN cannot load", async () => {
    const page = await newStaffPage(browser);
    // Shopify's CDN is unreachable here, exactly as offline; fail it fast instead of waiting.
    await page.route(/cdn\.shopify\.com/, (route) => route.abort());
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(await embeddedUrl(app.url, "/app"));
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
