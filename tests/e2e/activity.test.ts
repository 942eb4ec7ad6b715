import { createHmac, randomUUID } from "node:crypto";
import { API_SECRET_KEY, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderPayload } from "../fixtures/shopify-payloads";
import { embeddedUrl, seedInstalledShop, startApp, type RunningApp } from "../helpers/app-server";
import { launchBrowser, newStaffPage } from "../helpers/browser";

/**
 * Activity while a merchant watches it: a run made after the page opened appears without a
 * reload, and the disclosure they opened stays open. High-value white-glove tags big orders in
 * Shopify (no Klaviyo or Gorgias needed); one of its runs is there before the page opens.
 */

let app: RunningApp;
let browser: Browser;

async function sendWebhook(topic: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const response = await fetch(`${app.url}/webhooks/${topic}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": TEST_SHOP,
      "x-shopify-api-version": "2026-10",
      "x-shopify-webhook-id": randomUUID(),
      "x-shopify-triggered-at": new Date().toISOString(),
      "x-shopify-hmac-sha256": createHmac("sha256", API_SECRET_KEY).update(body).digest("base64"),
    },
    body,
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  app = await startApp({
    seed: async (dataDir) => {
      await seedInstalledShop(dataDir, { shopName: "Test Shop" });
      const { openDatabase } = await import("../../app/db.server");
      const { recipeRuns, recipeSettings } = await import("../../db/schema/index");
      const database = await openDatabase({ dataDir });
      try {
        await database.db.insert(recipeSettings).values({
          shop: TEST_SHOP,
          recipeId: "high-value-white-glove",
          enabled: true,
          enabledAt: new Date(),
          config: { threshold: 100, openTicket: false },
        });
        await database.db.insert(recipeRuns).values({
          shop: TEST_SHOP,
          recipeId: "high-value-white-glove",
          trigger: "orders/create",
          eventKey: "webhook/seeded",
          subject: "Order #1001",
          outcome: "skipped",
          reasons: ["$40.00 is below $100.00"],
          durationMs: 2,
          createdAt: new Date(Date.now() - 60_000),
        });
      } finally {
        await database.close();
      }
    },
  });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("Activity in Chromium", () => {
  it("shows a new run without a reload, keeps an open disclosure open, and shows no raw ids outside it", async () => {
    const page = await newStaffPage(browser);
    await page.route(/cdn\.shopify\.com/, (route) => route.abort());
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(await embeddedUrl(app.url, "/app/activity"));
    await page.getByRole("heading", { level: 1, name: "Activity" }).waitFor({ timeout: 30_000 });
    await page.getByText("1 skipped run hidden").waitFor();
    await page.getByText("Updated just now").waitFor();

    // Show the skipped run and open its details, as support would ask.
    await page.getByRole("button", { name: "Show", exact: true }).click();
    const skipped = page.getByRole("listitem").filter({ hasText: "Skipped: $40.00 is below" });
    await skipped.waitFor({ timeout: 15_000 });
    await skipped.getByRole("button", { name: "Details for support" }).click();
    await skipped.getByText("trigger orders/create").waitFor();
    // A reload would lose this.
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = "still here"));

    await sendWebhook(
      "orders/create",
      orderPayload({ id: 5_912_300_000_321, name: "#1361", total_price: "900.00" }),
    );
    const fresh = page.getByRole("listitem").filter({ hasText: /#1361 “white-glove” in Shopify/ });
    await fresh.waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe(
      "still here",
    );
    expect(
      await skipped
        .getByRole("button", { name: "Details for support" })
        .getAttribute("aria-expanded"),
    ).toBe("true");
    await page.getByText("Updated just now").waitFor();

    // Outside the disclosures, no 64-bit Shopify id or job key meets the merchant's eye.
    const visible = await page.evaluate(() => {
      const main = document.querySelector("[aria-label='Recipe runs']")!.cloneNode(true) as Element;
      main.querySelectorAll("[data-technical-details]").forEach((el) => el.remove());
      return main.textContent ?? "";
    });
    expect(visible).toContain("#1361");
    expect(visible).not.toMatch(/\d{7,}/);
    expect(visible).not.toMatch(/deliver-shopify|webhook\//);
    await page.screenshot({ path: "tests/.artifacts/activity-live.png", fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);

  it("reads in French when Shopify opens the app in French, and stays French as it updates", async () => {
    const page = await newStaffPage(browser);
    await page.route(/cdn\.shopify\.com/, (route) => route.abort());
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${await embeddedUrl(app.url, "/app/activity")}&locale=fr`);
    await page.getByRole("heading", { level: 1, name: "Activité" }).waitFor({ timeout: 30_000 });
    await page.getByRole("tab", { name: "Exécutions des recettes" }).waitFor();
    await page.getByText("1 exécution ignorée masquée").waitFor();
    await page.getByText("Mis à jour à l’instant").waitFor();
    await page.getByRole("button", { name: "Afficher", exact: true }).click();
    // The stored reason read in French, its amounts the French way (narrow no-break spaces).
    const skipped = page
      .getByRole("listitem")
      .filter({ hasText: /Ignoré : 40,00\s\$US est inférieur à/ });
    await skipped.waitFor({ timeout: 15_000 });
    await skipped.getByRole("button", { name: "Détails pour l’assistance" }).click();
    await skipped.getByText("déclencheur orders/create").waitFor();
    // The order the first test sent, in French, its tag as the merchant named it.
    const tagged = page
      .getByRole("listitem")
      .filter({ hasText: /« white-glove » à #1361 dans Shopify/ });
    await tagged.waitFor();
    // A live update (the loader again, with the same locale) keeps the screen French.
    await page.waitForTimeout(6_000);
    await tagged.waitFor();
    await page.getByText("Mis à jour à l’instant").waitFor();
    expect(await page.getByText("Details for support").count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
