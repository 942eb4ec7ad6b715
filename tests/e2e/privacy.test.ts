import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shopTime } from "../../app/utils/shop-time";
import { embeddedUrl, seedInstalledShop, startApp, type RunningApp } from "../helpers/app-server";
import { launchBrowser, newStaffPage } from "../helpers/browser";

let app: RunningApp;
let browser: Browser;

/** When the data request arrived: two hours before the test runs, so the screen shows a date-time. */
const RECEIVED_AT = new Date(Date.now() - 2 * 3_600_000);

/** The installed test shop, in Tokyo, with one data request exported. */
async function seed(dataDir: string) {
  await seedInstalledShop(dataDir, { shopName: "Test Shop" });
  const { openDatabase } = await import("../../app/db.server");
  const { privacyExports, shops } = await import("../../db/schema/index");
  const { eq } = await import("drizzle-orm");
  const { TEST_SHOP } = await import("@shopify/shopify-api/test-helpers");
  const database = await openDatabase({ dataDir });
  try {
    await database.db
      .update(shops)
      .set({ ianaTimezone: "Asia/Tokyo" })
      .where(eq(shops.domain, TEST_SHOP));
    await database.db.insert(privacyExports).values({
      shop: TEST_SHOP,
      customerId: "7001002003",
      dataRequestId: "9001",
      webhookId: "e2e-data-request",
      createdAt: RECEIVED_AT,
      data: {
        generatedAt: new Date().toISOString(),
        customer: { firstName: "Jane", lastName: "Doe", email: "jane.doe@example.com", tags: [] },
        orders: [
          {
            id: "5812345678901",
            name: "#1042",
            currency: "USD",
            totalPrice: "129.50",
            financialStatus: "paid",
            createdAt: new Date().toISOString(),
          },
        ],
      },
    });
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  app = await startApp({ seed });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("Privacy screen in Chromium, without App Bridge", () => {
  it("lists the data request, shows what is held, and downloads the JSON file", async () => {
    const page = await newStaffPage(browser);
    await page.route(/cdn\.shopify\.com/, (route) => route.abort());
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(await embeddedUrl(app.url, "/app/privacy"));
    await page.getByRole("heading", { level: 1, name: "Privacy" }).waitFor({ timeout: 15_000 });
    await page.getByRole("heading", { name: "Jane Doe" }).waitFor();
    // Tokyo's wall clock, whatever zone the machine runs in.
    await page.getByText("Times in Japan Standard Time.").waitFor();
    const tokyo = shopTime({ timeZone: "Asia/Tokyo" }).dateTime(RECEIVED_AT);
    await page.getByText(`Received ${tokyo}`).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download Jane Doe's data as JSON" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^customer-7001002003-data-export-\d+\.json$/);
    const file = JSON.parse(readFileSync((await download.path())!, "utf8"));
    expect(file.data.orders[0].name).toBe("#1042");

    await page.getByRole("link", { name: "View" }).click();
    await page.getByRole("heading", { name: "Data held on Jane Doe" }).waitFor({ timeout: 10_000 });
    await page.getByText("#1042").waitFor();
    await page.getByText("$129.50").waitFor();
    await page.screenshot({ path: "tests/.artifacts/privacy.png", fullPage: true });
    expect(errors).toEqual([]);
  });
});
