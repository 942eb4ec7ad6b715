import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_API_SECRET, SANDBOX_SHOP } from "../../sandbox/config";
import {
  fulfillmentEventPayload,
  fulfillmentPayload,
  orderPayload,
} from "../fixtures/shopify-payloads";
import { launchBrowser, newStaffPage } from "../helpers/browser";

/**
 * A merchant's first recipe, in the sandbox (`npm run demo`, paused so only our events arrive):
 * switch on shipping-delay-outreach from the Recipes screen, a parcel is reported delayed, the
 * run shows in Activity with its deliveries, and the Klaviyo and Gorgias fakes hold the event and
 * the ticket (as the sandbox inbox shows them).
 */

let demo: ChildProcess | undefined;
let output = "";
let dataDir: string;
let browser: Browser | undefined;

function waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = setInterval(() => {
      const match = pattern.exec(output);
      if (match) {
        clearInterval(check);
        resolve(match);
      } else if (demo?.exitCode !== null || Date.now() - started > timeoutMs) {
        clearInterval(check);
        reject(new Error(`demo did not print ${pattern} (exit ${demo?.exitCode}):\n${output}`));
      }
    }, 100);
  });
}

/** A webhook exactly as Shopify sends it to the app, signed with the sandbox app's secret. */
async function sendWebhook(appUrl: string, topic: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const response = await fetch(`${appUrl}/webhooks/${topic}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": SANDBOX_SHOP,
      "x-shopify-api-version": "2026-10",
      "x-shopify-webhook-id": randomUUID(),
      "x-shopify-triggered-at": new Date().toISOString(),
      "x-shopify-hmac-sha256": createHmac("sha256", SANDBOX_API_SECRET)
        .update(body)
        .digest("base64"),
    },
    body,
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-recipes-e2e-"));
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "development" };
  for (const name of [
    "SHOPIFY_API_KEY",
    "SHOPIFY_API_SECRET",
    "SHOPIFY_APP_URL",
    "PGLITE_DATA_DIR",
    "LOG_LEVEL",
  ])
    delete env[name];
  demo = spawn(
    process.execPath,
    ["--import", "tsx", "sandbox/demo.ts", "--port", "0", "--data", dataDir, "--paused"],
    {
      cwd: process.cwd(),
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  demo.stdout!.on("data", (chunk) => (output += chunk));
  demo.stderr!.on("data", (chunk) => (output += chunk));
  browser = await launchBrowser();
}, 30_000);

afterAll(async () => {
  if (process.env.DEMO_TEST_DEBUG) console.log(output);
  await browser?.close();
  if (demo && demo.exitCode === null && demo.signalCode === null && demo.pid) {
    const exited = new Promise((resolve) => demo!.once("exit", resolve));
    process.kill(-demo.pid, "SIGKILL");
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 40_000);

describe("shipping-delay-outreach in the sandbox", () => {
  it("is switched on from Recipes, reaches out on a delayed parcel, and shows the run in Activity, the event in Klaviyo and the ticket in Gorgias", async () => {
    const [, adminUrl] = await waitForOutput(/Open\s+(http:\/\/127\.0\.0\.1:\d+)\//, 120_000);
    const appUrl = (await waitForOutput(/✓ app\s+(http:\/\/127\.0\.0\.1:\d+)/, 1_000))[1]!;
    expect(output).toMatch(/Klaviyo connected · Gorgias connected/);

    const page = await newStaffPage(browser!);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort());
    await page.goto(`${adminUrl}/`);
    const app = page.frameLocator('iframe[title="Switchboard"]');
    const menu = page.getByRole("navigation", { name: "Sandbox Admin" });
    await menu.getByRole("link", { name: "Recipes" }).waitFor({ timeout: 30_000 });

    // Recipes: the card says what it will do; one click switches it on. Home also names the
    // recipe (what to switch on next), so wait for the Recipes page itself; a click made while
    // the embedded app was still starting may be lost, so it is made again.
    const recipesTitle = app.getByRole("heading", { name: "Recipes", level: 1 });
    for (let attempt = 0; attempt < 3 && !(await recipesTitle.isVisible()); attempt += 1) {
      await menu.getByRole("link", { name: "Recipes" }).click();
      await recipesTitle.waitFor({ timeout: 15_000 }).catch(() => undefined);
    }
    await recipesTitle.waitFor({ timeout: 5_000 });
    await app
      .getByRole("heading", { name: "Shipping delay outreach" })
      .waitFor({ timeout: 15_000 });
    await app
      .getByText(
        "sends “Shipment Delayed” to Klaviyo and opens a Gorgias ticket, once per shipment",
      )
      .waitFor();
    await app.getByRole("button", { name: "Switch on Shipping delay outreach" }).click();
    await app
      .getByRole("button", { name: "Switch off Shipping delay outreach" })
      .waitFor({ timeout: 10_000 });
    await page.screenshot({ path: "tests/.artifacts/recipes-catalog.png", fullPage: true });

    // The store: an order, its shipment, then the carrier reports a delay. Placed a minute ago,
    // so it is among the newest the dry run below replays, above the imported history.
    const placedAt = new Date(Date.now() - 60_000).toISOString();
    const order = orderPayload({
      id: 5_555_000_000_001,
      name: "#4242",
      created_at: placedAt,
      processed_at: placedAt,
      updated_at: placedAt,
      email: "dana.delay@example.com",
      customer: {
        id: 7_555_000_001,
        email: "dana.delay@example.com",
        first_name: "Dana",
        last_name: "Delay",
        tags: "",
      },
    });
    await sendWebhook(appUrl, "orders/create", order);
    await sendWebhook(
      appUrl,
      "fulfillments/create",
      fulfillmentPayload({ id: 4_555_000_001, order_id: order.id }),
    );
    await sendWebhook(
      appUrl,
      "fulfillment_events/create",
      fulfillmentEventPayload({
        id: 9_555_001,
        fulfillment_id: 4_555_000_001,
        order_id: order.id,
        status: "delayed",
      }),
    );

    // Activity reads the run as sentences once both deliveries went through ("Sending: …" before).
    const run = app
      .getByRole("listitem")
      .filter({ hasText: "Shipping delay outreach" })
      .filter({ hasText: "#4242" });
    const delivered =
      /Sent .+ a shipping-delay update for #4242[\s\S]*Opened a Gorgias ticket for .+ about #4242/;
    for (
      let attempt = 0;
      attempt < 15 &&
      !((await run.count()) && delivered.test((await run.first().textContent()) ?? ""));
      attempt += 1
    ) {
      await menu.getByRole("link", { name: "Activity" }).click();
      await app.getByRole("heading", { name: "Activity" }).waitFor({ timeout: 10_000 });
      await page.waitForTimeout(1_000);
    }
    const text = (await run.first().textContent()) ?? "";
    expect(text).toContain("Acted");
    expect(text).toMatch(delivered);
    // The vendor calls are there for support, behind the row's disclosure.
    await run.first().getByRole("button", { name: "Details for support" }).click();
    expect(await run.first().textContent()).toMatch(/Delivered[\s\S]*Delivered/);
    await page.screenshot({ path: "tests/.artifacts/recipes-activity.png", fullPage: true });

    // The fakes got them: the sandbox inbox lists the Klaviyo event and the Gorgias ticket.
    const inbox = await browser!.newPage();
    await inbox.goto(`${adminUrl}/inbox`);
    await inbox
      .locator("#klaviyo-events")
      .getByText("Shipment Delayed")
      .waitFor({ timeout: 10_000 });
    await inbox
      .locator("#gorgias-tickets")
      .getByText("Order #4242 is delayed")
      .waitFor({ timeout: 10_000 });
    expect(await inbox.locator("#gorgias-tickets").textContent()).toContain("proactive-wismo");
    await inbox.close();

    // A recipe's settings: the form from its schema, inline errors, the in-page save bar (the
    // sandbox's App Bridge has no ui-save-bar), then a dry run over the stored orders.
    await menu.getByRole("link", { name: "Recipes" }).click();
    await app.getByRole("link", { name: "High-value white glove" }).click();
    const threshold = app.getByLabel("Orders worth at least");
    await threshold.waitFor({ timeout: 10_000 });
    await threshold.fill("-5");
    const saveBar = app.getByRole("region", { name: "Unsaved changes" });
    await saveBar.getByRole("button", { name: "Save" }).click();
    await app.getByText("At least 1", { exact: true }).waitFor();
    await threshold.fill("100");
    await saveBar.getByRole("button", { name: "Save" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "Settings saved." })
      .waitFor({ timeout: 10_000 });
    await saveBar.waitFor({ state: "detached" });
    await app.getByText("Orders of $100.00 or more").first().waitFor();
    await app.getByRole("button", { name: "Run dry run" }).click();
    const dryRun = app.getByRole("row").filter({ hasText: "#4242" });
    await dryRun.waitFor({ timeout: 15_000 });
    expect(await dryRun.textContent()).toMatch(
      /Would act[\s\S]*Would tag #4242 “white-glove” in Shopify/,
    );
    await page.screenshot({ path: "tests/.artifacts/recipes-detail.png", fullPage: true });
    expect(errors).toEqual([]);
  }, 240_000);
});
