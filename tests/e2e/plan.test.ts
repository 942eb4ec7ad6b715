import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newStaffPage } from "../helpers/browser";

/**
 * Choosing a plan in `npm run demo`, as a merchant does in Admin: Plan → Choose Growth →
 * Shopify's confirmation page (the Admin fake's) → Approve → back on Plan with Growth active.
 * The store is paused (no simulated orders are needed) and starts without a subscription (`--plan Free`).
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

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-plan-"));
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "development" };
  // The test runner's own settings (tests/setup) are not the demo's.
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
    [
      "--import",
      "tsx",
      "sandbox/demo.ts",
      "--port",
      "0",
      "--data",
      dataDir,
      "--paused",
      "--plan",
      "Free",
    ],
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

describe("Plan in npm run demo", () => {
  it("chooses Growth, approves it on Shopify's confirmation page, and comes back to Growth active with its limits", async () => {
    const [, adminUrl] = await waitForOutput(/Open\s+(http:\/\/127\.0\.0\.1:\d+)\//, 240_000);
    const page = await newStaffPage(browser!);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const offMachine: string[] = [];
    await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => {
      offMachine.push(route.request().url());
      return route.abort();
    });

    await page.goto(`${adminUrl}/`);
    const app = page.frameLocator('iframe[title="Switchboard"]');
    const planLink = page
      .getByRole("navigation", { name: "Sandbox Admin" })
      .getByRole("link", { name: "Plan" });
    await planLink.waitFor({ timeout: 30_000 });
    await planLink.click();
    await app.getByRole("heading", { name: "Free plan" }).waitFor({ timeout: 45_000 });
    await app.getByText("of 100").waitFor();

    await app.getByRole("button", { name: "Choose Growth" }).click();
    // Shopify's confirmation page replaces Admin (App Bridge leaves the iframe).
    await page.waitForURL(/\/admin\/charges\/\d+\/confirm/, { timeout: 45_000 });
    await page.getByRole("heading", { name: "Approve the Growth plan" }).waitFor();
    await page.getByText("14-day free trial").waitFor();
    await page.getByText(/1% of charged post-purchase upsell revenue/).waitFor();
    await page.screenshot({ path: "tests/.artifacts/plan-confirmation.png" });
    await page.getByRole("button", { name: "Approve" }).click();

    await page.waitForURL(/\/apps\/switchboard\/app\/plan/, { timeout: 45_000 });
    await app.getByRole("heading", { name: "Growth plan" }).waitFor({ timeout: 45_000 });
    await app.getByText(/Free trial: 14 days left, first charge/).waitFor();
    await app.getByText("of 2,000").waitFor();
    await app.getByText("of 5").waitFor();
    await app.getByRole("button", { name: "Upgrade to Scale" }).waitFor();
    await page.screenshot({ path: "tests/.artifacts/plan-growth.png" });

    expect(errors).toEqual([]);
    expect(offMachine).toEqual([]);
  }, 300_000);
});
