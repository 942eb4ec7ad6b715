import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGorgiasFake, type GorgiasFake } from "../../sandbox/fakes/gorgias";
import {
  DEFAULT_KLAVIYO_API_KEY,
  startKlaviyoFake,
  type KlaviyoFake,
} from "../../sandbox/fakes/klaviyo";
import { embeddedUrl, seedInstalledShop, startApp, type RunningApp } from "../helpers/app-server";
import { launchBrowser, newStaffPage } from "../helpers/browser";

let app: RunningApp;
let browser: Browser;
let klaviyo: KlaviyoFake;
let gorgias: GorgiasFake;

beforeAll(async () => {
  klaviyo = await startKlaviyoFake({
    apiKeys: {
      [DEFAULT_KLAVIYO_API_KEY]: {
        accountName: "Test Shop Klaviyo",
        scopes: ["accounts:read", "events:write", "profiles:read", "profiles:write", "lists:read"],
      },
    },
  });
  gorgias = await startGorgiasFake({ domain: "test-shop-support" });
  app = await startApp({
    env: { KLAVIYO_API_URL: klaviyo.url, GORGIAS_API_URL: gorgias.apiUrl },
    seed: (dataDir) => seedInstalledShop(dataDir),
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await klaviyo?.close();
  await gorgias?.close();
});

describe("Integrations screen in Chromium, without App Bridge", () => {
  it("connects Klaviyo and Gorgias through the forms, showing errors inline and never the keys", async () => {
    const page = await newStaffPage(browser);
    await page.route(/cdn\.shopify\.com/, (route) => route.abort());
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(await embeddedUrl(app.url, "/app/integrations"));
    await page
      .getByRole("heading", { level: 1, name: "Integrations" })
      .waitFor({ timeout: 15_000 });

    // A wrong key is explained on the field.
    await page.getByLabel("Private API key").fill("pk_wrong_000000000000000000000000");
    await page.getByRole("button", { name: "Connect Klaviyo" }).click();
    await page.getByText("Klaviyo did not accept these credentials").waitFor();

    await page.getByLabel("Private API key").fill(DEFAULT_KLAVIYO_API_KEY);
    await page.getByRole("button", { name: "Connect Klaviyo" }).click();
    await page.getByText("Test Shop Klaviyo", { exact: true }).waitFor();
    await page.getByText("This key is missing scopes").waitFor();
    await page.getByText(`pk_…${DEFAULT_KLAVIYO_API_KEY.slice(-4)}`).waitFor();

    // Gorgias: a wrong domain first, then the right one.
    await page.getByLabel("Gorgias domain").fill("someone-else");
    await page.getByLabel("User email").fill(gorgias.account.email);
    await page.getByLabel("API key", { exact: true }).fill(gorgias.account.apiKey);
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByText('These credentials belong to the helpdesk "test-shop-support"').waitFor();
    await page.getByLabel("Gorgias domain").fill("test-shop-support");
    await page.getByRole("button", { name: "Connect Gorgias" }).click();
    await page.getByText("test-shop-support.gorgias.com").first().waitFor();
    await page.getByText("Registered in Gorgias").waitFor();
    await page.screenshot({ path: "tests/.artifacts/integrations.png", fullPage: true });

    const html = await page.content();
    expect(html).not.toContain(DEFAULT_KLAVIYO_API_KEY);
    expect(html).not.toContain(gorgias.account.apiKey);
    expect(app.output()).not.toContain(DEFAULT_KLAVIYO_API_KEY);
    expect(app.output()).not.toContain(gorgias.account.apiKey);
    expect(gorgias.state.integrations).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
