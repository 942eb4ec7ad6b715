import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedUrl, seedInstalledShop, startApp, type RunningApp } from "../helpers/app-server";
import { launchBrowser, newStaffPage } from "../helpers/browser";
import { gapReportFixture } from "../fixtures/gap-report";

let app: RunningApp;
let browser: Browser;

const DAY = 86_400_000;

/**
 * The installed test shop in New York with a few weeks of orders, its 90-day report computed an
 * hour ago, its 30-day report asked for two minutes ago and still being computed, and the
 * post-purchase upsell already on.
 */
async function seed(dataDir: string) {
  await seedInstalledShop(dataDir, { shopName: "Test Shop" });
  const { openDatabase } = await import("../../app/db.server");
  const { gapReports, orders, recipeSettings, shops } = await import("../../db/schema/index");
  const { eq } = await import("drizzle-orm");
  const { TEST_SHOP } = await import("@shopify/shopify-api/test-helpers");
  const database = await openDatabase({ dataDir });
  const now = new Date();
  try {
    await database.db
      .update(shops)
      .set({ ianaTimezone: "America/New_York", currency: "USD" })
      .where(eq(shops.domain, TEST_SHOP));
    await database.db.insert(orders).values(
      [3, 9, 20].map((daysAgo, i) => ({
        shop: TEST_SHOP,
        id: String(5812345678901n + BigInt(i)),
        name: `#${1042 + i}`,
        currency: "USD",
        totalPrice: "129.50",
        currentTotalPrice: "129.50",
        createdAt: new Date(now.getTime() - daysAgo * DAY),
        sourceUpdatedAt: new Date(now.getTime() - daysAgo * DAY),
      })),
    );
    const report = gapReportFixture(TEST_SHOP, now, { timeZone: "America/New_York" });
    await database.db.insert(gapReports).values([
      { shop: TEST_SHOP, windowDays: 90, report, computedAt: new Date(report.computedAt) },
      { shop: TEST_SHOP, windowDays: 30, requestedAt: new Date(now.getTime() - 2 * 60_000) },
    ]);
    await database.db
      .insert(recipeSettings)
      .values({ shop: TEST_SHOP, recipeId: "post-purchase-upsell", enabled: true, config: {} });
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  app = await startApp({ seed });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function openScreen(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await newStaffPage(browser);
  await page.route(/cdn\.shopify\.com/, (route) => route.abort());
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(await embeddedUrl(app.url, path));
  await page
    .getByRole("heading", { level: 1, name: "Automation gaps" })
    .waitFor({ timeout: 15_000 });
  return { page, errors };
}

const overflows = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

describe("Automation gaps screen in Chromium, without App Bridge", () => {
  it("shows the scores, a missing measure's reason and the punch list by money at stake, and switches a recipe on", async () => {
    const { page, errors } = await openScreen("/app/gap-report");
    await page
      .getByText("Stores doing $1M–5M a year typically score 2.1 on order-to-cash")
      .waitFor();
    for (const score of ["1.5 of 3", "1.0 of 3", "2.0 of 3", "0.7 of 3"])
      await page.getByText(score, { exact: true }).waitFor();
    await page.getByText("Connect Gorgias to measure how fast tickets are answered.").waitFor();
    await page.getByRole("link", { name: "Connect Gorgias" }).waitFor();

    // A definition is one click away.
    await page.getByRole("button", { name: "How refund turnaround is measured" }).click();
    await page
      .getByText("Median time from a refund request to the refund, over refunded orders.")
      .waitFor();

    const items = page.locator("[data-punch-item]");
    expect(await items.locator("h3").allInnerTexts()).toEqual([
      "1. 412 lapsed customers were never reached",
      "2. 47 orders over $500 got no personal follow-up",
      "3. 1,920 orders saw no post-purchase offer",
    ]);
    await items
      .nth(0)
      .getByText("412 lapsed customers × $86.20 average order × 5 % win-back rate = $1,775.72")
      .waitFor();
    await items.nth(0).getByText("$1,776.00 at stake").waitFor();
    await items.nth(0).getByText("Win-back segments needs Klaviyo").waitFor();
    // Already on: no button, a badge.
    await items.nth(2).getByText("On", { exact: true }).waitFor();
    expect(await items.nth(2).getByRole("button").count()).toBe(0);
    await items
      .nth(2)
      .getByText(
        "Post-purchase upsell is already on: this gap is what remains at its current settings.",
        { exact: false },
      )
      .waitFor();
    expect(
      await items
        .nth(2)
        .getByRole("link", { name: "Review Post-purchase upsell's settings" })
        .getAttribute("href"),
    ).toContain("/app/recipes/post-purchase-upsell");
    await items
      .nth(1)
      .getByRole("link", { name: "Preview High-value white glove on your recent orders" })
      .waitFor();

    // What the merchant reads names things; ids stay out of the text.
    const text = await page.locator("body").innerText();
    for (const id of [
      "high-value-white-glove",
      "win-back-segments",
      "refund-turnaround",
      "first-response-time",
      "test-shop.myshopify.com",
    ])
      expect(text).not.toContain(id);

    await page.setViewportSize({ width: 1440, height: 900 });
    expect(await overflows(page)).toBe(false);
    await page.screenshot({ path: "tests/.artifacts/gap-report-1440.png", fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await overflows(page)).toBe(false);
    await page.screenshot({ path: "tests/.artifacts/gap-report-390.png", fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });

    // On paper: scores, measures and the punch list, without the buttons.
    await page.emulateMedia({ media: "print" });
    await page.getByText("1.5 of 3", { exact: true }).waitFor();
    await page.getByText("31 hours", { exact: true }).waitFor();
    await items.nth(0).getByText("$1,776.00 at stake").waitFor();
    expect(await page.getByRole("button", { name: "Refresh now" }).isVisible()).toBe(false);
    expect(
      await items
        .nth(1)
        .getByRole("button", { name: "Switch on High-value white glove" })
        .isVisible(),
    ).toBe(false);
    await page.emulateMedia({ media: "screen" });

    await items.nth(1).getByRole("button", { name: "Switch on High-value white glove" }).click();
    await items.nth(1).getByText("On", { exact: true }).waitFor({ timeout: 10_000 });
    // Stored: after a reload (read from the recipe settings, not the report) it is still on.
    await page.reload();
    await page.locator("[data-punch-item]").nth(1).getByText("On", { exact: true }).waitFor({
      timeout: 15_000,
    });
    expect(
      await page
        .locator("[data-punch-item]")
        .nth(1)
        .getByRole("button", { name: "Switch on High-value white glove" })
        .count(),
    ).toBe(0);
    expect(errors).toEqual([]);
  });

  it("says the report is being computed and keeps checking for it", async () => {
    const { page, errors } = await openScreen("/app/gap-report");
    // The window chooser: the 30-day report was asked for two minutes ago and is not ready.
    await page.getByRole("link", { name: "Last 30 days" }).click();
    const reloads: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/app/gap-report.data")) reloads.push(request.url());
    });
    await page.getByRole("heading", { name: "Reading the last 30 days of your store" }).waitFor();
    await page.getByText(/^Started \d+ minutes ago\. This page updates by itself/).waitFor();
    await page.waitForTimeout(9_000);
    expect(reloads.length).toBeGreaterThanOrEqual(1);
    await page.getByRole("heading", { name: "Reading the last 30 days of your store" }).waitFor();
    expect(await overflows(page)).toBe(false);
    expect(errors).toEqual([]);
  }, 60_000);
});
