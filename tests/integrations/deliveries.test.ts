import { and, asc, eq, inArray } from "drizzle-orm";
import { beforeAll, beforeEach, expect, it } from "vitest";
import {
  deadLetters,
  deliveries,
  deliveryAttempts,
  gorgiasTickets,
  klaviyoListMembers,
  klaviyoLists,
} from "../../db/schema/index";
import { withTransaction, type Database } from "../../app/db.server";
import { connectGorgias, connectKlaviyo } from "../../app/integrations/connections.server";
import { requestDelivery } from "../../app/integrations/delivery/request.server";
import type { DeliveryActionInput } from "../../app/integrations/delivery/actions";
import { deliverKlaviyo } from "../../app/jobs/tasks/deliver-klaviyo.server";
import { deliverGorgias } from "../../app/jobs/tasks/deliver-gorgias.server";
import { hasOpenTicket } from "../../app/models/gorgias-tickets.server";
import type { Runtime } from "../../app/runtime.server";
import { describeWithRuntime } from "../helpers/runtime";
import {
  GORGIAS_DOMAIN,
  GORGIAS_USERS,
  KLAVIYO_KEYS,
  SHOP_A,
  SHOP_B,
  withVendorFakes,
} from "../helpers/vendors";
import { waitFor } from "../helpers/webhooks";

const fakes = withVendorFakes();

const target = (runtime: Runtime) => ({ database: runtime.database, queue: runtime.queue });

async function settled(database: Database, keys: string[], timeoutMs = 20_000) {
  return waitFor(
    async () => {
      const rows = await database.db
        .select()
        .from(deliveries)
        .where(inArray(deliveries.idempotencyKey, keys));
      return rows.length === keys.length && rows.every((r) => r.status !== "queued")
        ? rows
        : undefined;
    },
    { timeoutMs },
  );
}

const byKey = <T extends { idempotencyKey: string }>(rows: T[]) =>
  Object.fromEntries(rows.map((r) => [r.idempotencyKey, r]));

const event = (
  source: string,
  email = "jane.doe@example.com",
  shop = SHOP_A,
): DeliveryActionInput => ({
  kind: "klaviyo-event",
  shop,
  recipe: "shipping-delay-outreach",
  source,
  metric: "Switchboard Shipment Delayed",
  profile: { email, externalId: "7001002003" },
  properties: { OrderName: "#1042", Carrier: "UPS", NewEstimate: "2026-11-28" },
  value: 129.5,
  valueCurrency: "USD",
});

const ticket = (source: string, email = "jane.doe@example.com"): DeliveryActionInput => ({
  kind: "gorgias-ticket",
  shop: SHOP_A,
  recipe: "shipping-delay-outreach",
  source,
  customer: { email, name: "Jane Doe" },
  subject: "Order #1042 is running late",
  bodyText: "UPS reports a delay on order #1042. New estimate: Friday.",
  tags: ["switchboard", "proactive-wismo"],
});

describeWithRuntime("deliveries to Klaviyo and Gorgias", ({ runtime }) => {
  const database = () => runtime().database;

  beforeAll(async () => {
    const db = database().db;
    expect(await connectKlaviyo(db, SHOP_A, KLAVIYO_KEYS[SHOP_A])).toMatchObject({ ok: true });
    expect(await connectKlaviyo(db, SHOP_B, KLAVIYO_KEYS[SHOP_B])).toMatchObject({ ok: true });
    const user = GORGIAS_USERS[SHOP_A]!;
    expect(
      await connectGorgias(db, runtime().queue, SHOP_A, {
        domain: GORGIAS_DOMAIN,
        email: user.email,
        apiKey: user.apiKey,
      }),
    ).toMatchObject({ ok: true });
  });

  beforeEach(async () => {
    // The fakes forget everything before each test; so do the caches of what they held.
    const db = database().db;
    await db.delete(klaviyoLists);
    await db.delete(klaviyoListMembers);
    await db.delete(gorgiasTickets);
  });

  it("delivers every kind of action in the shape Klaviyo's OpenAPI and Gorgias accept", async () => {
    const { klaviyo, gorgias } = fakes();
    const actions: DeliveryActionInput[] = [
      event("fulfillment/77/delayed"),
      {
        kind: "klaviyo-profile",
        shop: SHOP_A,
        recipe: "vip-tier-sync",
        source: "customer/7001002003",
        profile: { email: "jane.doe@example.com", properties: { switchboard_vip: true } },
      },
      {
        kind: "klaviyo-list-add",
        shop: SHOP_A,
        recipe: "vip-tier-sync",
        source: "order/1042",
        list: "Switchboard VIP",
        profile: { email: "jane.doe@example.com" },
      },
      ticket("fulfillment/77/delayed"),
    ];
    const keys: string[] = [];
    for (const action of actions) keys.push((await requestDelivery(target(runtime()), action)).key);
    const rows = byKey(await settled(database(), keys));
    expect(
      keys.map((k) => rows[k]!).map((r) => [r.operation, r.status, r.attempts, r.lastError]),
    ).toEqual([
      ["klaviyo-event", "succeeded", 1, null],
      ["klaviyo-profile", "succeeded", 1, null],
      ["klaviyo-list-add", "succeeded", 1, null],
      ["gorgias-ticket", "succeeded", 1, null],
    ]);

    const [stored] = klaviyo.state.events;
    expect(stored).toMatchObject({
      metricName: "Switchboard Shipment Delayed",
      unique_id: `${SHOP_A}:fulfillment/77/delayed:shipping-delay-outreach`,
      value: 129.5,
    });
    const profile = klaviyo.findProfile({ email: "jane.doe@example.com" })!;
    expect(profile.properties).toEqual({ switchboard_vip: true });
    const [list] = [...klaviyo.state.lists.values()];
    expect(list!.name).toBe("Switchboard VIP");
    expect(klaviyo.listMemberIds(list!.id)).toEqual([profile.id]);
    expect(klaviyo.received.filter((r) => r.status >= 400)).toEqual([]);

    const [created] = gorgias.state.tickets;
    expect(created).toMatchObject({
      external_id: keys[3],
      subject: "Order #1042 is running late",
      status: "open",
      customer: { email: "jane.doe@example.com" },
    });
    expect(rows[keys[3]!]!.vendorId).toBe(String(created!.id));
    expect(await hasOpenTicket(database().db, SHOP_A, "Jane.Doe@example.com")).toBe(true);

    // Every HTTP call is on record, with its operation, status and latency. The executor records
    // an attempt's calls right after its outcome, so a settled delivery may briefly have none yet.
    const calls = await waitFor(async () => {
      const found = await database()
        .db.select()
        .from(deliveryAttempts)
        .where(eq(deliveryAttempts.deliveryId, rows[keys[2]!]!.id))
        .orderBy(asc(deliveryAttempts.id));
      return found.length >= 4 ? found : undefined;
    });
    expect(calls.map((c) => [c.vendor, c.operation, c.httpStatus, c.attempt])).toEqual([
      ["klaviyo", "get-lists", 200, 1],
      ["klaviyo", "create-list", 201, 1],
      ["klaviyo", "profile-import", 200, 1],
      ["klaviyo", "add-list-members", 204, 1],
    ]);
    expect(calls.every((c) => c.latencyMs >= 0 && c.shop === SHOP_A)).toBe(true);

    // Tag and note land on the ticket just made; the list remove takes the profile off.
    const more = [
      {
        kind: "gorgias-tag",
        shop: SHOP_A,
        recipe: "high-value-white-glove",
        source: "order/1042",
        customer: { email: "jane.doe@example.com" },
        tags: ["vip"],
      },
      {
        kind: "gorgias-note",
        shop: SHOP_A,
        recipe: "high-value-white-glove",
        source: "order/1042",
        customer: { email: "jane.doe@example.com" },
        bodyText: "Order over $500: call the customer.",
      },
      {
        kind: "klaviyo-list-remove",
        shop: SHOP_A,
        recipe: "vip-tier-sync",
        source: "refund/9",
        list: "Switchboard VIP",
        profile: { email: "jane.doe@example.com" },
      },
    ] satisfies DeliveryActionInput[];
    const moreKeys: string[] = [];
    for (const action of more)
      moreKeys.push((await requestDelivery(target(runtime()), action)).key);
    expect(
      (await settled(database(), moreKeys)).map((r) => [r.operation, r.status, r.lastError]).sort(),
    ).toEqual([
      ["gorgias-note", "succeeded", null],
      ["gorgias-tag", "succeeded", null],
      ["klaviyo-list-remove", "succeeded", null],
    ]);
    const after = gorgias.state.tickets[0]!;
    expect(after.tags.map((t) => t.name).sort()).toEqual(["proactive-wismo", "switchboard", "vip"]);
    expect(
      after.messages.filter((m) => m.channel === "internal-note").map((m) => m.body_text),
    ).toEqual(["Order over $500: call the customer."]);
    expect(klaviyo.listMemberIds(list!.id)).toEqual([]);
  });

  it("asking twice for the same action makes one delivery, one job and one event", async () => {
    const { klaviyo } = fakes();
    const first = await requestDelivery(target(runtime()), event("order/2001"));
    const second = await requestDelivery(target(runtime()), event("order/2001"));
    expect(first).toEqual({
      key: `deliver-klaviyo:${SHOP_A}:shipping-delay-outreach:order/2001:klaviyo-event:Switchboard Shipment Delayed`,
      created: true,
    });
    expect(second).toEqual({ ...first, created: false });
    await settled(database(), [first.key]);
    await new Promise((r) => setTimeout(r, 300));
    expect(klaviyo.received.filter((r) => r.path === "/api/events")).toHaveLength(1);
    expect(klaviyo.state.events).toHaveLength(1);
  });

  it("inside the caller's transaction, the delivery exists only if the transaction commits", async () => {
    const { klaviyo } = fakes();
    const queue = runtime().queue;
    const rolledBack = await withTransaction(database(), async (executeSql) => {
      const requested = await requestDelivery({ queue, executeSql }, event("order/2501"));
      throw Object.assign(new Error("the caller failed after requesting"), { requested });
    }).catch((error) => error.requested as { key: string });
    const committed = await withTransaction(database(), (executeSql) =>
      requestDelivery({ queue, executeSql }, event("order/2502")),
    );
    await settled(database(), [committed.key]);
    expect(
      await database()
        .db.select()
        .from(deliveries)
        .where(eq(deliveries.idempotencyKey, rolledBack.key)),
    ).toEqual([]);
    expect(klaviyo.state.events.map((e) => e.unique_id)).toEqual([
      `${SHOP_A}:order/2502:shipping-delay-outreach`,
    ]);
  });

  it("a replay after a worker died between the vendor's answer and our record sends no second event or ticket", async () => {
    const { klaviyo, gorgias } = fakes();
    const e = await requestDelivery(target(runtime()), event("order/3001"));
    const t = await requestDelivery(target(runtime()), ticket("order/3001"));
    await settled(database(), [e.key, t.key]);
    // The vendor did the work but the success was never written (the worker died): the row is
    // still queued, and the job runs again.
    await database()
      .db.update(deliveries)
      .set({ status: "queued" })
      .where(inArray(deliveries.idempotencyKey, [e.key, t.key]));
    const queue = runtime().queue;
    await queue.enqueue(
      deliverKlaviyo,
      { shop: SHOP_A, sourceId: e.key.split(`${SHOP_A}:`)[1]! },
      { key: `${e.key}:replay:1` },
    );
    await queue.enqueue(
      deliverGorgias,
      { shop: SHOP_A, sourceId: t.key.split(`${SHOP_A}:`)[1]! },
      { key: `${t.key}:replay:1` },
    );
    const rows = byKey(await settled(database(), [e.key, t.key]));
    expect(rows[e.key]).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(rows[t.key]).toMatchObject({ status: "succeeded", attempts: 2 });
    // Klaviyo accepted the resent event and dropped it on unique_id; Gorgias found the ticket by external_id.
    expect(klaviyo.state.events).toHaveLength(1);
    expect(klaviyo.state.duplicateEvents).toHaveLength(1);
    expect(gorgias.state.tickets).toHaveLength(1);
    expect(
      gorgias.received.filter((r) => r.method === "POST" && r.path === "/api/tickets"),
    ).toHaveLength(1);
    expect(rows[t.key]!.response).toMatchObject({
      created: false,
      ticketId: gorgias.state.tickets[0]!.id,
    });
  });

  it("uses each shop's own credentials, and never another shop's", async () => {
    const { klaviyo } = fakes();
    const a = await requestDelivery(
      target(runtime()),
      event("order/4001", "jane.doe@example.com", SHOP_A),
    );
    const b = await requestDelivery(
      target(runtime()),
      event("order/4001", "sam@example.com", SHOP_B),
    );
    const c = await requestDelivery(
      target(runtime()),
      event("order/4001", "kim@example.com", "not-connected.myshopify.com"),
    );
    const rows = byKey(await settled(database(), [a.key, b.key, c.key]));
    expect(klaviyo.accountState(KLAVIYO_KEYS[SHOP_A])!.events.map((e) => e.unique_id)).toEqual([
      `${SHOP_A}:order/4001:shipping-delay-outreach`,
    ]);
    expect(klaviyo.accountState(KLAVIYO_KEYS[SHOP_B])!.events.map((e) => e.unique_id)).toEqual([
      `${SHOP_B}:order/4001:shipping-delay-outreach`,
    ]);
    expect(klaviyo.findProfile({ email: "sam@example.com" }, KLAVIYO_KEYS[SHOP_A])).toBeUndefined();
    // Not connected: held until the shop connects Klaviyo, never sent with another shop's key.
    expect(rows[c.key]).toMatchObject({
      status: "waiting",
      lastError: "Waiting for Klaviyo to be connected",
    });
    expect(
      klaviyo.received.filter((r) => JSON.stringify(r.body ?? "").includes("kim@example.com")),
    ).toEqual([]);
    // A ticket for shop B (no Gorgias connection) waits rather than go with shop A's key.
    const t = await requestDelivery(target(runtime()), {
      ...ticket("order/4001"),
      shop: SHOP_B,
    } as DeliveryActionInput);
    expect((await settled(database(), [t.key]))[0]).toMatchObject({
      status: "waiting",
      lastError: "Waiting for Gorgias to be connected",
    });
    expect(fakes().gorgias.state.tickets).toEqual([]);
  });

  it("dead-letters a terminal vendor error at once, with the vendor's own message", async () => {
    const tooMany = Object.fromEntries(Array.from({ length: 401 }, (_, i) => [`p${i}`, i]));
    const e = await requestDelivery(target(runtime()), {
      ...event("order/5001"),
      properties: tooMany,
    } as DeliveryActionInput);
    const tag = await requestDelivery(target(runtime()), {
      kind: "gorgias-tag",
      shop: SHOP_A,
      recipe: "open-ticket-suppression",
      source: "ticket/999999",
      customer: { email: "jane.doe@example.com" },
      tags: ["vip"],
      ticketId: 999_999,
    });
    const rows = byKey(await settled(database(), [e.key, tag.key]));
    expect(rows[e.key]).toMatchObject({
      status: "dead",
      attempts: 1,
      lastError:
        "Klaviyo create-event failed 400: Events are limited to 400 properties. (at /data/attributes/properties)",
    });
    expect(rows[tag.key]).toMatchObject({
      status: "dead",
      attempts: 1,
      lastError: "Gorgias add-ticket-tags failed 404: Ticket 999999 not found.",
    });
    // The queue writes its dead letter just after the executor marks the delivery dead.
    const letters = await waitFor(async () => {
      const found = await database()
        .db.select()
        .from(deadLetters)
        .where(inArray(deadLetters.jobKey, [e.key, tag.key]));
      return found.length === 2 ? found : undefined;
    });
    expect(letters.map((l) => [l.errorKind, l.error]).sort()).toEqual(
      [
        ["terminal", rows[e.key]!.lastError],
        ["terminal", rows[tag.key]!.lastError],
      ].sort(),
    );
  });

  it("with 30 % of calls failing (429, 5xx, hangs), every delivery completes or is dead-lettered with a reason, none twice", async () => {
    const { klaviyo, gorgias } = fakes();
    klaviyo.setFaults({ errorRate: 0.2, timeoutRate: 0.1, burst429: 3, retryAfterSeconds: 1 });
    gorgias.setFaults({ errorRate: 0.2, timeoutRate: 0.1, burst429: 3, retryAfterSeconds: 1 });
    const actions: DeliveryActionInput[] = [];
    // Twelve shoppers, twelve Shopify customers: Klaviyo files an event under the profile holding
    // its external_id, so one shared id would move a single profile from email to email and the
    // list adds below would find it under whichever shopper it last belonged to.
    for (let i = 0; i < 12; i++) {
      const email = `shopper${i}@example.com`;
      actions.push({
        ...event(`order/6${String(i).padStart(3, "0")}`, email),
        profile: { email, externalId: String(7_001_003_000 + i) },
      } as DeliveryActionInput);
    }
    for (let i = 0; i < 6; i++)
      actions.push(ticket(`order/6${String(i).padStart(3, "0")}`, `shopper${i}@example.com`));
    for (let i = 0; i < 4; i++) {
      actions.push({
        kind: "klaviyo-list-add",
        shop: SHOP_A,
        recipe: "win-back-segments",
        source: `scan/2026-11-2${i}`,
        list: "Win-back 90 days",
        profile: { email: `shopper${i}@example.com` },
      });
    }
    const keys: string[] = [];
    for (const action of actions) keys.push((await requestDelivery(target(runtime()), action)).key);
    const rows = await settled(database(), keys, 120_000);

    const failedCalls = await database()
      .db.select()
      .from(deliveryAttempts)
      .where(
        and(
          inArray(
            deliveryAttempts.deliveryId,
            rows.map((r) => r.id),
          ),
        ),
      );
    const injected = failedCalls.filter(
      (c) => c.httpStatus === null || c.httpStatus === 429 || c.httpStatus >= 500,
    );
    expect(injected.length).toBeGreaterThan(5);
    expect(injected.every((c) => c.error)).toBe(true);

    const succeeded = rows.filter((r) => r.status === "succeeded");
    const dead = rows.filter((r) => r.status === "dead");
    expect(succeeded.length + dead.length).toBe(keys.length);
    for (const row of dead) expect(row.lastError).toMatch(/Klaviyo|Gorgias/);
    if (dead.length) {
      await waitFor(async () => {
        const letters = await database()
          .db.select()
          .from(deadLetters)
          .where(
            inArray(
              deadLetters.jobKey,
              dead.map((r) => r.idempotencyKey),
            ),
          );
        return letters.length === dead.length;
      });
    }
    // None twice: one stored event per delivered event, no duplicate even dropped by Klaviyo, one ticket per delivered ticket.
    const eventRows = succeeded.filter((r) => r.operation === "klaviyo-event");
    expect(klaviyo.state.events.map((e) => e.unique_id).sort()).toEqual(
      eventRows.map((r) => `${SHOP_A}:${r.source}:${r.recipe}`).sort(),
    );
    expect(klaviyo.state.duplicateEvents).toEqual([]);
    const ticketRows = succeeded.filter((r) => r.operation === "gorgias-ticket");
    expect(gorgias.state.tickets.map((t) => t.external_id).sort()).toEqual(
      ticketRows.map((r) => r.idempotencyKey).sort(),
    );
    expect(klaviyo.state.lists.size).toBe(1);
    const [list] = [...klaviyo.state.lists.values()];
    expect(klaviyo.listMemberIds(list!.id)).toHaveLength(
      succeeded.filter((r) => r.operation === "klaviyo-list-add").length,
    );
  }, 150_000);
});
