import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

export interface RunningApp {
  url: string;
  dataDir: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the production server (`node server.js`, which builds first if needed) on a free
 * port with its own PGlite directory. `seed` runs against that directory before the server
 * opens it: PGlite allows one process per data directory.
 */
export async function startApp(
  options: {
    seed?: (dataDir: string) => Promise<void>;
    env?: Record<string, string>;
  } = {},
): Promise<RunningApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-e2e-"));
  const pgliteDir = path.join(dataDir, "pglite");
  if (options.seed) await options.seed(pgliteDir);
  const port = await freePort();
  let output = "";
  const child = spawn(process.execPath, ["server.js"], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      NODE_ENV: "test",
      PORT: String(port),
      PGLITE_DATA_DIR: pgliteDir,
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET_KEY,
      SHOPIFY_APP_URL: `http://localhost:${port}`,
      DATABASE_URL: "",
      // "listening on", awaited below, is an info line (the suite's own level is warn).
      LOG_LEVEL: "info",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 120_000;
  while (!output.includes("listening on")) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`server did not start in time:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dataDir,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Seeds a PGlite data directory with what Shopify's install leaves behind: the test shop's
 * offline session, and (with `shopName`) the shop's install record. For `startApp({ seed })`.
 */
export async function seedInstalledShop(dataDir: string, options: { shopName?: string } = {}) {
  const { migrateDatabase, openDatabase } = await import("../../app/db.server");
  const { sessions, shops } = await import("../../db/schema/index");
  const { setUpValidSession, TEST_SHOP } = await import("@shopify/shopify-api/test-helpers");
  const database = await openDatabase({ dataDir });
  try {
    await migrateDatabase(database);
    const session = setUpValidSession({
      shop: TEST_SHOP,
      isOnline: false,
      expires: new Date(Date.now() + 86_400_000),
    } as any);
    await database.db.insert(sessions).values({
      id: session.id,
      shop: session.shop,
      state: session.state,
      isOnline: false,
      scope: session.scope ?? null,
      expires: session.expires ?? null,
      accessToken: session.accessToken!,
    });
    if (options.shopName)
      await database.db.insert(shops).values({ domain: TEST_SHOP, name: options.shopName });
  } finally {
    await database.close();
  }
}

/** An embedded-app URL as Shopify Admin opens it: embedded, shop, host and a fresh session token. */
export async function embeddedUrl(appUrl: string, path: string): Promise<string> {
  const { API_KEY, API_SECRET_KEY, BASE64_HOST, getJwt, TEST_SHOP, TEST_SHOP_NAME } =
    await import("@shopify/shopify-api/test-helpers");
  const { token } = await getJwt(TEST_SHOP_NAME, API_KEY, API_SECRET_KEY);
  const params = new URLSearchParams({
    embedded: "1",
    shop: TEST_SHOP,
    host: BASE64_HOST,
    id_token: token,
  });
  return `${appUrl}${path}?${params}`;
}
