import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newStaffPage } from "../helpers/browser";

/**
 * `npm run demo` as a newcomer runs it: one command, then a plain browser at the printed URL.
 * The demo runs as a child on a temporary data directory and free ports, fast-forwarded
 * (120×: two store minutes a second) so orders arrive within seconds.
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

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-demo-"));
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
    ["--import", "tsx", "sandbox/demo.ts", "--port", "0", "--data", dataDir, "--speed", "120"],
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

describe("npm run demo", () => {
  it("shows the embedded app in a plain browser, with simulated orders arriving in Activity; Ctrl-C stops it all", async () => {
    const [, adminUrl] = await waitForOutput(/Open\s+(http:\/\/127\.0\.0\.1:\d+)\//, 90_000);
    const appPort = Number((await waitForOutput(/✓ app\s+http:\/\/127\.0\.0\.1:(\d+)/, 1_000))[1]);
    expect(output).toMatch(/Klaviyo connected · Gorgias connected/);

    const page = await newStaffPage(browser!);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    // Nothing may leave the machine: any request to a non-loopback host fails the test.
    const offMachine: string[] = [];
    await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => {
      offMachine.push(route.request().url());
      return route.abort();
    });

    await page.goto(`${adminUrl}/`);
    const app = page.frameLocator('iframe[title="Switchboard"]');
    // The embedded app authenticated with the minted session token and loaded the App Bridge
    // stand-in, which hands the app's <NavMenu> to the sandbox Admin's sidebar (as Admin draws it)…
    const activityLink = page
      .getByRole("navigation", { name: "Sandbox Admin" })
      .getByRole("link", { name: "Activity" });
    await activityLink.waitFor({ timeout: 20_000 });
    // …so the app does not draw its own fallback menu.
    expect(await app.getByRole("navigation", { name: "Switchboard" }).count()).toBe(0);

    // Client-side navigation from Admin's menu: loaders are fetched with the session token.
    const webhooksTab = app.getByRole("tab", { name: "Webhooks" });
    const showWebhooks = async () => {
      await activityLink.click();
      await app.getByRole("heading", { name: "Activity" }).waitFor({ timeout: 10_000 });
      // Webhooks have their own tab on the Activity screen (when it has tabs). Each click is
      // waited out (the menu opens the first tab, then the Webhooks tab is selected), so a
      // navigation still under way cannot swap the rows out after they were found.
      if (await webhooksTab.count()) {
        await app
          .getByRole("tab", { name: "Recipe runs", selected: true })
          .waitFor({ timeout: 10_000 });
        await webhooksTab.click();
        await app
          .getByRole("tab", { name: "Webhooks", selected: true })
          .waitFor({ timeout: 10_000 });
      }
    };
    await showWebhooks();
    await page.waitForURL(/\/store\/switchboard-sandbox\/apps\/switchboard\/app\/activity$/);
    const orderRow = app
      .getByRole("row")
      .filter({ hasText: /New order #\d+/ })
      .first();
    for (let attempt = 0; attempt < 10 && !(await orderRow.isVisible()); attempt += 1) {
      await page.waitForTimeout(1_000);
      await showWebhooks(); // reloads the list, as a merchant clicking around would
    }
    await orderRow.waitFor({ timeout: 5_000 }).catch(async (error) => {
      await page.screenshot({ path: "tests/.artifacts/demo-failure.png" });
      throw new Error(`${error.message}\n--- demo output ---\n${output}`);
    });
    expect(await orderRow.textContent()).toMatch(/#1\d{3}/);
    await page.screenshot({ path: "tests/.artifacts/demo-activity.png" });

    // Form posts carry the token too, and App Bridge toasts appear in the Admin frame. Klaviyo
    // was connected to its fake at start-up, so checking the key again succeeds.
    await page
      .getByRole("navigation", { name: "Sandbox Admin" })
      .getByRole("link", { name: "Integrations" })
      .click();
    await app.getByRole("button", { name: "Check again" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /key works/ })
      .waitFor({ timeout: 10_000 });

    // The inbox shows what the simulator sent and the app's answers.
    const inbox = await browser!.newPage();
    await inbox.goto(`${adminUrl}/inbox`);
    await inbox.getByRole("cell", { name: "orders/create" }).first().waitFor({ timeout: 10_000 });
    expect(await inbox.locator("#webhooks").textContent()).toContain("200");
    await inbox.close();

    // Practise failures: the panel takes Klaviyo's fake down and back up, and sends the app a
    // malformed order, which the app keeps (200) with its reason.
    const faults = await browser!.newPage();
    await faults.goto(`${adminUrl}/faults`);
    const klaviyoPanel = faults.getByRole("region", { name: "Klaviyo" });
    await klaviyoPanel.getByRole("button", { name: "Start an outage" }).click();
    await klaviyoPanel.getByText(/^Down since /).waitFor({ timeout: 5_000 });
    await klaviyoPanel.getByRole("button", { name: "End the outage" }).click();
    await klaviyoPanel.getByText("Answering normally.").waitFor({ timeout: 5_000 });
    await faults.getByRole("button", { name: "Send a malformed order" }).click();
    await faults.getByText(/^Sent \(webhook id /).waitFor({ timeout: 10_000 });
    expect(
      await faults.getByText(`Private API key: ${"pk_sandbox_"}`, { exact: false }).count(),
    ).toBe(1);
    await faults.close();

    // At phone width the sandbox's sidebar folds behind Menu and the app keeps the width.
    await page.setViewportSize({ width: 390, height: 844 });
    const frameBox = await page.locator('iframe[title="Switchboard"]').boundingBox();
    expect(frameBox!.width).toBeGreaterThanOrEqual(380);
    expect(await activityLink.isVisible()).toBe(false);
    await page.getByRole("button", { name: "Menu" }).click();
    await activityLink.waitFor({ state: "visible", timeout: 5_000 });
    await page.setViewportSize({ width: 1280, height: 900 });

    expect(errors).toEqual([]);
    expect(offMachine).toEqual([]);

    // Ctrl-C: everything stops, the store is saved for the next run.
    const exited = new Promise<number | null>((resolve) =>
      demo!.once("exit", (code) => resolve(code)),
    );
    process.kill(demo!.pid!, "SIGINT");
    expect(await exited).toBe(0);
    expect(output).toContain("Saved.");
    expect(await listening(appPort)).toBe(false);
    expect(existsSync(path.join(dataDir, "store.json"))).toBe(true);
    const saved = JSON.parse(readFileSync(path.join(dataDir, "simulator.json"), "utf8"));
    expect(saved.counters.orders).toBeGreaterThan(0);
  }, 150_000);
});
