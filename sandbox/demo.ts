/**
 * `npm run demo`: the whole app running offline against the sandbox.
 *
 *   1. the Shopify Admin, Klaviyo and Gorgias fakes on loopback, the store loaded from the data
 *      directory (or generated from --seed on first run);
 *   2. the app's database prepared for the sandbox shop (session, install, integrations);
 *   3. the app itself — `node --import ./sandbox/preload.js server.js`, which builds if needed —
 *      behind the sandbox tunnel, with its Shopify calls routed to the fake by the preload and
 *      Klaviyo/Gorgias reached through KLAVIYO_API_URL / GORGIAS_API_URL;
 *   4. the sandbox Admin (the app framed as Shopify Admin frames it) and the inbox;
 *   5. the store-day simulator sending signed webhooks.
 *
 * Ctrl-C stops everything and saves the store; running it again carries on. See docs/sandbox.md.
 *
 * Flags: --port <n> (sandbox Admin; the tunnel takes n+1 and the app n+2; 0 picks free ports),
 * --data <dir> (default ./data/sandbox), --seed <n> (new stores only), --speed <n> (simulated
 * seconds per real second, default 60), --paused (start with the store paused), --verbose,
 * --no-protected-data (the app without Shopify's protected customer data access: names, emails,
 * phones and addresses withheld from webhooks and Admin GraphQL), --upsell-accept <0..1> (the
 * share of post-purchase offers simulated shoppers accept, default 0.35), --plan <Scale|Growth|Free>
 * (the plan a store without a subscription starts on, default Scale: every recipe and upsell
 * runs; Free leaves it unsubscribed, with Free's limits).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  billingConfig,
  isPaidPlan,
  isTestShopPlan,
  PLAN_NAMES,
  type PaidPlanName,
  type PlanName,
} from "../app/billing/plans";
import { pickerCatalog } from "./admin/picker-catalog";
import { startSandboxAdmin, type SandboxAdmin } from "./admin/server";
import { FaultPanel } from "./faults";
import {
  SANDBOX_API_KEY,
  SANDBOX_API_SECRET,
  SANDBOX_APP_HANDLE,
  SANDBOX_STORE_HANDLE,
} from "./config";
import { GORGIAS_DEFAULT_ACCOUNT, GORGIAS_DEFAULT_DOMAIN, startGorgiasFake } from "./fakes/gorgias";
import { DEFAULT_KLAVIYO_API_KEY, startKlaviyoFake } from "./fakes/klaviyo";
import {
  sandboxAccessToken,
  startShopifyAdminFake,
  type AdminMutationEvent,
} from "./fakes/shopify-admin";
import { refuseInProduction } from "./guard";
import { buildInbox } from "./inbox";
import { loadSandbox, lockSandbox, saveSandbox } from "./persist";
import { SHOPIFY_ADMIN_URL_ENV } from "./preload.js";
import { checkoutRoutes } from "./admin/checkout";
import { ChangesetRefused } from "./post-purchase";
import { POST_PURCHASE_ACCEPT_RATE, StoreDaySimulator, type SimulatorState } from "./simulator";
import { approvedSubscription, billingOf } from "./store/billing";
import { createSandboxStore } from "./store/generate";
import type { SandboxStore } from "./store/types";
import { startTunnel, type Tunnel } from "./tunnel";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Options {
  port: number;
  dataDir: string;
  /** Only for a new data directory; a saved store keeps its own. */
  seed: number | undefined;
  speed: number;
  paused: boolean;
  verbose: boolean;
  /** false: Shopify withholds protected customer data from the app (`--no-protected-data`). */
  protectedCustomerData: boolean;
  /** The plan a store that never subscribed starts on (`--plan`); Free: no subscription. */
  plan: PlanName;
  planGiven: boolean;
  /** The share of post-purchase offers simulated shoppers accept (`--upsell-accept`). */
  upsellAcceptRate: number;
}

function parseArgs(args: string[]): Options {
  const options: Options = {
    port: 4000,
    dataDir: path.resolve("data/sandbox"),
    seed: undefined,
    speed: 60,
    paused: false,
    verbose: false,
    protectedCustomerData: true,
    plan: "Scale",
    planGiven: false,
    upsellAcceptRate: POST_PURCHASE_ACCEPT_RATE,
  };
  const number = (name: string, value: string | undefined) => {
    const parsed = Number(value);
    if (value === undefined || !Number.isFinite(parsed) || parsed < 0)
      throw new Error(`--${name} needs a number`);
    return parsed;
  };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const [name, inline] = arg.startsWith("--") ? arg.slice(2).split("=", 2) : [arg, undefined];
    const value = () => inline ?? args[++i];
    if (name === "port") options.port = number("port", value());
    else if (name === "data") options.dataDir = path.resolve(value() ?? "");
    else if (name === "seed") options.seed = number("seed", value());
    else if (name === "speed") options.speed = number("speed", value());
    else if (name === "paused") options.paused = true;
    else if (name === "verbose") options.verbose = true;
    else if (name === "no-protected-data") options.protectedCustomerData = false;
    else if (name === "upsell-accept") {
      options.upsellAcceptRate = number("upsell-accept", value());
      if (options.upsellAcceptRate > 1)
        throw new Error("--upsell-accept is a share between 0 and 1 (0.35: about one in three)");
    } else if (name === "plan") {
      const given = value() ?? "";
      const plan = PLAN_NAMES.find((p) => p.toLowerCase() === given.toLowerCase());
      if (!plan) throw new Error(`--plan needs one of ${PLAN_NAMES.join(", ")}`);
      options.plan = plan;
      options.planGiven = true;
    } else if (name === "help" || name === "h") {
      console.log(
        "npm run demo -- [--port 4000] [--data ./data/sandbox] [--seed 1] [--speed 60] [--paused] [--verbose] [--no-protected-data] [--upsell-accept 0.35] [--plan Scale|Growth|Free]",
      );
      process.exit(0);
    } else throw new Error(`unknown option ${arg} (try --help)`);
  }
  if (options.speed <= 0) throw new Error("--speed must be above 0");
  return options;
}

// ---------------------------------------------------------------------------------------------
// Output

const tty = Boolean(process.stdout.isTTY);
const color = (code: number) => (text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
const green = color(32);
const dim = color(2);
const bold = color(1);
const red = color(31);

/** A path as the user typed it: relative to here when inside, absolute otherwise. */
function shown(target: string): string {
  const relative = path.relative(process.cwd(), target);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : target;
}

function done(label: string, detail: string, startedAt: number) {
  console.log(
    `  ${green("✓")} ${label.padEnd(22)} ${detail} ${dim(`(${((Date.now() - startedAt) / 1000).toFixed(1)} s)`)}`,
  );
}

/** A "working on it" line: redrawn in place on a terminal, a line per 10 s otherwise. */
function progress(label: string) {
  const started = Date.now();
  let text = "";
  let lastPrinted = 0;
  const draw = () => {
    const seconds = Math.round((Date.now() - started) / 1000);
    const line = `  … ${label.padEnd(22)} ${text} ${dim(`${seconds} s`)}`;
    if (tty) process.stdout.write(`\r\x1b[2K${line}`);
    else if (Date.now() - lastPrinted >= 10_000) {
      console.log(line);
      lastPrinted = Date.now();
    }
  };
  const timer = setInterval(draw, 250);
  return {
    update(next: string) {
      if (next !== text) {
        text = next;
        if (!tty) lastPrinted = 0;
        draw();
      }
    },
    finish() {
      clearInterval(timer);
      if (tty) process.stdout.write("\r\x1b[2K");
      return started;
    },
  };
}

// ---------------------------------------------------------------------------------------------

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

type PortRole = "admin" | "tunnel" | "app";
interface ChosenPorts extends Record<PortRole, number> {
  /** Frees a reserved port just before its server binds it. */
  release(role: PortRole): Promise<void>;
}

/**
 * A free port, held open until `release`: the fakes start on port 0 in between, and a probe
 * closed at once let one of them take the app's port (EADDRINUSE when the app started).
 */
function reservePort(): Promise<{ port: number; release: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      if (typeof address !== "object" || !address) return reject(new Error("no port"));
      probe.unref();
      resolve({
        port: address.port,
        release: () => new Promise<void>((done) => probe.close(() => done())),
      });
    });
  });
}

async function choosePorts(base: number): Promise<ChosenPorts> {
  if (base === 0) {
    const held = {
      admin: await reservePort(),
      tunnel: await reservePort(),
      app: await reservePort(),
    };
    return {
      admin: held.admin.port,
      tunnel: held.tunnel.port,
      app: held.app.port,
      release: (role) => held[role].release(),
    };
  }
  const ports = { admin: base, tunnel: base + 1, app: base + 2 };
  for (const [role, port] of Object.entries(ports)) {
    if (!(await portIsFree(port)))
      throw new Error(
        `Port ${port} (${role}) is taken. Pass --port <another base>, or --port 0 for free ports.`,
      );
  }
  return { ...ports, release: async () => undefined };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  // The app reads .env (scripts/build.js); read it here too so both processes agree on it.
  if (existsSync(path.join(ROOT, ".env"))) process.loadEnvFile(path.join(ROOT, ".env"));
  refuseInProduction("npm run demo");
  process.env.LOG_LEVEL = "warn";
  process.env.SHOPIFY_API_KEY = SANDBOX_API_KEY;
  process.env.SHOPIFY_API_SECRET = SANDBOX_API_SECRET;

  const releaseLock = lockSandbox(options.dataDir);
  console.log(bold("Switchboard sandbox") + dim(`  (data in ${shown(options.dataDir)})`));

  const saved = loadSandbox(options.dataDir);
  const seed = saved?.simulator.seed ?? options.seed ?? 1;
  if (saved && options.seed !== undefined && options.seed !== seed)
    console.log(
      dim(
        `  (this store was made with --seed ${seed}; --seed only applies to a new data directory)`,
      ),
    );
  const store: SandboxStore =
    saved?.store ??
    createSandboxStore({ seed, baseDate: new Date(Math.floor(Date.now() / 60_000) * 60_000) });
  const state: SimulatorState = saved?.simulator ?? StoreDaySimulator.freshState(store, seed);
  const ports = await choosePorts(options.port);
  const publicAppUrl = `http://127.0.0.1:${ports.tunnel}`;
  const appUrl = `http://127.0.0.1:${ports.app}`;

  // Everything started so far, stopped in reverse on the way out.
  const cleanups: Array<() => Promise<void> | void> = [releaseLock];
  let simulator: StoreDaySimulator | undefined;
  let adminUrl: string | undefined;
  let app: ChildProcess | undefined;
  let saving: NodeJS.Timeout | undefined;
  let stopping = false;
  // PGlite must not be cut off mid-write: shutdown waits for the bootstrap to close it.
  let bootstrapping: Promise<unknown> | undefined;

  const save = () => {
    if (simulator) saveSandbox(options.dataDir, { store, simulator: simulator.snapshotState() });
  };

  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${dim(`${reason}: stopping the simulator, the app and the fakes…`)}`);
    clearInterval(saving);
    const hardStop = setTimeout(() => {
      console.error(red("Still stopping after 30 s; forcing the app down."));
      if (app) killGroup(app, "SIGKILL");
      process.exit(1);
    }, 30_000);
    hardStop.unref();
    try {
      await bootstrapping?.catch(() => undefined);
      await simulator?.stop();
      save();
      if (app && app.exitCode === null && app.signalCode === null) {
        const exited = new Promise((resolve) => app!.once("exit", resolve));
        killGroup(app, "SIGTERM");
        await exited;
      }
      for (const cleanup of cleanups.reverse()) await cleanup();
    } catch (error) {
      console.error(error);
      code = code || 1;
    }
    if (simulator)
      console.log(
        dim(`Saved. \`npm run demo\` carries on with this store (${shown(options.dataDir)}).`),
      );
    process.exit(code);
  };
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // npm forwards the terminal's Ctrl-C to us as well, so one keypress can arrive twice.
    if (firstSignalAt === 0) firstSignalAt = Date.now();
    else if (signal === "SIGINT" && Date.now() - firstSignalAt > 1_500) {
      console.error(red("Second Ctrl-C: stopping now without waiting."));
      if (app) killGroup(app, "SIGKILL");
      releaseLock();
      process.exit(130);
    }
    void shutdown(signal === "SIGINT" ? "Ctrl-C" : signal, 0);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    // 1. fakes
    let started = Date.now();
    const mutations: AdminMutationEvent[] = [];
    const [shopify, klaviyo, gorgias] = await Promise.all([
      startShopifyAdminFake({
        store,
        // Token exchange works as at Shopify, should the app's session go (an uninstall, a reset).
        app: { apiKey: SANDBOX_API_KEY, apiSecret: SANDBOX_API_SECRET },
        protectedCustomerData: options.protectedCustomerData,
        // The billing confirmation page tells the app, and returns the merchant to this Admin.
        webhooks: {
          appUrl: publicAppUrl,
          secret: SANDBOX_API_SECRET,
          topics: ["app_subscriptions/update"],
        },
        adminUrl: () => adminUrl,
        onMutation: (event) => {
          mutations.push(event);
          if (mutations.length > 500) mutations.shift();
          simulator?.handleAdminMutation(event);
        },
      }),
      startKlaviyoFake({ recordLimit: 2_000 }),
      startGorgiasFake({ domain: GORGIAS_DEFAULT_DOMAIN, recordLimit: 2_000 }),
    ]);
    cleanups.push(
      () => shopify.close(),
      () => klaviyo.close(),
      () => gorgias.close(),
    );
    const counts = `${store.products.length} products, ${store.customers.length} customers, ${store.orders.length} orders`;
    done("Shopify Admin fake", `${shopify.url}  ${store.shop.domain} (${counts})`, started);
    done("Klaviyo fake", klaviyo.url, started);
    done("Gorgias fake", `${gorgias.apiUrl}  (helpdesk "${gorgias.domain}")`, started);

    // 2. database
    started = Date.now();
    const { bootstrapSandboxDatabase } = await import("./bootstrap");
    const pgliteDir = path.join(options.dataDir, "pglite");
    const bootstrap = bootstrapSandboxDatabase({
      dataDir: pgliteDir,
      shop: store.shop,
      accessToken: shopify.accessToken,
      appUrl: publicAppUrl,
      klaviyo: { baseUrl: klaviyo.url, apiKey: DEFAULT_KLAVIYO_API_KEY },
      gorgias: {
        apiUrl: gorgias.apiUrl,
        domain: gorgias.domain,
        email: GORGIAS_DEFAULT_ACCOUNT.email,
        apiKey: GORGIAS_DEFAULT_ACCOUNT.apiKey,
      },
    });
    bootstrapping = bootstrap;
    const report = await bootstrap;
    if (stopping) return;
    const vendors = [
      report.klaviyo?.ok
        ? "Klaviyo connected"
        : `Klaviyo NOT connected (${report.klaviyo?.ok === false ? report.klaviyo.message : "skipped"})`,
      report.gorgias?.ok
        ? "Gorgias connected"
        : `Gorgias NOT connected (${report.gorgias?.ok === false ? report.gorgias.message : "skipped"})`,
    ];
    done(
      "database",
      `${shown(pgliteDir)} · ${report.sessionCreated ? "session created" : "session kept"} · ${vendors.join(" · ")}`,
      started,
    );

    // 3. sandbox Admin, tunnel
    started = Date.now();
    let inboxSources: Parameters<typeof buildInbox>[0] = { klaviyo, gorgias, shopify, mutations };
    const faultPanel = new FaultPanel(
      { klaviyo, gorgias, shopify },
      {
        sendMalformedWebhook: () => {
          if (!simulator) throw new Error("The store-day simulator is not running yet");
          return simulator.sendMalformedOrder();
        },
      },
    );
    await ports.release("admin");
    const admin: SandboxAdmin = await startSandboxAdmin({
      port: ports.admin,
      appUrl: publicAppUrl,
      shop: store.shop.domain,
      storeName: store.shop.name,
      storeHandle: SANDBOX_STORE_HANDLE,
      appHandle: SANDBOX_APP_HANDLE,
      apiKey: SANDBOX_API_KEY,
      apiSecret: SANDBOX_API_SECRET,
      inbox: () => buildInbox(inboxSources),
      status: () => ({ simulator: simulator?.status() ?? null }),
      faults: {
        status: () => faultPanel.status(),
        apply: (action) => faultPanel.apply(action),
        credentials: [
          { vendor: "Klaviyo", lines: [`Private API key: ${DEFAULT_KLAVIYO_API_KEY}`] },
          {
            vendor: "Gorgias",
            lines: [
              `Gorgias domain: ${gorgias.domain}`,
              `User email: ${GORGIAS_DEFAULT_ACCOUNT.email}`,
              `API key: ${GORGIAS_DEFAULT_ACCOUNT.apiKey}`,
            ],
          },
        ],
      },
      catalog: () => pickerCatalog(store),
      store: () => store,
      // Extensions' `shopify.query`: Admin GraphQL as the app, with the shop's access token.
      adminGraphql: async (body) => {
        const answer = await fetch(shopify.graphqlUrl(), {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-shopify-access-token": sandboxAccessToken(store.shop.domain),
          },
          body,
        });
        return { status: answer.status, body: await answer.text() };
      },
      simulator: {
        pause: () => simulator?.pause(),
        resume: () => simulator?.resume(),
        setSpeed: (speed) => simulator?.setSpeed(speed),
      },
      // A buyer's post-purchase page: the simulator applies an accepted changeset and sends
      // Shopify's webhooks for it.
      checkout: checkoutRoutes({
        store: () => store,
        appUrl: publicAppUrl,
        apiSecret: SANDBOX_API_SECRET,
        applyChangeset: async (orderId, token) => {
          if (!simulator) throw new ChangesetRefused("the store is still starting");
          await simulator.applyChangesetFromPage(orderId, token, SANDBOX_API_KEY);
        },
      }),
    });
    cleanups.push(() => admin.close());
    adminUrl = admin.url;
    await ports.release("tunnel");
    const tunnel: Tunnel = await startTunnel({
      target: appUrl,
      port: ports.tunnel,
      frameAncestors: [admin.url],
      appBridgeUrl: admin.appBridgeUrl,
    });
    cleanups.push(() => tunnel.close());
    done("sandbox Admin", `${admin.url}  (app tunnel ${tunnel.url})`, started);

    // 4. the app
    const logFile = path.join(options.dataDir, "app.log");
    const log = createWriteStream(logFile, { flags: "a" });
    log.write(`\n--- ${new Date().toISOString()} npm run demo ---\n`);
    cleanups.push(() => new Promise<void>((resolve) => log.end(resolve)));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(ports.app),
      SHOPIFY_APP_URL: publicAppUrl,
      SHOPIFY_API_KEY: SANDBOX_API_KEY,
      SHOPIFY_API_SECRET: SANDBOX_API_SECRET,
      DATABASE_URL: "",
      PGLITE_DATA_DIR: pgliteDir,
      KLAVIYO_API_URL: klaviyo.url,
      GORGIAS_API_URL: gorgias.apiUrl,
      APP_BRIDGE_URL: admin.appBridgeUrl,
      [SHOPIFY_ADMIN_URL_ENV]: shopify.url,
      SANDBOX_PARENT_PID: String(process.pid),
      LOG_LEVEL: "info",
    };
    const boot = progress("app");
    boot.update("starting");
    await ports.release("app");
    // Its own process group, so stopping it also stops a build it may be running.
    app = spawn(process.execPath, ["--import", "./sandbox/preload.js", "server.js"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const child = app;
    let recent: string[] = [];
    let listening = false;
    const ready = new Promise<void>((resolve, reject) => {
      const onLine = (line: string, stream: "out" | "err") => {
        log.write(`${line}\n`);
        recent = [...recent.slice(-40), line];
        if (options.verbose || (listening && stream === "err" && /error/i.test(line)))
          console.log(dim(`  [app] ${line}`));
        if (!listening) {
          if (line.includes("[build]"))
            boot.update("building the app (first start or sources changed)");
          else if (/vite|transforming|rendering chunks|computing gzip/i.test(line))
            boot.update("building the app (first start or sources changed)");
          else if (line.includes("[boot]")) boot.update("migrating and starting job workers");
          if (line.includes("listening on")) {
            listening = true;
            resolve();
          }
        }
      };
      for (const [stream, source] of [
        ["out", child.stdout!],
        ["err", child.stderr!],
      ] as const) {
        let buffer = "";
        source.setEncoding("utf8");
        source.on("data", (chunk: string) => {
          buffer += chunk;
          const lines = buffer.split("\n");
          buffer = lines.pop() ?? "";
          for (const line of lines) onLine(line, stream);
        });
      }
      child.once("exit", (code, signal) => {
        if (!listening)
          reject(
            new Error(
              `the app exited while starting (${signal ?? `code ${code}`}). Last lines:\n${recent.slice(-25).join("\n")}`,
            ),
          );
        else if (!stopping) {
          console.error(
            red(`\nThe app stopped (${signal ?? `code ${code}`}). Last lines of ${logFile}:\n`) +
              recent.slice(-25).join("\n"),
          );
          void shutdown("app stopped", 1);
        }
      });
    });
    await ready;
    done("app", `${appUrl}  (log: ${shown(logFile)})`, boot.finish());

    // 4b. the plan: a store that never subscribed starts on --plan, approved at the fake and
    // learnt by the app from the signed app_subscriptions/update, as after a real approval.
    started = Date.now();
    const billing = billingOf(store);
    if (billing.subscriptions.length === 0 && isPaidPlan(options.plan)) {
      const { planReturnUrl } = await import("../app/billing/plan-screen.server");
      const delivered = shopify.billing.deliveries.length;
      shopify.billing.changed(
        store.shop.domain,
        approvedSubscription(
          billing,
          demoSubscription(
            options.plan,
            planReturnUrl(store.shop.domain),
            store.shop.planDisplayName,
          ),
          new Date(),
        ),
      );
      await shopify.billing.settled();
      const answered = shopify.billing.deliveries.slice(delivered);
      if (!answered.length || answered.some((d) => d.status !== 200))
        throw new Error(
          `the app did not take the ${options.plan} subscription's app_subscriptions/update (HTTP ${answered.map((d) => d.status ?? "no answer").join(", ")})`,
        );
      done("plan", `${options.plan} (test charge, approved at the Shopify fake)`, started);
    } else {
      const active = billing.subscriptions.find((s) => s.status === "ACTIVE");
      done(
        "plan",
        active
          ? `${active.name} (kept from the last run)`
          : billing.subscriptions.length
            ? "Free (no active subscription, kept from the last run)"
            : "Free (--plan Free: no subscription)",
        started,
      );
      if (billing.subscriptions.length && options.planGiven)
        console.log(dim("  (--plan only applies to a store that never subscribed)"));
    }

    // 5. simulator
    started = Date.now();
    simulator = new StoreDaySimulator({
      store,
      seed,
      state,
      speed: options.speed,
      appUrl: publicAppUrl,
      apiSecret: SANDBOX_API_SECRET,
      gorgias,
      protectedCustomerData: options.protectedCustomerData,
      postPurchase: { apiKey: SANDBOX_API_KEY, acceptRate: options.upsellAcceptRate },
      log: (line) => console.error(dim(line)),
    });
    inboxSources = { ...inboxSources, simulator };
    if (options.paused) simulator.pause();
    simulator.start();
    saving = setInterval(() => {
      try {
        save();
      } catch (error) {
        console.error(red(`Could not save the sandbox store: ${(error as Error).message}`));
      }
    }, 5_000);
    const status = simulator.status();
    done(
      "store-day simulator",
      `seed ${seed} · ${options.speed}× (${describeSpeed(options.speed)}) · store clock ${status.storeTime.replace("T", " ").slice(0, 16)} ${status.timeZone}${options.paused ? " · paused" : ""}${options.protectedCustomerData ? "" : " · protected customer data withheld"}`,
      started,
    );

    const open = `${admin.url}/`;
    console.log(`
  ${bold("Open")}  ${bold(open)}   the sandbox's Shopify Admin, with Switchboard embedded

  Try:
    • Activity: orders, payments, fulfillments, tracking scans and stock changes arriving as
      the store's day runs (some deliveries are duplicates, as Shopify sends them; they are
      stored once).
    • Integrations: Klaviyo and Gorgias are already connected to the local fakes (Klaviyo key
      ${DEFAULT_KLAVIYO_API_KEY}; Gorgias domain ${gorgias.domain}, ${GORGIAS_DEFAULT_ACCOUNT.email},
      key ${GORGIAS_DEFAULT_ACCOUNT.apiKey}) — disconnect one to see what stops, reconnect with these.
    • Practise failures  ${admin.url}/faults  take Klaviyo, Gorgias or the Shopify Admin API down,
      rate-limit them, or send a malformed webhook; then watch Activity retry and offer Retry.
    • Recipes: switch some on, then watch what they send to Klaviyo, Gorgias and Shopify.
    • Checkout  ${admin.url}/checkout  be a buyer on the post-purchase page of any order: the
      extension's own code draws the offer; accept or decline it.
    • Post-purchase upsell: switch it on and build a funnel; buyers see its offers after
      checkout and accept ${Math.round(options.upsellAcceptRate * 100)} % of them (--upsell-accept), so shown, charged
      revenue and A/B results fill in on Home. Inbox lists each shopper's answers.
    • Inbox  ${admin.url}/inbox  what Klaviyo, Gorgias and the Shopify Admin API received, live,
      and every webhook the simulator sent.
    • Pause or resume the store from the Admin sidebar; --speed changes how fast the day runs.

  Ctrl-C stops everything. \`npm run demo\` again resumes this store and its clock.
`);
  } catch (error) {
    if (stopping) return; // Ctrl-C while starting: shutdown() is already on it.
    console.error(
      red(
        `\nThe sandbox could not start: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
    await shutdown("startup failed", 1);
  }
}

/** What the app's `billing.request` asks Shopify for (app/billing/plans.ts billingConfig). */
function demoSubscription(plan: PaidPlanName, returnUrl: string, shopPlan: string) {
  const config = billingConfig()[plan];
  const [recurring, usage] = config.lineItems;
  return {
    name: plan,
    returnUrl,
    trialDays: config.trialDays,
    test: isTestShopPlan(shopPlan),
    lineItems: [
      {
        plan: {
          appRecurringPricingDetails: {
            price: { amount: recurring.amount, currencyCode: recurring.currencyCode },
            interval: recurring.interval,
          },
        },
      },
      {
        plan: {
          appUsagePricingDetails: {
            cappedAmount: { amount: usage.amount, currencyCode: usage.currencyCode },
            terms: usage.terms,
          },
        },
      },
    ],
  };
}

/** Signals the app and anything it started (a build). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

function describeSpeed(speed: number): string {
  if (speed === 1) return "real time";
  if (speed === 60) return "an hour a minute";
  const minutes = 60 / speed;
  return minutes >= 1
    ? `an hour every ${+minutes.toFixed(1)} min`
    : `an hour every ${Math.round(minutes * 60)} s`;
}

main().catch((error) => {
  console.error(red(error instanceof Error ? error.message : String(error)));
  process.exit(1);
});
