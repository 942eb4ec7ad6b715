import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newStaffPage } from "../helpers/browser";

/**
 * Choosing products in the sandbox (`npm run demo`, paused): the upsell's rule form opens the
 * App Bridge stand-in's resource picker over the store's catalog; the chosen product and variant
 * are shown by title, saved, and still shown by title after a reload, with no id on the page.
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

interface CatalogProduct {
  id: string;
  title: string;
  variants: { id: string; displayName: string }[];
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-picker-e2e-"));
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

describe("resource picker in the sandbox", () => {
  it("chooses a product and a variant for an upsell rule, saves, and shows them by title after a reload, never by id", async () => {
    const [, adminUrl] = await waitForOutput(/Open\s+(http:\/\/127\.0\.0\.1:\d+)\//, 300_000);
    await waitForOutput(/✓ app\s+(http:\/\/127\.0\.0\.1:\d+)/, 1_000);
    const catalog = (await (await fetch(`${adminUrl}/sandbox/catalog.json`)).json()) as {
      products: CatalogProduct[];
    };
    // A product with several variants, so the variant's own title shows after its product's.
    const product = catalog.products.find((p) => p.variants.length > 1) ?? catalog.products[0]!;
    const offered = catalog.products.find((p) => p !== product)!;
    const variant = offered.variants[0]!;

    const page = await newStaffPage(browser!);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort());
    const settingsUrl = `${adminUrl}/open?path=/app/recipes/post-purchase-upsell`;
    await page.goto(settingsUrl);
    const app = page.frameLocator('iframe[title="Switchboard"]');
    await app.getByRole("heading", { name: "Post-purchase upsell", level: 1 }).waitFor({
      timeout: 60_000,
    });
    await app.getByRole("button", { name: "Add rule" }).click();
    // The triggers are required together (at least one), so none is marked "(optional)".
    const form = (await app.getByRole("form").innerText()) ?? "";
    expect(form).toContain("When the order has any of these products");
    expect(form).not.toMatch(/(these products|these collections|a product tagged) \(optional\)/);

    // The trigger: search the catalog in the picker and tick the product.
    await app.getByRole("button", { name: "Choose products" }).click();
    const picker = app.getByRole("dialog", { name: "Select products" });
    await picker.waitFor({ timeout: 10_000 });
    await picker.getByRole("searchbox", { name: "Search products" }).fill(product.title);
    await picker.getByRole("checkbox", { name: product.title, exact: false }).first().check();
    await picker.getByRole("button", { name: "Select" }).click();
    await picker.waitFor({ state: "detached" });
    await app.getByRole("list", { name: "When the order has any of these products" }).waitFor();
    await app.getByRole("button", { name: `Remove ${product.title}` }).waitFor();

    // The offer: one variant, shown as "Product — Variant".
    await app.getByRole("button", { name: "Choose a variant" }).first().click();
    const variantPicker = app.getByRole("dialog", { name: "Select a variant" });
    await variantPicker.getByRole("searchbox").fill(variant.displayName);
    await variantPicker.getByRole("radio", { name: variant.displayName }).first().check();
    await variantPicker.getByRole("button", { name: "Select" }).click();
    await app.getByRole("button", { name: `Remove ${variant.displayName}` }).waitFor();

    // The live preview draws the offer page as it is edited: the picked variant, its price with
    // the rule's discount, and the merchant's words in the shopper's language.
    const preview = app.getByRole("region", { name: "Preview of the offer page" });
    await preview.getByText(variant.displayName).waitFor({ timeout: 10_000 });
    await preview.getByText("Save 10% off").waitFor();
    await preview.getByRole("button", { name: "Pay now" }).waitFor();
    await app
      .getByRole("group", { name: "What the offer page says" })
      .getByLabel("Button (French)", { exact: true })
      .fill("Je le prends");
    await app.getByRole("button", { name: "French", exact: true }).click();
    await preview.getByRole("button", { name: "Je le prends" }).waitFor();
    await preview.getByText("Ajoutez ceci à votre commande").waitFor();

    const saveBar = app.getByRole("region", { name: "Unsaved changes" });
    await saveBar.getByRole("button", { name: "Save" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "Settings saved." })
      .waitFor({ timeout: 15_000 });
    await saveBar.waitFor({ state: "detached" });

    // Reloaded: the saved rule names the product and the variant by title, from the server.
    await page.goto(settingsUrl);
    await app.getByRole("heading", { name: "Post-purchase upsell", level: 1 }).waitFor({
      timeout: 30_000,
    });
    await app.getByRole("button", { name: `Remove ${product.title}` }).waitFor({ timeout: 10_000 });
    await app.getByRole("button", { name: `Remove ${variant.displayName}` }).waitFor();
    const text = (await app.locator("body").innerText()) ?? "";
    expect(text).toContain(product.title);
    expect(text).toContain(variant.displayName);
    expect(text).not.toMatch(/\d{8,}/);
    expect(text).not.toContain("gid://");
    await page.screenshot({ path: "tests/.artifacts/resource-picker.png", fullPage: true });

    // Removing the product leaves the rule without a trigger: an inline error, not a save.
    await app.getByRole("button", { name: `Remove ${product.title}` }).click();
    await saveBar.getByRole("button", { name: "Save" }).click();
    await app
      .getByText("Say which orders get this offer: a product, a collection or a tag")
      .waitFor();
    expect(errors).toEqual([]);
  }, 420_000);
});
