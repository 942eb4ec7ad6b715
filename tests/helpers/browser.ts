import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * The environment Chromium starts with: the test's, without libfaketime. Chromium does not run
 * under it (its zygote never answers), and a staff member's browser keeps its own clock anyway:
 * under `npm run test:clock` the server runs days ahead and the browser on the real time.
 */
function browserEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && name !== "LD_PRELOAD" && !name.startsWith("FAKETIME"))
      env[name] = value;
  }
  return env;
}

/** Debian's Chromium, headless, with every background connection this offline machine refuses turned off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    env: browserEnv(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/**
 * A page whose user agent is a normal desktop Chrome. Shopify's library treats "HeadlessChrome"
 * as a bot and refuses to authenticate it (410), which no staff member's browser would meet.
 */
export async function newStaffPage(browser: Browser) {
  const version = browser.version();
  const context = await browser.newContext({
    userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version} Safari/537.36`,
    viewport: { width: 1280, height: 900 },
  });
  return context.newPage();
}
