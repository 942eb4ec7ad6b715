import { createHmac, randomUUID } from "node:crypto";
import type { Browser, Frame, FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RECIPES } from "../../app/recipes/registry";
import { SANDBOX_API_SECRET, SANDBOX_SHOP } from "../../sandbox/config";
import {
  fulfillmentEventPayload,
  fulfillmentPayload,
  orderPayload,
} from "../fixtures/shopify-payloads";
import { launchBrowser, newStaffPage } from "../helpers/browser";
import { startDemo, type RunningDemo } from "../helpers/demo";

/**
 * A merchant walking every screen of `npm run demo` after the store has run a while with every
 * recipe switched on (Klaviyo and Gorgias connected, as the demo does), at desktop and phone
 * widths. Outside the "Details for support" disclosures no screen shows a raw Shopify id, an ISO
 * timestamp or a vendor's API words; at 390 px nothing scrolls sideways; the console stays clean.
 */

let demo: RunningDemo;
let browser: Browser;
let adminUrl: string;
let appUrl: string;

/** What the merchant must not read, each with why (the assertion message names it). */
const FORBIDDEN: { rule: string; pattern: RegExp }[] = [
  { rule: "raw numeric id", pattern: /\d{10,}/ },
  { rule: "ISO timestamp", pattern: /\d{4}-\d{2}-\d{2}T/ },
  { rule: "ISO date", pattern: /\b\d{4}-\d{2}-\d{2}\b/ },
  { rule: "vendor operation", pattern: /\bget-lists\b|\blistId\b/ },
  {
    rule: "delivery kind",
    pattern:
      /\b(klaviyo-(event|profile|list-add|list-remove|list-reconcile)|gorgias-(ticket|tag|note)|shopify-tags-add)\b/,
  },
  { rule: "HTTP status", pattern: /→\s*\d{3}\b/ },
  {
    rule: "webhook topic",
    pattern:
      /\b(orders|fulfillments|fulfillment_events|checkouts|customers|inventory_levels|app_subscriptions|products|shop)\/[a-z_]+\b/,
  },
  {
    rule: "recipe id",
    pattern: new RegExp(`\\b(${RECIPES.map((r) => r.id).join("|")})\\b`),
  },
];

/** A webhook exactly as Shopify sends it to the app, signed with the sandbox app's secret. */
async function sendWebhook(topic: string, payload: unknown) {
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

interface Visit {
  page: Page;
  app: FrameLocator;
  frame: () => Promise<Frame>;
  errors: string[];
}

async function openPage(width: number, height: number): Promise<Visit> {
  const page = await newStaffPage(browser);
  await page.setViewportSize({ width, height });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort());
  const frame = async () => {
    const handle = await page.locator('iframe[title="Switchboard"]').elementHandle();
    const content = await handle?.contentFrame();
    if (!content) throw new Error("the app's frame is not there");
    return content;
  };
  return { page, app: page.frameLocator('iframe[title="Switchboard"]'), frame, errors };
}

/** Opens an app path in the sandbox Admin (a fresh load, as a merchant's link would). */
async function open(visit: Visit, path: string) {
  await visit.page.goto(`${adminUrl}/store/switchboard-sandbox/apps/switchboard${path}`);
  await visit.app.locator("h1").first().waitFor({ timeout: 30_000 });
  await visit.page.waitForTimeout(300);
}

/** The text a merchant reads: visible text nodes outside the technical disclosures. */
function visibleText(frame: Frame): Promise<{ text: string; context: string }[]> {
  return frame.evaluate(() => {
    const out: { text: string; context: string }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      const text = node.textContent?.trim();
      if (!element || !text) continue;
      if (element.closest("[data-technical-details], script, style, template, noscript")) continue;
      if (!element.checkVisibility({ visibilityProperty: true })) continue;
      const block =
        element.closest("p, li, h1, h2, h3, h4, td, th, [role='row'], label") ?? element;
      out.push({ text, context: (block.textContent ?? "").trim().slice(0, 160) });
    }
    return out;
  });
}

/** Every problem on the screen as shown now: "<screen> @<width>: <rule>: “text” (in “…”)". */
async function sweep(visit: Visit, screen: string, width: number): Promise<string[]> {
  const frame = await visit.frame();
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { text, context } of await visibleText(frame)) {
    for (const { rule, pattern } of FORBIDDEN) {
      const match = pattern.exec(text);
      if (!match) continue;
      const line = `${screen} @${width}: ${rule} “${match[0]}” in “${context}”`;
      if (!seen.has(line)) problems.push(line);
      seen.add(line);
    }
  }
  if (width < 500) {
    const { scrollWidth, innerWidth } = await frame.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    if (scrollWidth > innerWidth)
      problems.push(`${screen} @${width}: scrolls sideways (${scrollWidth} px in ${innerWidth})`);
  }
  for (const error of visit.errors.splice(0)) problems.push(`${screen} @${width}: ${error}`);
  return problems;
}

beforeAll(async () => {
  // Fast enough that a few hours of the store's day pass while the test sets up.
  demo = startDemo(["--speed", "900"], "no-raw-ids");
  browser = await launchBrowser();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
}, 40_000);

describe("no raw ids in the sandbox", () => {
  it("switches every recipe on and lets the store run (orders, fulfillments, tickets)", async () => {
    ({ adminUrl, appUrl } = await demo.ready(240_000));
    expect(demo.output()).toMatch(/Klaviyo connected · Gorgias connected/);
    const visit = await openPage(1440, 900);
    await open(visit, "/app/recipes");
    for (const recipe of RECIPES) {
      const on = visit.app.getByRole("button", { name: `Switch on ${recipe.title}`, exact: true });
      if (!(await on.count())) continue;
      await on.click();
      await visit.app
        .getByRole("button", { name: `Switch off ${recipe.title}`, exact: true })
        .waitFor({ timeout: 15_000 })
        .catch(() => undefined);
    }

    // A big order that is delayed in transit: white glove and shipping-delay outreach act on it.
    const placedAt = new Date(Date.now() - 60_000).toISOString();
    const order = orderPayload({
      id: 5_555_000_000_042,
      name: "#4242",
      total_price: "900.00",
      created_at: placedAt,
      processed_at: placedAt,
      updated_at: placedAt,
      email: "dana.delay@example.com",
      customer: {
        id: 7_555_000_042,
        email: "dana.delay@example.com",
        first_name: "Dana",
        last_name: "Delay",
        tags: "",
      },
    });
    await sendWebhook("orders/create", order);
    await sendWebhook(
      "fulfillments/create",
      fulfillmentPayload({ id: 4_555_000_042, order_id: order.id }),
    );
    await sendWebhook(
      "fulfillment_events/create",
      fulfillmentEventPayload({
        id: 9_555_042,
        fulfillment_id: 4_555_000_042,
        order_id: order.id,
        status: "delayed",
      }),
    );
    // The simulated store runs on meanwhile; wait until recipes have acted on some of it.
    await visit.page.waitForTimeout(30_000);
    await open(visit, "/app/activity");
    await visit.app.getByText(/#4242/).first().waitFor({ timeout: 30_000 });
    await visit.page.close();
  }, 360_000);

  for (const [width, height] of [
    [1440, 900],
    [390, 844],
  ] as const) {
    it(`shows no id, ISO date or vendor jargon outside the disclosures at ${width} px`, async () => {
      const visit = await openPage(width, height);
      const problems: string[] = [];
      const check = async (screen: string) => problems.push(...(await sweep(visit, screen, width)));

      await open(visit, "/app");
      await check("Home");

      await open(visit, "/app/recipes");
      await check("Recipes");

      for (const recipe of RECIPES) {
        await open(visit, `/app/recipes/${recipe.id}`);
        await check(`Recipe “${recipe.title}”`);
        const dryRun = visit.app.getByRole("button", { name: "Run dry run" });
        if (await dryRun.count()) {
          await dryRun.click();
          await visit.app
            .getByText(/^(Replayed|No .+ (yet|in the last)|Fix the settings)/)
            .first()
            .waitFor({ timeout: 60_000 });
          await check(`Recipe “${recipe.title}”, dry run`);
        }
      }

      await open(visit, "/app/recipes/guards");
      await check("Guards");

      await open(visit, "/app/activity");
      for (const tab of ["Recipe runs", "Deliveries", "Webhooks"]) {
        const button = visit.app.getByRole("tab", { name: tab });
        if (!(await button.count())) continue;
        await button.click();
        await visit.app.getByRole("tab", { name: tab, selected: true }).waitFor();
        await visit.page.waitForTimeout(500);
        await check(`Activity, ${tab}`);
        if (tab === "Recipe runs") {
          const show = visit.app.getByRole("button", { name: "Show", exact: true });
          if (await show.count()) {
            await show.click();
            await visit.app.getByText("Skipped runs are shown").waitFor({ timeout: 15_000 });
            await check("Activity, Recipe runs with skipped runs");
          }
        }
      }

      for (const [screen, path] of [
        ["Integrations", "/app/integrations"],
        ["Plan", "/app/plan"],
        ["Privacy", "/app/privacy"],
        ["Automation gaps", "/app/gap-report"],
      ] as const) {
        await open(visit, path);
        await check(screen);
      }

      await visit.page.close();
      expect(problems, `${problems.length} problems:\n${problems.join("\n")}`).toEqual([]);
    }, 600_000);
  }
});
