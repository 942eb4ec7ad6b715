import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_KLAVIYO_API_KEY,
  startKlaviyoFake,
  type KlaviyoFake,
} from "../../../sandbox/fakes/klaviyo";
import { migrateDatabase, openDatabase, type Database } from "../../db.server";
import { VendorRetryableError, VendorTerminalError } from "../http.server";
import { RateLimiter, shopPacer } from "../rate-limiter.server";
import {
  createKlaviyoClient,
  KLAVIYO_REVISION,
  planBulkImportJobs,
  type KlaviyoClientOptions,
} from "./client.server";

const LIMITED_KEY = "pk_limited_00000000000000000000000000000";
const OTHER_KEY = "pk_other_000000000000000000000000000000";

let fake: KlaviyoFake;
/** Holds the pacer's shared budgets. */
let database: Database;
const client = (options: Partial<KlaviyoClientOptions> = {}) =>
  createKlaviyoClient({
    apiKey: DEFAULT_KLAVIYO_API_KEY,
    baseUrl: fake.url,
    timeoutMs: 2_000,
    ...options,
  });

/** Fails the test unless `promise` rejects; returns the error. */
async function failure(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    () => expect.unreachable("expected the call to fail"),
    (error) => error,
  );
}

beforeAll(async () => {
  fake = await startKlaviyoFake({
    apiKeys: {
      [DEFAULT_KLAVIYO_API_KEY]: { accountName: "Acme Outdoor" },
      [LIMITED_KEY]: {
        accountName: "Acme Outdoor",
        scopes: ["accounts:read", "events:write", "profiles:read"],
      },
      [OTHER_KEY]: { accountName: "Other Store" },
    },
    importJobDelayMs: 50,
  });
  database = await openDatabase({ dataDir: "memory://" });
  await migrateDatabase(database);
});
afterAll(async () => {
  await fake.close();
  await database.close();
});
beforeEach(async () => {
  await database.executeSql("delete from rate_limit_buckets");
  fake.reset();
  fake.setFaults({ errorRate: 0, timeoutRate: 0, burst429: 0 });
});

describe("Klaviyo client against the Klaviyo fake (bodies validated against the 2026-07-15 OpenAPI)", () => {
  it("reads the account name with the pinned revision and the private-key header", async () => {
    const account = await client().getAccount();
    expect(account.name).toBe("Acme Outdoor");
    const [request] = fake.received;
    expect(request!.headers.revision).toBe(KLAVIYO_REVISION);
    expect(request!.headers.authorization).toBe("[redacted]");
  });

  it("reports exactly the scopes a key lacks, without changing anything in the account", async () => {
    // Both keys belong to one account, whose GET /api/accounts allows 1 request per second:
    // the pacer waits for the next slot.
    const pacer = shopPacer("klaviyo", "acme.myshopify.com", { db: database.db });
    const check = await client({ apiKey: LIMITED_KEY, pacer }).checkKey();
    expect(check.account?.name).toBe("Acme Outdoor");
    expect(check.missing.sort()).toEqual([
      "data-privacy:write",
      "lists:read",
      "lists:write",
      "profiles:write",
    ]);
    expect(check.granted.sort()).toEqual(["accounts:read", "events:write", "profiles:read"]);
    expect(fake.state.events).toEqual([]);
    expect(fake.state.lists.size).toBe(0);
    expect(fake.state.profiles.size).toBe(0);

    const full = await client({ pacer }).checkKey();
    expect(full.missing).toEqual([]);
  });

  it("creates an event Klaviyo accepts, and a replay with the same unique_id is dropped by Klaviyo", async () => {
    const event = {
      metric: "Switchboard Shipment Delayed",
      profile: { email: "jane.doe@example.com", externalId: "7001002003", firstName: "Jane" },
      properties: { OrderName: "#1042", Carrier: "UPS" },
      value: 129.5,
      valueCurrency: "USD",
      uniqueId: "acme.myshopify.com:fulfillment/77/delayed:shipping-delay-outreach",
    };
    await client().createEvent(event);
    await client().createEvent(event);
    expect(fake.state.events).toHaveLength(1);
    expect(fake.state.duplicateEvents).toHaveLength(1);
    const [stored] = fake.state.events;
    expect(stored).toMatchObject({
      metricName: "Switchboard Shipment Delayed",
      value: 129.5,
      value_currency: "USD",
      unique_id: event.uniqueId,
      properties: event.properties,
    });
    expect(fake.findProfile({ email: "jane.doe@example.com" })?.external_id).toBe("7001002003");
    expect(fake.received.every((r) => r.status === 202)).toBe(true);
  });

  it("upserts a profile (201 then 200) and returns Klaviyo's id", async () => {
    const first = await client().upsertProfile({
      email: "sam@example.com",
      properties: { switchboard_vip: true },
    });
    const second = await client().upsertProfile({ email: "sam@example.com", lastName: "Lee" });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    await client().upsertProfile({ phoneNumber: "+15555550123", externalId: "7001002003" });
    const byPhone = await client().findProfileId({ phoneNumber: "+15555550123" });
    expect(byPhone).toBe(fake.findProfile({ phone_number: "+15555550123" })!.id);
    expect(await client().findProfileId({ externalId: "7001002003" })).toBe(byPhone);
    expect(await client().findProfileId({ email: "SAM@example.com" })).toBe(first.id);
    expect(await client().findProfileId({ externalId: "nobody" })).toBeNull();
    expect(fake.findProfile({ email: "sam@example.com" })).toMatchObject({
      last_name: "Lee",
      properties: { switchboard_vip: true },
    });
  });

  it("finds or creates a list by exact name, once", async () => {
    const created = await client().findOrCreateList('VIP "gold" customers');
    const found = await client().findOrCreateList('VIP "gold" customers');
    expect(created.created).toBe(true);
    expect(found).toEqual({ ...created, created: false });
    expect(fake.state.lists.size).toBe(1);
  });

  it("adds and removes list members in calls of at most 1,000 profiles", async () => {
    const rateless = await startKlaviyoFake({ rateLimits: false, importJobDelayMs: 0 });
    try {
      const c = createKlaviyoClient({ apiKey: DEFAULT_KLAVIYO_API_KEY, baseUrl: rateless.url });
      const list = await c.createList("Win-back 90 days");
      const profiles = Array.from({ length: 2_500 }, (_, i) => ({
        email: `member-${i}@example.com`,
      }));
      const job = await c.createBulkImportJob({ profiles });
      rateless.runPendingJobs();
      expect((await c.getBulkImportJob(job.id)).status).toBe("complete");
      const ids = profiles.map((p) => rateless.findProfile(p)!.id);
      expect(await c.addProfilesToList(list.id, ids)).toBe(3);
      expect(rateless.listMemberIds(list.id)).toHaveLength(2_500);
      expect(await c.removeProfilesFromList(list.id, ids.slice(0, 1_200))).toBe(2);
      expect(rateless.listMemberIds(list.id)).toHaveLength(1_300);
      const bodies = rateless.received
        .filter((r) => r.path.endsWith("/relationships/profiles"))
        .map((r) => (r.body as { data: unknown[] }).data.length);
      expect(bodies).toEqual([1_000, 1_000, 500, 1_000, 200]);
      expect(await c.findProfileIdsByEmail(["MEMBER-7@example.com", "nobody@example.com"])).toEqual(
        new Map([["member-7@example.com", ids[7]]]),
      );
    } finally {
      await rateless.close();
    }
  });

  it("plans bulk imports within 10,000 profiles and 5 MB per job", () => {
    const many = Array.from({ length: 25_001 }, (_, i) => ({ email: `p${i}@example.com` }));
    expect(planBulkImportJobs(many).map((job) => job.length)).toEqual([10_000, 10_000, 5_001]);
    const heavy = Array.from({ length: 70 }, (_, i) => ({
      email: `h${i}@example.com`,
      properties: { notes: "x".repeat(90_000) },
    }));
    const jobs = planBulkImportJobs(heavy);
    expect(jobs.length).toBeGreaterThan(1);
    for (const job of jobs) expect(Buffer.byteLength(JSON.stringify(job))).toBeLessThan(5_000_000);
  });

  it("runs a bulk import job attached to a list and reports per-profile failures by index", async () => {
    const list = await client().createList("Imported");
    const profiles = [
      { email: "a@example.com" },
      { email: "b@example.com", properties: { blob: "x".repeat(100_001) } },
      { email: "c@example.com" },
    ];
    const job = await client().createBulkImportJob({ profiles, listId: list.id });
    expect(job.total).toBe(3);
    let status = job;
    for (let i = 0; i < 50 && status.status !== "complete"; i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = await client().getBulkImportJob(job.id);
    }
    expect(status).toMatchObject({ status: "complete", completed: 2, failed: 1 });
    const errors = await client().getBulkImportJobErrors(job.id);
    expect(errors).toEqual([{ index: 1, detail: expect.stringContaining("100000 bytes") }]);
    expect(fake.listMemberIds(list.id)).toHaveLength(2);
  });

  it("turns a JSON:API 400 into a TerminalError with Klaviyo's own detail and pointer", async () => {
    const error = await failure(client().upsertProfile({ email: "not-an-email" }));
    expect(error).toBeInstanceOf(VendorTerminalError);
    expect(error).toMatchObject({ status: 400, code: "invalid", failure: "rejected" });
    expect(error.message).toContain("Invalid email address: 'not-an-email'");
    expect(error.message).toContain("/data/attributes/email");
  });

  it("treats a wrong key as terminal (401) and keeps accounts apart", async () => {
    const wrong = await failure(
      client({ apiKey: "pk_wrong_0000000000000000000000000000000" }).getAccount(),
    );
    expect(wrong).toBeInstanceOf(VendorTerminalError);
    expect(wrong.failure).toBe("unauthorized");
    await client({ apiKey: OTHER_KEY }).createEvent({
      metric: "Other",
      profile: { email: "x@example.com" },
      uniqueId: "u1",
    });
    expect(fake.state.events).toHaveLength(0);
    expect(fake.accountState(OTHER_KEY)!.events).toHaveLength(1);
  });

  it("treats 429 as retryable with Retry-After, and the pacer then holds that bucket", async () => {
    fake.setFaults({ burst429: 1, retryAfterSeconds: 3 });
    let now = 1_000_000;
    const limiter = new RateLimiter(database.db, { now: () => now });
    const pacer = shopPacer("klaviyo", "acme.myshopify.com", { limiter, maxWaitMs: 0 });
    const error = await failure(client({ pacer }).getAccount());
    expect(error).toBeInstanceOf(VendorRetryableError);
    expect(error).toMatchObject({ failure: "rate-limited", status: 429, retryAfterSeconds: 3 });
    // Within the Retry-After window, the pacer refuses to start another call to that endpoint.
    const held = await failure(client({ pacer }).getAccount());
    expect(held).toMatchObject({ failure: "rate-limited", status: null });
    expect(fake.received).toHaveLength(1);
    now += 3_001;
    expect((await client({ pacer }).getAccount()).name).toBe("Acme Outdoor");
  });

  it("treats 5xx, timeouts and unreachable hosts as retryable", async () => {
    fake.setFaults({ errorRate: 1 });
    expect(await failure(client().getAccount())).toMatchObject({
      failure: "server-error",
      retryAfterSeconds: undefined,
    });
    fake.setFaults({ errorRate: 0, timeoutRate: 1 });
    const timeout = await failure(client({ timeoutMs: 200 }).getAccount());
    expect(timeout).toBeInstanceOf(VendorRetryableError);
    expect(timeout.failure).toBe("timeout");
    fake.setFaults({ timeoutRate: 0 });
    const unreachable = await failure(client({ baseUrl: "http://127.0.0.1:9" }).getAccount());
    expect(unreachable).toBeInstanceOf(VendorRetryableError);
    expect(unreachable.failure).toBe("unreachable");
  });

  it("never puts the private key in an error message", async () => {
    const secret = "pk_wrong_secret_value_1234567890abcdef";
    const error = await failure(client({ apiKey: secret }).getAccount());
    expect(JSON.stringify({ message: error.message, ...error })).not.toContain(secret);
  });
});
