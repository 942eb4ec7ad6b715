import { realFetch } from "./real-fetch";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { setVendorEndpoints } from "../../app/integrations/config.server";
import {
  startGorgiasFake,
  type GorgiasAccount,
  type GorgiasFake,
  type GorgiasFakeOptions,
} from "../../sandbox/fakes/gorgias";
import {
  startKlaviyoFake,
  type KlaviyoApiKeyConfig,
  type KlaviyoFake,
  type KlaviyoFakeOptions,
} from "../../sandbox/fakes/klaviyo";

/** Two stores, each with its own Klaviyo account and Gorgias user. Not secret: fakes only. */
export const SHOP_A = "acme-outdoor.myshopify.com";
export const SHOP_B = "beta-goods.myshopify.com";

export const KLAVIYO_KEYS = {
  [SHOP_A]: "pk_acme_7f3c1e9a2b4d6f8e0a1c3e5b7d9f1a2b",
  [SHOP_B]: "pk_beta_0e2c4a6b8d1f3e5a7c9b2d4f6a8c1e3d",
} as const;

export const GORGIAS_USERS: Record<string, GorgiasAccount> = {
  [SHOP_A]: {
    email: "agent@acme-outdoor.test",
    apiKey: "gorgias_acme_4b6d8f0a2c4e6a8b0d2f",
    name: "Acme Agent",
  },
  [SHOP_B]: {
    email: "agent@beta-goods.test",
    apiKey: "gorgias_beta_9c1e3a5b7d9f1b3d5f7a",
    name: "Beta Agent",
  },
};

export const GORGIAS_DOMAIN = "acme-outdoor";

export interface VendorFakes {
  klaviyo: KlaviyoFake;
  gorgias: GorgiasFake;
}

export interface VendorFakeOptions {
  klaviyo?: Omit<KlaviyoFakeOptions, "apiKeys">;
  extraKlaviyoKeys?: Record<string, KlaviyoApiKeyConfig>;
  gorgias?: Omit<GorgiasFakeOptions, "accounts" | "domain">;
  /** Per-request timeout of the clients (default 1 s, so injected hangs are cheap). */
  timeoutMs?: number;
}

/** Starts both fakes on loopback and points this process's vendor clients at them. */
export async function startVendorFakes(options: VendorFakeOptions = {}): Promise<VendorFakes> {
  const klaviyo = await startKlaviyoFake({
    importJobDelayMs: 50,
    ...options.klaviyo,
    apiKeys: {
      [KLAVIYO_KEYS[SHOP_A]]: { accountName: "Acme Outdoor" },
      [KLAVIYO_KEYS[SHOP_B]]: { accountName: "Beta Goods" },
      ...options.extraKlaviyoKeys,
    },
  });
  const gorgias = await startGorgiasFake({
    ...options.gorgias,
    domain: GORGIAS_DOMAIN,
    accounts: Object.values(GORGIAS_USERS),
  });
  setVendorEndpoints({
    klaviyoBaseUrl: klaviyo.url,
    gorgiasBaseUrl: gorgias.apiUrl,
    timeoutMs: options.timeoutMs ?? 1_000,
    fetch: realFetch,
  });
  return { klaviyo, gorgias };
}

export async function stopVendorFakes(fakes: VendorFakes | undefined): Promise<void> {
  setVendorEndpoints(undefined);
  await fakes?.klaviyo.close();
  await fakes?.gorgias.close();
}

/**
 * Empties the shared rate-limit buckets of the database the app is using, if any: a budget
 * spent (or a Retry-After) in one test must not pace the next.
 */
async function forgetRateLimits(): Promise<void> {
  const installed = globalThis.__switchboardDatabase;
  if (!installed) return;
  const database = await installed;
  const { rows } = await database.executeSql(
    "select to_regclass('rate_limit_buckets') is not null as present",
  );
  if (rows[0]?.present) await database.executeSql("delete from rate_limit_buckets");
}

/** Fakes for a test file: started before its suites, reset (data, faults, rate limits) before each test. */
export function withVendorFakes(options: VendorFakeOptions = {}): () => VendorFakes {
  let fakes: VendorFakes | undefined;
  beforeAll(async () => {
    fakes = await startVendorFakes(options);
  });
  afterAll(() => stopVendorFakes(fakes));
  const noFaults = () => {
    const none = { errorRate: 0, timeoutRate: 0, burst429: 0, latencyMs: 0 };
    fakes?.klaviyo.setFaults(none);
    fakes?.gorgias.setFaults(none);
  };
  beforeEach(async () => {
    await forgetRateLimits();
    fakes?.klaviyo.reset();
    fakes?.gorgias.reset();
    noFaults();
  });
  // Faults a test switched on, and the Klaviyo budgets it spent, must not reach the next
  // suite's setup (its beforeAll connects before any beforeEach resets the fake).
  afterEach(() => {
    noFaults();
    fakes?.klaviyo.forgetRateLimits();
  });
  return () => {
    if (!fakes) throw new Error("vendor fakes not started");
    return fakes;
  };
}
