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
 * The app's Admin blocks in the sandbox (`npm run demo`, paused so only our events arrive), as a
 * merchant walks to them: Orders → an order whose parcel was delayed → the automation timeline
 * block (the extension's own code) names the run by its recipe and links to Activity; Products →
 * a product → the post-purchase offer block, where a variant is chosen with the picker and saved.
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
  dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-blocks-e2e-"));
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
    { cwd: process.cwd(), env, stdio: ["ignore", "pipe", "pipe"], detached: true },
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

describe("the app's Admin blocks in the sandbox", () => {
  it("shows an order's recipe runs by name in the timeline block, and a product's offer settings in its block", async () => {
    const [, adminUrl] = await waitForOutput(/Open\s+(http:\/\/127\.0\.0\.1:\d+)\//, 300_000);
    const appUrl = (await waitForOutput(/✓ app\s+(http:\/\/127\.0\.0\.1:\d+)/, 1_000))[1]!;

    const page = await newStaffPage(browser!);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort());
    await page.goto(`${adminUrl}/`);
    const app = page.frameLocator('iframe[title="Switchboard"]');
    const menu = page.getByRole("navigation", { name: "Sandbox Admin" });
    await menu.getByRole("link", { name: "Recipes" }).waitFor({ timeout: 30_000 });

    // Activity for a store order: shipping-delay-outreach switched on, then its parcel is late.
    const recipesTitle = app.getByRole("heading", { name: "Recipes", level: 1 });
    for (let attempt = 0; attempt < 3 && !(await recipesTitle.isVisible()); attempt += 1) {
      await menu.getByRole("link", { name: "Recipes" }).click();
      await recipesTitle.waitFor({ timeout: 15_000 }).catch(() => undefined);
    }
    await app.getByRole("button", { name: "Switch on Shipping delay outreach" }).click();
    await app
      .getByRole("button", { name: "Switch off Shipping delay outreach" })
      .waitFor({ timeout: 10_000 });

    const orders = await (await fetch(`${adminUrl}/store/switchboard-sandbox/orders`)).text();
    const [, orderId, orderName] =
      /<a href="\/store\/switchboard-sandbox\/orders\/(\d+)">(#\d+)<\/a>/.exec(orders)!;
    const placedAt = new Date(Date.now() - 60_000).toISOString();
    const order = orderPayload({
      id: Number(orderId),
      name: orderName,
      created_at: placedAt,
      processed_at: placedAt,
      updated_at: placedAt,
    });
    await sendWebhook(appUrl, "orders/create", order);
    await sendWebhook(
      appUrl,
      "fulfillments/create",
      fulfillmentPayload({ id: 4_666_000_001, order_id: order.id }),
    );
    await sendWebhook(
      appUrl,
      "fulfillment_events/create",
      fulfillmentEventPayload({
        id: 9_666_001,
        fulfillment_id: 4_666_000_001,
        order_id: order.id,
        status: "delayed",
      }),
    );

    // Orders → the order → its timeline block.
    await menu.getByRole("link", { name: "Orders", exact: true }).click();
    await page.getByRole("link", { name: orderName!, exact: true }).click();
    await page.getByRole("heading", { name: new RegExp(`^${orderName}`) }).waitFor();
    const timeline = page.frameLocator('iframe[title="Switchboard automation timeline"]');
    await timeline
      .getByRole("heading", { name: "Switchboard automations" })
      .waitFor({ timeout: 15_000 });
    const run = timeline.getByText("Shipping delay outreach");
    for (let attempt = 0; attempt < 15 && !(await run.isVisible()); attempt += 1) {
      await page.waitForTimeout(1_000);
      await page.reload(); // the run is recorded once the webhook is processed
    }
    await run.waitFor({ timeout: 5_000 });
    const block = (await timeline.locator("body").innerText()) ?? "";
    expect(block).toMatch(/\d+ recipe runs? · \d+ sent/);
    expect(block).toContain("Trigger: Parcel scan");
    expect(block).not.toContain("fulfillment_events/");
    expect(block).not.toContain("gid://");
    expect(block).not.toContain("shipping-delay-outreach");
    await page.screenshot({ path: "tests/.artifacts/sandbox-order-block.png", fullPage: true });

    // The block's link opens Activity in the app.
    await timeline.getByRole("link", { name: "Open Activity" }).click();
    await page.waitForURL(/\/store\/switchboard-sandbox\/apps\/switchboard\/app\/activity$/);
    await app.getByRole("heading", { name: "Activity" }).waitFor({ timeout: 15_000 });

    // Products → a product → its offer block: choose a variant with the picker and save.
    const catalog = (await (await fetch(`${adminUrl}/sandbox/catalog.json`)).json()) as {
      products: { id: string; title: string; variants: { displayName: string }[] }[];
    };
    const [product, offered] = catalog.products;
    await page.goto(`${adminUrl}/store/switchboard-sandbox/products`);
    await page.getByRole("link", { name: product!.title, exact: true }).click();
    const offer = page.frameLocator('iframe[title="Switchboard post-purchase offer"]');
    await offer.getByRole("heading", { name: "Post-purchase offer" }).waitFor({ timeout: 15_000 });
    await offer.getByText("Offer this variant").waitFor();
    await offer.getByRole("button", { name: "Choose variant" }).first().click();
    const picker = page.getByRole("dialog", { name: "Select a variant" });
    const variantName = offered!.variants[0]!.displayName;
    await picker.getByRole("searchbox").fill(variantName);
    await picker.getByRole("radio", { name: variantName }).first().check();
    await picker.getByRole("button", { name: "Select" }).click();
    await offer.getByText(variantName).waitFor();
    await offer.getByRole("button", { name: "Save offer" }).click();
    await offer.getByText("Offer saved.").waitFor({ timeout: 10_000 });
    await page.screenshot({ path: "tests/.artifacts/sandbox-product-block.png", fullPage: true });

    // Saved in the app: after a reload the block names the variant again (Admin GraphQL's
    // displayName, which spells the separator its own way), and offers to remove it.
    await page.reload();
    await offer.getByRole("button", { name: "Remove offer" }).waitFor({ timeout: 15_000 });
    expect(await offer.locator("body").innerText()).toContain(offered!.title);
    expect(errors).toEqual([]);
  }, 420_000);
});
