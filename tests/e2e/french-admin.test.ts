import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RECIPES } from "../../app/recipes/registry";
import { launchBrowser, newStaffPage } from "../helpers/browser";
import { startDemo, type RunningDemo } from "../helpers/demo";

/**
 * The admin in the staff member's language, in `npm run demo` (paused, Free plan): Shopify Admin
 * opens the app with `?locale=fr` for a French-speaking staff member, and every screen — the
 * navigation, Home, Recipes, a recipe, Integrations, Plan and Privacy — reads in French, dates
 * included; with `locale=en` the same screens stay English.
 *
 * The sandbox Admin always embeds the app with `locale=en`, so each screen is opened as Admin's
 * iframe would load it (its fresh session token and parameters) with the locale swapped, outside
 * the frame; App Bridge's stand-in is kept from loading so the app draws its own navigation.
 */

let demo: ChildProcess | undefined;
let output = "";
let dataDir: string;
let browser: Browser | undefined;
let adminUrl: string;

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
  dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-french-"));
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
  [, adminUrl] = (await waitForOutput(/Open\s+(http:\/\/127\.0\.0\.1:\d+)\//, 240_000)) as [
    string,
    string,
  ];
}, 270_000);

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

/** The URL Admin's iframe loads for `appPath`, with Admin's `locale` parameter set to `locale`. */
async function appUrl(page: Page, appPath: string, locale: string): Promise<string> {
  await page.goto(`${adminUrl}/open?path=${encodeURIComponent(appPath)}`);
  const src = await page.locator('iframe[title="Switchboard"]').getAttribute("src");
  const url = new URL(src!);
  url.searchParams.set("locale", locale);
  return url.toString();
}

async function staffPage() {
  const page = await newStaffPage(browser!);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  // Without App Bridge (as offline) the app draws its navigation in the page, where it can be read.
  await page.route(/\/sandbox\/app-bridge\.js/, (route) => route.abort());
  return { page, errors };
}

async function open(page: Page, appPath: string, locale: string) {
  await page.goto(await appUrl(page, appPath, locale));
}

const nav = (page: Page) => page.getByRole("navigation", { name: "Switchboard" });

/** A medium French date: "5 janv. 2027", "12 mai 2027". */
const FRENCH_DATE =
  /\d{1,2} (janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.) \d{4}/;

describe("the admin in French with locale=fr", () => {
  it("shows Home, Recipes, a recipe, Integrations, Plan and Privacy in French", async () => {
    const { page, errors } = await staffPage();

    await open(page, "/app", "fr-CA");
    await page.getByRole("heading", { level: 1, name: "Switchboard" }).waitFor({ timeout: 45_000 });
    await page.getByRole("heading", { name: /^Automatisations pour / }).waitFor();
    await page.getByRole("heading", { name: "Dernières 24 heures" }).waitFor();
    await page.getByRole("heading", { name: "Actions par jour" }).waitFor();
    await page.getByRole("heading", { name: "Offre post-achat" }).waitFor();
    for (const label of [
      "Accueil",
      "Recettes",
      "Intégrations",
      "Activité",
      "Confidentialité",
      "Forfait",
    ])
      await nav(page).getByRole("button", { name: label, exact: true }).waitFor();
    await page.screenshot({ path: "tests/.artifacts/french-home.png", fullPage: true });

    // In-app navigation keeps Admin's locale.
    await nav(page).getByRole("button", { name: "Recettes", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Recettes" }).waitFor({ timeout: 30_000 });
    await page.getByRole("heading", { name: "Garde-fous communs" }).waitFor();
    await page.getByRole("link", { name: "Modifier les garde-fous" }).waitFor();
    await page.getByText(/^Toutes les recettes ne proposent jamais/).waitFor();
    expect(
      // Each recipe's switch is named with the recipe ("Activer Prévenir des retards…").
      await page.getByRole("button", { name: /^Activer / }).count(),
    ).toBeGreaterThan(0);
    expect(await page.getByText("Paramètres et aperçu").count()).toBeGreaterThan(0);

    await open(page, "/app/recipes/shipping-delay-outreach", "fr");
    await page
      .getByRole("heading", { name: "Paramètres", exact: true })
      .waitFor({ timeout: 45_000 });
    await page.getByRole("heading", { name: "Ce qu'elle fera" }).waitFor();
    await page
      .getByRole("button", { name: /^(Activer|Désactiver)$/ })
      .first()
      .waitFor();
    await page.getByText(/^Garde-fous communs : /).waitFor();

    await open(page, "/app/integrations", "fr");
    await page
      .getByRole("heading", { level: 1, name: "Intégrations" })
      .waitFor({ timeout: 45_000 });
    await page.getByRole("heading", { name: "Vos clés" }).waitFor();
    // The demo connects Klaviyo and Gorgias to its fakes.
    await page.getByRole("button", { name: "Vérifier à nouveau" }).waitFor();
    await page.getByText("Dernière vérification").waitFor();
    expect(await page.getByRole("button", { name: "Déconnecter", exact: true }).count()).toBe(2);

    await open(page, "/app/plan", "fr");
    await page
      .getByRole("heading", { name: "Forfait Gratuit" })
      .first()
      .waitFor({ timeout: 45_000 });
    await page.getByRole("heading", { name: FRENCH_DATE }).waitFor();
    await page.getByRole("heading", { name: /^Période en cours \(jusqu'au / }).waitFor();
    await page.getByRole("button", { name: "Choisir Growth" }).waitFor();
    await page.getByText("Recettes activées").first().waitFor();
    await page.screenshot({ path: "tests/.artifacts/french-plan.png", fullPage: true });

    await open(page, "/app/privacy", "fr");
    await page
      .getByRole("heading", { level: 1, name: "Confidentialité" })
      .waitFor({ timeout: 45_000 });
    await page.getByRole("heading", { name: "Demandes de données" }).waitFor();
    await page.getByRole("heading", { name: "Demandes d'effacement" }).waitFor();

    expect(errors).toEqual([]);
  }, 240_000);

  it("keeps the same screens in English with locale=en", async () => {
    const { page, errors } = await staffPage();

    await open(page, "/app", "en");
    await page.getByRole("heading", { name: /^Automations for / }).waitFor({ timeout: 45_000 });
    await page.getByRole("heading", { name: "Last 24 hours" }).waitFor();
    for (const label of ["Home", "Recipes", "Integrations", "Activity", "Privacy", "Plan"])
      await nav(page).getByRole("button", { name: label, exact: true }).waitFor();

    await open(page, "/app/recipes", "en");
    await page.getByRole("heading", { name: "Shared guards" }).waitFor({ timeout: 45_000 });
    await page.getByRole("link", { name: "Edit guards" }).waitFor();

    await open(page, "/app/recipes/shipping-delay-outreach", "en");
    await page.getByRole("heading", { name: "What it will do" }).waitFor({ timeout: 45_000 });

    await open(page, "/app/integrations", "en");
    await page.getByRole("heading", { name: "Your keys" }).waitFor({ timeout: 45_000 });
    await page.getByRole("button", { name: "Check again" }).waitFor();

    await open(page, "/app/plan", "en");
    await page.getByRole("heading", { name: "Free plan" }).waitFor({ timeout: 45_000 });
    await page
      .getByRole("heading", { name: /^This period \(until [A-Z][a-z]{2} \d{1,2}, \d{4}\)$/ })
      .waitFor();
    await page.getByRole("button", { name: "Choose Growth" }).waitFor();

    await open(page, "/app/privacy", "en");
    await page.getByRole("heading", { name: "Data requests" }).waitFor({ timeout: 45_000 });

    expect(errors).toEqual([]);
  }, 240_000);
});

/** A signal sentence's template as a pattern: `{count}` is a number as either language writes it. */
const signalPattern = (template: string) =>
  new RegExp(
    `^${template.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace("\\{count\\}", "[\\d,\\s\u202f\u00a0]+")}$`,
  );
const SIGNALS = RECIPES.flatMap((r) => (r.signal ? [r.signal.text] : []));
const FRENCH_SIGNALS = SIGNALS.flatMap((t) => [t.fr.text_one, t.fr.text_other]).map(signalPattern);
const ENGLISH_SIGNALS = SIGNALS.flatMap((t) => [t.en.text_one, t.en.text_other]).map(signalPattern);

/**
 * What a recipe run's line, reasons and notes say in English (the app's own words; names,
 * products and lists are the shop's and stay as they are).
 */
const ENGLISH_RUN_WORDS =
  /\b(Skipped:|Held back:|Would have|Reasons:|read model|the order (was|has|is)|the customer (has|is|was)|in stock \(threshold|checks (again )?on|reminder on|asks on|already VIP|not VIP yet|qualifies with|no email|came back after|rule “|Offered|Added .* to the Klaviyo list|Updated .* Klaviyo profile)/;

describe("the admin in French once the store has run with recipes on", () => {
  let store: RunningDemo;
  let storeAdmin: string;

  beforeAll(async () => {
    // Fast enough that hours of the store's day pass while the test runs.
    store = startDemo(["--speed", "900"], "french-runs");
    ({ adminUrl: storeAdmin } = await store.ready(240_000));
  }, 270_000);

  afterAll(async () => {
    await store?.stop();
  }, 40_000);

  async function openIn(page: Page, appPath: string) {
    await page.goto(`${storeAdmin}/open?path=${encodeURIComponent(appPath)}`);
    const src = await page.locator('iframe[title="Switchboard"]').getAttribute("src");
    const url = new URL(src!);
    url.searchParams.set("locale", "fr");
    await page.goto(url.toString());
    await page.locator("h1").first().waitFor({ timeout: 45_000 });
  }

  it("says Home's signals, Activity's runs and a recipe's recent runs in French", async () => {
    const { page, errors } = await staffPage();

    // What to switch on next: each recipe's count in a French sentence, none in English.
    await openIn(page, "/app");
    await page.getByRole("heading", { name: "À activer ensuite" }).waitFor({ timeout: 45_000 });
    const sentences = await page.locator("p").allInnerTexts();
    const trimmed = sentences.map((text) => text.trim());
    expect(
      trimmed.filter((text) => FRENCH_SIGNALS.some((p) => p.test(text))).length,
      trimmed.join("\n"),
    ).toBeGreaterThan(0);
    expect(trimmed.filter((text) => ENGLISH_SIGNALS.some((p) => p.test(text)))).toEqual([]);

    // Every recipe on, then let the simulated store run so they act, skip and hold back.
    await openIn(page, "/app/recipes");
    for (const recipe of RECIPES) {
      const on = page.getByRole("button", { name: `Activer ${recipe.fr.title}`, exact: true });
      if (!(await on.count())) continue;
      await on.click();
      await page
        .getByRole("button", { name: `Désactiver ${recipe.fr.title}`, exact: true })
        .waitFor({ timeout: 15_000 })
        .catch(() => undefined);
    }
    await page.waitForTimeout(40_000);

    await openIn(page, "/app/activity");
    await page.getByRole("tab", { name: "Exécutions des recettes" }).waitFor({ timeout: 45_000 });
    const show = page.getByRole("button", { name: "Afficher", exact: true });
    if (await show.count()) await show.first().click();
    await page.waitForTimeout(1_000);
    const activity = await page.locator("body").innerText();
    expect(activity).toMatch(/Ignoré : |Retenu : |envoyée? à |ajouté à |En attente/);
    expect(activity.match(ENGLISH_RUN_WORDS)?.[0] ?? null).toBeNull();

    // A recipe's recent runs and its dry run, in the same words.
    for (const id of ["review-request-timing", "vip-tier-sync", "post-purchase-upsell"]) {
      await openIn(page, `/app/recipes/${id}`);
      await page.getByRole("heading", { name: "Paramètres", exact: true }).waitFor();
      await page.getByRole("button", { name: "Lancer la simulation" }).click();
      await page
        .getByText(/^(Rejoué|Aucun|Aucune|Corrigez)/)
        .first()
        .waitFor({ timeout: 60_000 });
      const recipePage = await page.locator("body").innerText();
      expect(recipePage.match(ENGLISH_RUN_WORDS)?.[0] ?? null, id).toBeNull();
    }

    expect(errors).toEqual([]);
  }, 420_000);
});
