import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_KLAVIYO_API_KEY,
  startKlaviyoFake,
  type KlaviyoFake,
  type KlaviyoOperationId,
} from "./klaviyo";

const JSON_API = "application/vnd.api+json";
const REVISION = "2026-07-15";

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

interface CallOptions {
  key?: string | null;
  revision?: string | null;
  contentType?: string;
  rawBody?: string;
}

async function call(
  fake: KlaviyoFake,
  method: string,
  path: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { accept: JSON_API };
  const key = options.key === undefined ? DEFAULT_KLAVIYO_API_KEY : options.key;
  if (key !== null) headers.authorization = `Klaviyo-API-Key ${key}`;
  const revision = options.revision === undefined ? REVISION : options.revision;
  if (revision !== null) headers.revision = revision;
  const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers["content-type"] = options.contentType ?? JSON_API;
  const response = await fetch(`${fake.url}${path}`, { method, headers, body: payload });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

/** The fake's answer must match Klaviyo's published response schema for that status. */
function expectSpecShape(fake: KlaviyoFake, operationId: KlaviyoOperationId, reply: Reply) {
  expect(fake.spec.validateResponseBody(operationId, reply.status, reply.body)).toEqual([]);
}

function eventBody(options: {
  email?: string;
  externalId?: string;
  metric?: string;
  uniqueId?: string;
  time?: string;
  properties?: Record<string, unknown>;
  value?: number;
  profile?: Record<string, unknown>;
}) {
  return {
    data: {
      type: "event",
      attributes: {
        properties: options.properties ?? { OrderId: "1001" },
        metric: {
          data: {
            type: "metric",
            attributes: { name: options.metric ?? "Switchboard Upsell Accepted" },
          },
        },
        profile: {
          data: {
            type: "profile",
            attributes: options.profile ?? {
              ...(options.email ? { email: options.email } : {}),
              ...(options.externalId ? { external_id: options.externalId } : {}),
            },
          },
        },
        ...(options.time ? { time: options.time } : {}),
        ...(options.value !== undefined ? { value: options.value, value_currency: "USD" } : {}),
        ...(options.uniqueId ? { unique_id: options.uniqueId } : {}),
      },
    },
  };
}

const profileBody = (attributes: Record<string, unknown>, id?: string) => ({
  data: { type: "profile", ...(id ? { id } : {}), attributes },
});

const listBody = (name: string) => ({ data: { type: "list", attributes: { name } } });

const members = (ids: string[]) => ({ data: ids.map((id) => ({ type: "profile", id })) });

async function createProfiles(
  fake: KlaviyoFake,
  count: number,
  prefix = "shopper",
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const reply = await call(
      fake,
      "POST",
      "/api/profile-import",
      profileBody({ email: `${prefix}${i}@example.com` }),
    );
    expect(reply.status).toBe(201);
    ids.push(reply.body.data.id);
  }
  return ids;
}

async function createList(fake: KlaviyoFake, name: string): Promise<string> {
  const reply = await call(fake, "POST", "/api/lists", listBody(name));
  expect(reply.status).toBe(201);
  return reply.body.data.id;
}

describe("Klaviyo fake: accepted requests", () => {
  let fake: KlaviyoFake;
  beforeAll(async () => {
    fake = await startKlaviyoFake({
      importJobDelayMs: 300,
      // The job test polls every 20 ms, faster than Klaviyo's 10/s allows for this endpoint.
      rateLimits: { get_bulk_import_profiles_job: { burst: 100, steady: 1000 } },
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it("answers GET /api/accounts with the account and its organization name", async () => {
    const reply = await call(fake, "GET", "/api/accounts");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe(JSON_API);
    expect(reply.body.data).toHaveLength(1);
    expect(reply.body.data[0].attributes.contact_information.organization_name).toBe(
      "Switchboard Sandbox",
    );
    expect(reply.body.data[0].id).toBe(fake.state.account.id);
    expectSpecShape(fake, "get_accounts", reply);
  });

  it("stores an event with 202, creating its profile and metric", async () => {
    const second = Math.floor((Date.now() - 86_400_000) / 1000) * 1000;
    const expectedTime = new Date(second).toISOString().replace(".000Z", "+00:00");
    const reply = await call(
      fake,
      "POST",
      "/api/events",
      eventBody({
        email: "ada@example.com",
        uniqueId: "shop-1:1001:upsell",
        value: 19.5,
        time: new Date(second + 678).toISOString(),
      }),
    );
    expect(reply.status).toBe(202);
    expect(reply.body).toBeUndefined();

    const profile = fake.findProfile({ email: "ada@example.com" });
    expect(profile).toBeDefined();
    expect([...fake.state.metrics.values()].map((m) => m.name)).toEqual([
      "Switchboard Upsell Accepted",
    ]);
    expect(fake.state.events).toHaveLength(1);
    expect(fake.state.events[0]).toMatchObject({
      profileId: profile!.id,
      metricName: "Switchboard Upsell Accepted",
      properties: { OrderId: "1001" },
      value: 19.5,
      value_currency: "USD",
      unique_id: "shop-1:1001:upsell",
      time: expectedTime, // truncated to the second
    });
    expect(profile!.last_event_date).toBe(expectedTime);

    const metrics = await call(fake, "GET", "/api/metrics");
    expect(metrics.status).toBe(200);
    expect(metrics.body.data[0].attributes.name).toBe("Switchboard Upsell Accepted");
    expectSpecShape(fake, "get_metrics", metrics);
  });

  it("keeps only the first event when unique_id repeats for the same profile and metric", async () => {
    const first = await call(
      fake,
      "POST",
      "/api/events",
      eventBody({ email: "a@example.com", uniqueId: "order-1" }),
    );
    const repeat = await call(
      fake,
      "POST",
      "/api/events",
      eventBody({ email: "a@example.com", uniqueId: "order-1" }),
    );
    const otherMetric = await call(
      fake,
      "POST",
      "/api/events",
      eventBody({
        email: "a@example.com",
        uniqueId: "order-1",
        metric: "Switchboard Ticket Opened",
      }),
    );
    const otherProfile = await call(
      fake,
      "POST",
      "/api/events",
      eventBody({ email: "b@example.com", uniqueId: "order-1" }),
    );
    expect([first.status, repeat.status, otherMetric.status, otherProfile.status]).toEqual([
      202, 202, 202, 202,
    ]);
    expect(fake.state.events).toHaveLength(3);
    expect(fake.state.duplicateEvents).toHaveLength(1);
  });

  it("without unique_id dedupes on the event time to the second, as Klaviyo does", async () => {
    const second = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
    const klaviyoTime = (ms: number) => new Date(ms).toISOString().replace(".000Z", "+00:00");
    const send = (ms: number) =>
      call(
        fake,
        "POST",
        "/api/events",
        eventBody({ email: "a@example.com", time: new Date(ms).toISOString() }),
      );
    await send(second);
    await send(second + 900);
    await send(second + 1000);
    expect(fake.state.events.map((e) => e.unique_id)).toEqual([
      klaviyoTime(second),
      klaviyoTime(second + 1000),
    ]);
    expect(fake.state.duplicateEvents).toHaveLength(1);
  });

  it("profile-import creates with 201, then updates with 200: null clears, omitted fields stay", async () => {
    const created = await call(
      fake,
      "POST",
      "/api/profile-import",
      profileBody({
        email: "grace@example.com",
        external_id: "gid://shopify/Customer/7",
        first_name: "Grace",
        last_name: "Hopper",
        location: { city: "Arlington", country: "United States" },
        properties: { tier: "gold", orders: 3 },
      }),
    );
    expect(created.status).toBe(201);
    expectSpecShape(fake, "create_or_update_profile", created);
    const id = created.body.data.id as string;
    expect(id).toMatch(/^01[0-9A-Z]{24}$/);

    const updated = await call(
      fake,
      "POST",
      "/api/profile-import",
      profileBody({
        email: "GRACE@example.com",
        last_name: null,
        location: { city: "New York" },
        properties: { orders: 4 },
      }),
    );
    expect(updated.status).toBe(200);
    expectSpecShape(fake, "create_or_update_profile", updated);
    expect(updated.body.data.id).toBe(id);
    expect(updated.body.data.attributes).toMatchObject({
      first_name: "Grace",
      last_name: null,
      external_id: "gid://shopify/Customer/7",
      location: { city: "New York", country: "United States" },
      properties: { tier: "gold", orders: 4 },
    });
    expect(fake.state.profiles.size).toBe(1);

    const cleared = await call(
      fake,
      "POST",
      "/api/profile-import",
      profileBody({ properties: null }, id),
    );
    expect(cleared.status).toBe(200);
    expect(cleared.body.data.attributes.properties).toEqual({});
  });

  it("profile-import answers 409 when identifiers belong to two different profiles", async () => {
    await createProfiles(fake, 2);
    const reply = await call(
      fake,
      "POST",
      "/api/profile-import",
      profileBody({ email: "shopper0@example.com", phone_number: "+15005550006" }),
    );
    expect(reply.status).toBe(200); // adds the phone number to shopper0
    const conflict = await call(
      fake,
      "POST",
      "/api/profile-import",
      profileBody({ email: "shopper1@example.com", phone_number: "+15005550006" }),
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body.errors[0]).toMatchObject({
      code: "duplicate_profile",
      meta: { duplicate_profile_id: reply.body.data.id },
    });
  });

  it("finds profiles with filter=equals(email,…) and equals(external_id,…), and by id", async () => {
    await call(
      fake,
      "POST",
      "/api/profile-import",
      profileBody({ email: "x@example.com", external_id: "ext-1" }),
    );
    await call(
      fake,
      "POST",
      "/api/profile-import",
      profileBody({ email: "y@example.com", external_id: "ext-2" }),
    );

    const byEmail = await call(
      fake,
      "GET",
      `/api/profiles?filter=${encodeURIComponent('equals(email,"y@example.com")')}`,
    );
    expect(byEmail.status).toBe(200);
    expectSpecShape(fake, "get_profiles", byEmail);
    expect(byEmail.body.data.map((p: any) => p.attributes.email)).toEqual(["y@example.com"]);

    const byExternal = await call(
      fake,
      "GET",
      `/api/profiles?filter=${encodeURIComponent("equals(external_id,'ext-1')")}`,
    );
    expect(byExternal.body.data.map((p: any) => p.attributes.external_id)).toEqual(["ext-1"]);

    const both = await call(
      fake,
      "GET",
      `/api/profiles?filter=${encodeURIComponent('any(email,["x@example.com","y@example.com"])')}&sort=-email`,
    );
    expect(both.body.data.map((p: any) => p.attributes.email)).toEqual([
      "y@example.com",
      "x@example.com",
    ]);

    const one = await call(
      fake,
      "GET",
      `/api/profiles/${byEmail.body.data[0].id}?fields[profile]=email`,
    );
    expect(one.status).toBe(200);
    expect(one.body.data.attributes).toEqual({ email: "y@example.com" });
    expectSpecShape(fake, "get_profile", one);

    const missing = await call(fake, "GET", "/api/profiles/01NOSUCHPROFILE0000000000");
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].code).toBe("not_found");
  });

  it("creates a list, finds it by name, adds, pages through and removes members", async () => {
    const created = await call(fake, "POST", "/api/lists", listBody("VIP upsell buyers"));
    expect(created.status).toBe(201);
    expectSpecShape(fake, "create_list", created);
    const listId = created.body.data.id as string;
    expect(listId).toMatch(/^[A-Za-z0-9]{6}$/);
    await createList(fake, "Another list");

    const found = await call(
      fake,
      "GET",
      `/api/lists?filter=${encodeURIComponent('equals(name,"VIP upsell buyers")')}`,
    );
    expect(found.body.data.map((l: any) => l.id)).toEqual([listId]);
    expectSpecShape(fake, "get_lists", found);

    const ids = await createProfiles(fake, 25);
    const added = await call(
      fake,
      "POST",
      `/api/lists/${listId}/relationships/profiles`,
      members(ids),
    );
    expect(added.status).toBe(204);
    expect(added.body).toBeUndefined();
    // Adding again is harmless.
    expect(
      (
        await call(
          fake,
          "POST",
          `/api/lists/${listId}/relationships/profiles`,
          members(ids.slice(0, 3)),
        )
      ).status,
    ).toBe(204);

    const seen: string[] = [];
    let next: string | undefined = `/api/lists/${listId}/relationships/profiles?page[size]=10`;
    let pages = 0;
    while (next) {
      const page = await call(fake, "GET", next);
      expect(page.status).toBe(200);
      expectSpecShape(fake, "get_profile_ids_for_list", page);
      seen.push(...page.body.data.map((p: any) => p.id));
      next = page.body.links.next
        ? new URL(page.body.links.next).pathname + new URL(page.body.links.next).search
        : undefined;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);

    const removed = await call(
      fake,
      "DELETE",
      `/api/lists/${listId}/relationships/profiles`,
      members(ids.slice(0, 20)),
    );
    expect(removed.status).toBe(204);
    expect(fake.listMemberIds(listId)).toEqual(ids.slice(20));

    const withCount = await call(
      fake,
      "GET",
      `/api/lists/${listId}?additional-fields[list]=profile_count`,
    );
    expect(withCount.body.data.attributes.profile_count).toBe(5);
    expectSpecShape(fake, "get_list", withCount);
  });

  it("runs a bulk import job queued → processing → complete and fills the list", async () => {
    const listId = await createList(fake, "Imported");
    const existing = (await createProfiles(fake, 1, "returning"))[0]!;
    const profiles = [
      { type: "profile", attributes: { email: "returning0@example.com", first_name: "Back" } },
      ...Array.from({ length: 4 }, (_, i) => ({
        type: "profile",
        attributes: { email: `new${i}@example.com` },
      })),
      { type: "profile", attributes: { first_name: "No identifier" } },
    ];
    const reply = await call(fake, "POST", "/api/profile-bulk-import-jobs", {
      data: {
        type: "profile-bulk-import-job",
        attributes: { profiles: { data: profiles } },
        relationships: { lists: { data: [{ type: "list", id: listId }] } },
      },
    });
    expect(reply.status).toBe(202);
    expectSpecShape(fake, "bulk_import_profiles", reply);
    expect(reply.body.data.attributes).toMatchObject({
      status: "queued",
      total_count: 6,
      completed_count: 0,
    });
    const jobId = reply.body.data.id as string;
    expect(fake.listMemberIds(listId)).toEqual([]);

    const statuses = new Set<string>();
    let job: any;
    for (let attempt = 0; attempt < 200; attempt += 1) {
      job = await call(fake, "GET", `/api/profile-bulk-import-jobs/${jobId}?include=lists`);
      statuses.add(job.body.data.attributes.status);
      if (job.body.data.attributes.status === "complete") break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(job.status).toBe(200);
    expectSpecShape(fake, "get_bulk_import_profiles_job", job);
    expect([...statuses]).toEqual(["queued", "processing", "complete"]);
    expect(job.body.data.attributes).toMatchObject({
      total_count: 6,
      completed_count: 5,
      failed_count: 1,
    });
    expect(job.body.included.map((l: any) => l.id)).toEqual([listId]);

    const members = fake.listMemberIds(listId);
    expect(members).toHaveLength(5);
    expect(members[0]).toBe(existing);
    expect(fake.state.profiles.get(existing)!.first_name).toBe("Back");

    const errors = await call(fake, "GET", `/api/profile-bulk-import-jobs/${jobId}/import-errors`);
    expect(errors.status).toBe(200);
    expectSpecShape(fake, "get_errors_for_bulk_import_profiles_job", errors);
    expect(errors.body.data[0].attributes.source.pointer).toBe(
      "/data/attributes/profiles/data/5/attributes",
    );
  });

  it("runPendingJobs() finishes bulk imports at once, and snapshot() shows the result", async () => {
    const listId = await createList(fake, "Fast");
    const reply = await call(fake, "POST", "/api/profile-bulk-import-jobs", {
      data: {
        type: "profile-bulk-import-job",
        attributes: {
          profiles: { data: [{ type: "profile", attributes: { email: "fast@example.com" } }] },
        },
        relationships: { lists: { data: [{ type: "list", id: listId }] } },
      },
    });
    fake.runPendingJobs();
    const job = await call(fake, "GET", `/api/profile-bulk-import-jobs/${reply.body.data.id}`);
    expect(job.body.data.attributes).toMatchObject({ status: "complete", completed_count: 1 });
    expect(job.body.data.attributes.started_at).not.toBeNull();
    const [account] = fake.snapshot().accounts;
    expect(account!.lists[0]).toMatchObject({
      name: "Fast",
      profileIds: [fake.findProfile({ email: "fast@example.com" })!.id],
    });
    expect(JSON.parse(JSON.stringify(account)).profiles[0].email).toBe("fast@example.com");
  });

  it("keeps accounts apart: each private key sees only its own account", async () => {
    const other = await startKlaviyoFake({
      apiKeys: {
        pk_shop_a: { accountName: "Shop A" },
        pk_shop_b: { accountName: "Shop B" },
      },
    });
    try {
      await call(other, "POST", "/api/profile-import", profileBody({ email: "a@example.com" }), {
        key: "pk_shop_a",
      });
      const fromB = await call(other, "GET", "/api/profiles", undefined, { key: "pk_shop_b" });
      expect(fromB.body.data).toEqual([]);
      expect(other.accountState("pk_shop_a")!.profiles.size).toBe(1);
      expect(other.state.account.name).toBe("Shop A");
      const account = await call(other, "GET", "/api/accounts", undefined, { key: "pk_shop_b" });
      expect(account.body.data[0].attributes.contact_information.organization_name).toBe("Shop B");
    } finally {
      await other.close();
    }
  });

  it("reset() forgets data and recorded requests", async () => {
    await createList(fake, "Temporary");
    expect(fake.received.length).toBeGreaterThan(0);
    fake.reset();
    expect(fake.state.lists.size).toBe(0);
    expect(fake.received).toHaveLength(0);
    expect((await call(fake, "GET", "/api/lists")).body.data).toEqual([]);
  });
});

describe("Klaviyo fake: rejected requests", () => {
  let fake: KlaviyoFake;
  beforeAll(async () => {
    fake = await startKlaviyoFake({
      apiKeys: {
        [DEFAULT_KLAVIYO_API_KEY]: { accountName: "Switchboard Sandbox", scopes: "all" },
        pk_read_only: {
          accountName: "Switchboard Sandbox",
          scopes: ["profiles:read", "lists:read"],
        },
      },
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it("rejects a body that does not match the spec, pointing at the field", async () => {
    const reply = await call(fake, "POST", "/api/lists", {
      data: { type: "list", attributes: {} },
    });
    expect(reply.status).toBe(400);
    expect(reply.headers.get("content-type")).toBe(JSON_API);
    expect(reply.body.errors).toHaveLength(1);
    expect(reply.body.errors[0]).toMatchObject({
      status: 400,
      code: "invalid",
      title: "Invalid input.",
      source: { pointer: "/data/attributes/name" },
    });
    expect(reply.body.errors[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.body.errors[0].detail).toContain("'name'");
    expect(fake.state.lists.size).toBe(0);
  });

  it("rejects camelCase attribute names and wrong resource types like Klaviyo does", async () => {
    const camel = await call(
      fake,
      "POST",
      "/api/events",
      eventBody({ profile: { email: "a@example.com", phoneNumber: "+15005550006" } }),
    );
    expect(camel.status).toBe(400);
    expect(camel.body.errors[0].source.pointer).toBe(
      "/data/attributes/profile/data/attributes/phoneNumber",
    );
    expect(camel.body.errors[0].detail).toBe(
      "'phoneNumber' is not a valid field for the resource 'profile'.",
    );

    const wrongType = await call(fake, "POST", "/api/profile-import", {
      data: { type: "profiles", attributes: { email: "a@example.com" } },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors[0].source.pointer).toBe("/data/type");

    const badTime = await call(
      fake,
      "POST",
      "/api/events",
      eventBody({ email: "a@example.com", time: "yesterday" }),
    );
    expect(badTime.status).toBe(400);
    expect(badTime.body.errors[0].source.pointer).toBe("/data/attributes/time");

    const noIdentifier = await call(
      fake,
      "POST",
      "/api/events",
      eventBody({ profile: { first_name: "Anon" } }),
    );
    expect(noIdentifier.status).toBe(400);
    expect(noIdentifier.body.errors[0].source.pointer).toBe(
      "/data/attributes/profile/data/attributes",
    );

    const badEmail = await call(
      fake,
      "POST",
      "/api/profile-import",
      profileBody({ email: "not-an-email" }),
    );
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.errors[0].source.pointer).toBe("/data/attributes/email");
    expect(fake.state.events).toHaveLength(0);
    expect(fake.state.profiles.size).toBe(0);
  });

  it("wants a JSON:API content type and well-formed JSON", async () => {
    const plain = await call(fake, "POST", "/api/lists", listBody("x"), {
      contentType: "text/plain",
    });
    expect(plain.status).toBe(415);
    expect(plain.body.errors[0].code).toBe("unsupported_media_type");

    const json = await call(fake, "POST", "/api/lists", listBody("accepted as application/json"), {
      contentType: "application/json",
    });
    expect(json.status).toBe(201);

    const broken = await call(fake, "POST", "/api/lists", undefined, { rawBody: '{"data": ' });
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0].code).toBe("parse_error");
  });

  it("requires the revision header in YYYY-MM-DD[.suffix] form, pinned to 2026-07-15", async () => {
    const missing = await call(fake, "GET", "/api/accounts", undefined, { revision: null });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toMatchObject({
      code: "invalid",
      source: { parameter: "revision" },
    });

    const malformed = await call(fake, "GET", "/api/accounts", undefined, {
      revision: "15-07-2026",
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].detail).toContain("YYYY-MM-DD");

    const other = await call(fake, "GET", "/api/accounts", undefined, { revision: "2024-10-15" });
    expect(other.status).toBe(400);
    expect(other.body.errors[0].detail).toContain("2026-07-15");
  });

  it("answers 401 not_authenticated for a missing or unknown private key", async () => {
    const unknown = await call(fake, "GET", "/api/accounts", undefined, { key: "pk_wrong" });
    expect(unknown.status).toBe(401);
    expect(unknown.body.errors[0].code).toBe("not_authenticated");
    const none = await call(fake, "GET", "/api/accounts", undefined, { key: null });
    expect(none.status).toBe(401);
    const bearer = await fetch(`${fake.url}/api/accounts`, {
      headers: { authorization: `Bearer ${DEFAULT_KLAVIYO_API_KEY}`, revision: REVISION },
    });
    expect(bearer.status).toBe(401);
  });

  it("answers 403 permission_denied when the key lacks the operation's scope", async () => {
    const reply = await call(fake, "POST", "/api/events", eventBody({ email: "a@example.com" }), {
      key: "pk_read_only",
    });
    expect(reply.status).toBe(403);
    expect(reply.body.errors[0].code).toBe("permission_denied");
    expect(reply.body.errors[0].detail).toContain("events:write");
    // The same key may read.
    expect(
      (await call(fake, "GET", "/api/profiles", undefined, { key: "pk_read_only" })).status,
    ).toBe(200);
    expect(fake.state.events).toHaveLength(0);
  });

  it("refuses more than 1,000 profiles per list membership call", async () => {
    const listId = await createList(fake, "Big");
    const ids = Array.from({ length: 1001 }, (_, i) => `01FAKE${String(i).padStart(20, "0")}`);
    const reply = await call(
      fake,
      "POST",
      `/api/lists/${listId}/relationships/profiles`,
      members(ids),
    );
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0].source.pointer).toBe("/data");
    const remove = await call(
      fake,
      "DELETE",
      `/api/lists/${listId}/relationships/profiles`,
      members(ids),
    );
    expect(remove.status).toBe(400);
    const unknownList = await call(
      fake,
      "POST",
      "/api/lists/NoSuch/relationships/profiles",
      members([]),
    );
    expect(unknownList.status).toBe(404);
  });

  it("refuses bulk imports over 10,000 profiles (400) or over 5 MB (413)", async () => {
    const job = (profiles: unknown[]) => ({
      data: { type: "profile-bulk-import-job", attributes: { profiles: { data: profiles } } },
    });
    const many = Array.from({ length: 10_001 }, (_, i) => ({
      type: "profile",
      attributes: { email: `p${i}@example.com` },
    }));
    const tooMany = await call(fake, "POST", "/api/profile-bulk-import-jobs", job(many));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].source.pointer).toBe("/data/attributes/profiles/data");

    const padding = "x".repeat(60_000);
    const heavy = Array.from({ length: 90 }, (_, i) => ({
      type: "profile",
      attributes: { email: `h${i}@example.com`, properties: { padding } },
    }));
    const tooBig = await call(fake, "POST", "/api/profile-bulk-import-jobs", job(heavy));
    expect(tooBig.status).toBe(413);
    expect(fake.state.bulkImportJobs.size).toBe(0);
  });

  it("rejects unknown query parameters and filters the endpoint does not allow", async () => {
    const pageSize = await call(fake, "GET", "/api/metrics?page[size]=5");
    expect(pageSize.status).toBe(400);
    expect(pageSize.body.errors[0].source.parameter).toBe("page[size]");

    const tooLarge = await call(fake, "GET", "/api/lists?page[size]=50");
    expect(tooLarge.status).toBe(400);

    const badField = await call(
      fake,
      "GET",
      `/api/lists?filter=${encodeURIComponent('equals(opt_in_process,"double_opt_in")')}`,
    );
    expect(badField.status).toBe(400);
    expect(badField.body.errors[0].source.parameter).toBe("filter");

    const badSyntax = await call(
      fake,
      "GET",
      `/api/profiles?filter=${encodeURIComponent("equals(email")}`,
    );
    expect(badSyntax.status).toBe(400);
  });

  it("answers unknown routes with a JSON:API 404, and spec operations it lacks with 501", async () => {
    const unknown = await call(fake, "GET", "/api/no-such-thing");
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].code).toBe("not_found");
    const wrongMethod = await call(fake, "PUT", "/api/accounts", {});
    expect(wrongMethod.status).toBe(405);
    const unimplemented = await call(fake, "GET", "/api/campaigns");
    expect(unimplemented.status).toBe(501);
  });
});

describe("Klaviyo fake: rate limits", () => {
  it("answers 429 with Retry-After once the burst budget is spent, and recovers next window", async () => {
    let now = Date.UTC(2026, 6, 20, 12, 0, 0, 100);
    const fake = await startKlaviyoFake({
      clock: () => now,
      rateLimits: { create_event: { burst: 2, steady: 4 } },
    });
    try {
      const send = (i: number) =>
        call(fake, "POST", "/api/events", eventBody({ email: "a@example.com", uniqueId: `u${i}` }));
      const first = await send(1);
      expect(first.status).toBe(202);
      expect(first.headers.get("ratelimit-limit")).toBe("4");
      expect(first.headers.get("ratelimit-remaining")).toBe("3");
      expect(Number(first.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
      expect((await send(2)).headers.get("ratelimit-remaining")).toBe("2");

      const throttled = await send(3);
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get("retry-after")).toBe("1");
      expect(throttled.headers.get("ratelimit-limit")).toBeNull();
      expect(throttled.body.errors[0]).toMatchObject({ status: 429, code: "throttled" });
      expect(fake.state.events).toHaveLength(2);

      // Other endpoints have their own budget.
      expect((await call(fake, "GET", "/api/profiles")).status).toBe(200);

      now += 1_000; // next 1-second window
      expect((await send(4)).status).toBe(202);
      expect((await send(5)).status).toBe(202);
      now += 1_000;
      const steady = await send(6);
      expect(steady.status).toBe(429); // 4 per minute spent
      expect(Number(steady.headers.get("retry-after"))).toBe(58);
    } finally {
      await fake.close();
    }
  });

  it("applies the spec's daily budget on POST /api/lists (150/d, lowered here)", async () => {
    let now = Date.UTC(2026, 6, 20, 23, 59, 0);
    const fake = await startKlaviyoFake({
      clock: () => now,
      rateLimits: { create_list: { daily: 2 } },
    });
    try {
      expect((await call(fake, "POST", "/api/lists", listBody("one"))).status).toBe(201);
      expect((await call(fake, "POST", "/api/lists", listBody("two"))).status).toBe(201);
      now += 5_000;
      const third = await call(fake, "POST", "/api/lists", listBody("three"));
      expect(third.status).toBe(429);
      expect(Number(third.headers.get("retry-after"))).toBe(55);
      now += 60_000; // a new day
      expect((await call(fake, "POST", "/api/lists", listBody("three"))).status).toBe(201);
    } finally {
      await fake.close();
    }
  });

  it("uses the spec's per-operation tiers by default (GET /api/accounts is 1/s)", async () => {
    const fake = await startKlaviyoFake({ clock: () => Date.UTC(2026, 0, 1, 0, 0, 0, 10) });
    try {
      expect((await call(fake, "GET", "/api/accounts")).headers.get("ratelimit-limit")).toBe("15");
      expect((await call(fake, "GET", "/api/accounts")).status).toBe(429);
    } finally {
      await fake.close();
    }
  });
});

describe("Klaviyo fake: faults and recording", () => {
  let fake: KlaviyoFake;
  beforeAll(async () => {
    fake = await startKlaviyoFake({ seed: 7 });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    fake.setFaults({ burst429: 0, errorRate: 0, timeoutRate: 0, latencyMs: 0 });
  });

  it("injects 429 bursts and 5xx errors without touching state", async () => {
    fake.setFaults({ burst429: 2, retryAfterSeconds: 3 });
    const a = await call(
      fake,
      "POST",
      "/api/events",
      eventBody({ email: "a@example.com", uniqueId: "1" }),
    );
    const b = await call(
      fake,
      "POST",
      "/api/events",
      eventBody({ email: "a@example.com", uniqueId: "1" }),
    );
    expect([a.status, b.status]).toEqual([429, 429]);
    expect(a.headers.get("retry-after")).toBe("3");
    expect(fake.state.events).toHaveLength(0);
    expect(
      (
        await call(
          fake,
          "POST",
          "/api/events",
          eventBody({ email: "a@example.com", uniqueId: "1" }),
        )
      ).status,
    ).toBe(202);

    fake.setFaults({ errorRate: 1 });
    const failed = await call(
      fake,
      "POST",
      "/api/events",
      eventBody({ email: "a@example.com", uniqueId: "2" }),
    );
    expect([500, 502, 503]).toContain(failed.status);
    expect(fake.state.events).toHaveLength(1);
  });

  it("hangs requests when timeoutRate is 1, so clients must time out", async () => {
    fake.setFaults({ timeoutRate: 1 });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 150);
    await expect(
      fetch(`${fake.url}/api/accounts`, {
        headers: {
          authorization: `Klaviyo-API-Key ${DEFAULT_KLAVIYO_API_KEY}`,
          revision: REVISION,
        },
        signal: controller.signal,
      }),
    ).rejects.toThrow();
    clearTimeout(timer);
  });

  it("records requests with the Authorization header redacted", async () => {
    await call(fake, "POST", "/api/lists", listBody("Recorded"));
    const record = fake.received.at(-1)!;
    expect(record).toMatchObject({ method: "POST", path: "/api/lists", status: 201 });
    expect(record.headers.authorization).toBe("[redacted]");
    expect(JSON.stringify(fake.received)).not.toContain(DEFAULT_KLAVIYO_API_KEY);
    expect(record.body).toEqual(listBody("Recorded"));
  });
});

describe("Klaviyo fake: Data Privacy deletion jobs", () => {
  let fake: KlaviyoFake;
  const LIMITED = "pk_limited_no_privacy_0000000000000000";
  beforeAll(async () => {
    fake = await startKlaviyoFake({
      apiKeys: {
        [DEFAULT_KLAVIYO_API_KEY]: { accountName: "Privacy" },
        [LIMITED]: { accountName: "Privacy", scopes: ["profiles:write"] },
      },
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  const deletion = (attributes: Record<string, unknown>, id?: string) => ({
    data: {
      type: "data-privacy-deletion-job",
      attributes: {
        profile: { data: { type: "profile", ...(id ? { id } : {}), attributes } },
      },
    },
  });
  const importProfile = (attributes: Record<string, unknown>) =>
    call(fake, "POST", "/api/profile-import", { data: { type: "profile", attributes } });

  it("deletes every profile matching the one identifier given, with its list memberships and events; 202 with no body", async () => {
    await importProfile({ email: "jane@example.com", phone_number: "+15555550123" });
    await importProfile({ email: "other@example.com" });
    const jane = fake.findProfile({ email: "jane@example.com" })!;
    const list = await call(fake, "POST", "/api/lists", listBody("VIP"));
    await call(fake, "POST", `/api/lists/${list.body.data.id}/relationships/profiles`, {
      data: [{ type: "profile", id: jane.id }],
    });

    const reply = await call(
      fake,
      "POST",
      "/api/data-privacy-deletion-jobs",
      deletion({ email: "Jane@Example.com" }),
    );
    expect(reply.status).toBe(202);
    expect(reply.body).toBeUndefined();
    expect(fake.findProfile({ email: "jane@example.com" })).toBeUndefined();
    expect(fake.findProfile({ phone_number: "+15555550123" })).toBeUndefined();
    expect(fake.listMemberIds(list.body.data.id)).toEqual([]);
    expect(fake.findProfile({ email: "other@example.com" })).toBeDefined();
    expect(fake.state.deletionRequests).toEqual([
      expect.objectContaining({
        identifier: { email: "Jane@Example.com" },
        deletedProfileIds: [jane.id],
      }),
    ]);

    // Asking again for someone already deleted is accepted and deletes nothing.
    const again = await call(
      fake,
      "POST",
      "/api/data-privacy-deletion-jobs",
      deletion({ email: "jane@example.com" }),
    );
    expect(again.status).toBe(202);
    expect(fake.state.deletionRequests[1]!.deletedProfileIds).toEqual([]);
  });

  it("refuses several identifiers, none, a body off the spec, and a key without data-privacy:write", async () => {
    const several = await call(
      fake,
      "POST",
      "/api/data-privacy-deletion-jobs",
      deletion({ email: "jane@example.com", phone_number: "+15555550123" }),
    );
    expect(several.status).toBe(400);
    expect(several.body.errors[0].detail).toMatch(/Only one profile identifier/);
    const none = await call(fake, "POST", "/api/data-privacy-deletion-jobs", deletion({}));
    expect(none.status).toBe(400);
    const offSpec = await call(fake, "POST", "/api/data-privacy-deletion-jobs", {
      data: { type: "data-privacy-deletion-job", attributes: {} },
    });
    expect(offSpec.status).toBe(400);
    const forbidden = await call(
      fake,
      "POST",
      "/api/data-privacy-deletion-jobs",
      deletion({ email: "jane@example.com" }),
      { key: LIMITED },
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.errors[0].detail).toContain("data-privacy:write");
    expect(fake.state.deletionRequests).toEqual([]);
  });
});
