import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { historyImports, integrations, sessions, shops } from "../../db/schema/index";
import { openDatabase } from "../../app/db.server";
import { openToken } from "../../app/models/session-storage.server";
import { bootstrapSandboxDatabase, type BootstrapOptions } from "../../sandbox/bootstrap";
import {
  GORGIAS_DEFAULT_ACCOUNT,
  startGorgiasFake,
  type GorgiasFake,
} from "../../sandbox/fakes/gorgias";
import {
  DEFAULT_KLAVIYO_API_KEY,
  startKlaviyoFake,
  type KlaviyoFake,
} from "../../sandbox/fakes/klaviyo";
import { SANDBOX_ACCESS_TOKEN } from "../../sandbox/fakes/shopify-admin";
import { createSandboxStore } from "../../sandbox/store/generate";

const APP_URL = "http://127.0.0.1:4001";
let dir: string;
let klaviyo: KlaviyoFake | undefined;
let gorgias: GorgiasFake | undefined;

/** Fresh fakes, as every `npm run demo` starts them (they keep their data in memory). */
async function startFakes(): Promise<BootstrapOptions> {
  await klaviyo?.close();
  await gorgias?.close();
  [klaviyo, gorgias] = await Promise.all([startKlaviyoFake(), startGorgiasFake()]);
  return {
    dataDir: path.join(dir, "pglite"),
    shop: createSandboxStore().shop,
    accessToken: SANDBOX_ACCESS_TOKEN,
    appUrl: APP_URL,
    klaviyo: { baseUrl: klaviyo.url, apiKey: DEFAULT_KLAVIYO_API_KEY },
    gorgias: {
      apiUrl: gorgias.apiUrl,
      domain: gorgias.domain,
      email: GORGIAS_DEFAULT_ACCOUNT.email,
      apiKey: GORGIAS_DEFAULT_ACCOUNT.apiKey,
    },
  };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "switchboard-bootstrap-"));
});

afterAll(async () => {
  await klaviyo?.close();
  await gorgias?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function readBack() {
  const database = await openDatabase({ dataDir: path.join(dir, "pglite") });
  try {
    return {
      sessions: await database.db.select().from(sessions),
      shops: await database.db.select().from(shops),
      integrations: await database.db.select().from(integrations),
      historyImports: await database.db.select().from(historyImports),
    };
  } finally {
    await database.close();
  }
}

describe("sandbox bootstrap of the app's database", () => {
  let firstImportId = "";
  it("installs the sandbox shop with the Admin fake's token and connects Klaviyo and Gorgias through the app's own code", async () => {
    const report = await bootstrapSandboxDatabase(await startFakes());
    expect(report).toMatchObject({
      sessionCreated: true,
      installedBefore: false,
      klaviyo: { ok: true },
      gorgias: { ok: true, webhookRegistered: true },
    });

    const stored = await readBack();
    expect(stored.sessions).toEqual([
      expect.objectContaining({ id: "offline_switchboard-sandbox.myshopify.com", isOnline: false }),
    ]);
    // The Admin token is sealed at rest and opens to the fake's token.
    const [session] = stored.sessions;
    expect(session!.accessToken).not.toContain(SANDBOX_ACCESS_TOKEN);
    expect(openToken(session!.accessToken, session!.shop, "accessToken")).toBe(
      SANDBOX_ACCESS_TOKEN,
    );
    expect(stored.shops).toEqual([
      expect.objectContaining({
        domain: "switchboard-sandbox.myshopify.com",
        name: "Switchboard Sandbox",
        uninstalledAt: null,
      }),
    ]);
    expect(stored.integrations.map((row) => [row.vendor, row.status])).toEqual(
      expect.arrayContaining([
        ["klaviyo", "connected"],
        ["gorgias", "connected"],
      ]),
    );
    // Credentials are sealed, never stored in the clear.
    expect(JSON.stringify(stored.integrations)).not.toContain(DEFAULT_KLAVIYO_API_KEY);
    // The new store's history import is queued, to run once the app's workers start.
    expect(stored.historyImports).toEqual([
      expect.objectContaining({
        shop: "switchboard-sandbox.myshopify.com",
        status: "running",
        phase: "orders",
      }),
    ]);
    firstImportId = stored.historyImports[0]!.importId;
    // Gorgias will call the app back through its public URL when tickets change.
    expect(gorgias!.state.integrations.map((i) => i.http.url)).toEqual([
      `${APP_URL}/integrations/gorgias/webhook?shop=switchboard-sandbox.myshopify.com`,
    ]);
  });

  it("is safe to run on every start: the session and install are kept, connections made again with the new fakes", async () => {
    const report = await bootstrapSandboxDatabase(await startFakes());
    expect(report).toMatchObject({
      sessionCreated: false,
      installedBefore: true,
      klaviyo: { ok: true },
      gorgias: { ok: true },
    });
    const stored = await readBack();
    expect(stored.sessions).toHaveLength(1);
    expect(stored.integrations).toHaveLength(2);
    // A restart does not import the store again.
    expect(stored.historyImports.map((row) => row.importId)).toEqual([firstImportId]);
    expect(gorgias!.state.integrations).toHaveLength(1);
    expect(klaviyo!.received.some((r) => r.path === "/api/accounts" && r.status === 200)).toBe(
      true,
    );
  });
});
