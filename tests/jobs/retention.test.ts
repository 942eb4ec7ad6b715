import { inArray, sql } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import {
  deadLetters,
  deliveryAttempts,
  recipeRuns,
  shops,
  webhookEvents,
} from "../../db/schema/index";
import { purgeExpiredDataTask } from "../../app/jobs/contracts";
import { RETENTION_HOUR_UTC } from "../../app/jobs/retention.server";
import { parseEnv } from "../../app/env.server";
import { purgeExpiredShopData, RETENTION_PURGES } from "../../app/models/retention.server";
import { SHOP } from "../fixtures/shopify-payloads";
import { describeWithRuntime } from "../helpers/runtime";
import { after, DAY_MS, dayAt, isoDate } from "../helpers/time";
import { waitFor } from "../helpers/webhooks";

const OTHER_SHOP = "other-shop.myshopify.com";
const POLICY = { webhookDays: 30, runDays: 180 };

type EventStatus = (typeof webhookEvents.$inferInsert)["status"];

describeWithRuntime("retention", ({ runtime }) => {
  const db = () => runtime().database.db;
  const executeSql = () => runtime().database.executeSql;
  const now = () => runtime().clock.now();
  let serial = 0;

  const event = async (shop: string, ageDays: number, status: EventStatus = "processed") => {
    serial += 1;
    const [row] = await db()
      .insert(webhookEvents)
      .values({
        shop,
        topic: "orders/create",
        webhookId: `retention-${serial}`,
        payload: { id: serial, email: "ann@example.com" },
        status,
        receivedAt: after(now(), -ageDays * DAY_MS),
      })
      .returning({ id: webhookEvents.id });
    return row!.id;
  };
  const deadLetter = async (
    shop: string,
    task: string,
    payload: Record<string, unknown>,
    replayed = false,
  ) => {
    serial += 1;
    await db()
      .insert(deadLetters)
      .values({
        shop,
        task,
        jobKey: `${task}:${shop}:${serial}`,
        jobId: crypto.randomUUID(),
        payload,
        error: "boom",
        errorKind: "exhausted",
        attempts: 3,
        replayedAt: replayed ? now() : null,
      });
  };
  const run = async (shop: string, ageDays: number) => {
    serial += 1;
    const [row] = await db()
      .insert(recipeRuns)
      .values({
        shop,
        recipeId: "vip-tier-sync",
        trigger: "orders/create",
        eventKey: `webhook/${serial}`,
        customerId: "7001",
        outcome: "acted",
        durationMs: 1,
        createdAt: after(now(), -ageDays * DAY_MS),
      })
      .returning({ id: recipeRuns.id });
    return row!.id;
  };
  const call = async (shop: string, ageDays: number) => {
    const [row] = await db()
      .insert(deliveryAttempts)
      .values({
        shop,
        vendor: "klaviyo",
        operation: "create-event",
        httpStatus: 202,
        latencyMs: 5,
        attempt: 1,
        at: after(now(), -ageDays * DAY_MS),
      })
      .returning({ id: deliveryAttempts.id });
    return row!.id;
  };
  const eventIds = async (ids: number[]) =>
    (
      await db()
        .select({ id: webhookEvents.id })
        .from(webhookEvents)
        .where(inArray(webhookEvents.id, ids))
    )
      .map((r) => r.id)
      .sort((a, b) => a - b);
  const runIds = async (ids: number[]) =>
    (await db().select({ id: recipeRuns.id }).from(recipeRuns).where(inArray(recipeRuns.id, ids)))
      .map((r) => r.id)
      .sort((a, b) => a - b);
  const callIds = async (ids: number[]) =>
    (
      await db()
        .select({ id: deliveryAttempts.id })
        .from(deliveryAttempts)
        .where(inArray(deliveryAttempts.id, ids))
    )
      .map((r) => r.id)
      .sort((a, b) => a - b);

  beforeEach(async () => {
    await db().delete(webhookEvents);
    await db().delete(deadLetters);
    await db().delete(recipeRuns);
    await db().delete(deliveryAttempts);
  });

  it("deletes payloads older than 30 days and runs and vendor calls older than 180, keeping newer ones", async () => {
    const oldEvents = [
      await event(SHOP, 31),
      await event(SHOP, 90, "rejected"),
      await event(SHOP, 45, "ignored"),
    ];
    const recentEvent = await event(SHOP, 29);
    const oldRun = await run(SHOP, 181);
    const recentRun = await run(SHOP, 179);
    const oldCall = await call(SHOP, 181);
    const recentCall = await call(SHOP, 10);

    const result = await purgeExpiredShopData(executeSql(), SHOP, {
      now: now(),
      policy: POLICY,
      pauseMs: 0,
    });

    expect(result).toMatchObject({
      webhookEvents: 3,
      recipeRuns: 1,
      deliveryAttempts: 1,
      complete: true,
    });
    expect(await eventIds([...oldEvents, recentEvent])).toEqual([recentEvent]);
    expect(await runIds([oldRun, recentRun])).toEqual([recentRun]);
    expect(await callIds([oldCall, recentCall])).toEqual([recentCall]);
  });

  it("keeps events still waiting to be processed and those a merchant can still retry from Activity", async () => {
    const pending = await event(SHOP, 40, "received");
    const failedRetryable = await event(SHOP, 40, "failed");
    await deadLetter(SHOP, "process-webhook", {
      eventId: failedRetryable,
      shop: SHOP,
      topic: "orders/create",
      webhookId: "x",
    });
    const runOnIt = await event(SHOP, 40);
    await deadLetter(SHOP, "run-recipes", { type: "webhook", shop: SHOP, eventId: runOnIt });
    const failedRetried = await event(SHOP, 40, "failed");
    await deadLetter(
      SHOP,
      "process-webhook",
      { eventId: failedRetried, shop: SHOP, topic: "orders/create", webhookId: "y" },
      true,
    );

    const result = await purgeExpiredShopData(executeSql(), SHOP, {
      now: now(),
      policy: POLICY,
      pauseMs: 0,
    });

    expect(result.webhookEvents).toBe(1);
    expect(await eventIds([pending, failedRetryable, runOnIt, failedRetried])).toEqual([
      pending,
      failedRetryable,
      runOnIt,
    ]);
  });

  it("deletes at most one batch per statement and stops at the batch budget, leaving the rest for the next round", async () => {
    const old = [];
    for (let i = 0; i < 7; i++) old.push(await event(SHOP, 31 + i));

    const first = await purgeExpiredShopData(executeSql(), SHOP, {
      now: now(),
      policy: POLICY,
      batchSize: 3,
      maxBatches: 2,
      pauseMs: 0,
    });
    expect(first).toMatchObject({ webhookEvents: 6, batches: 2, complete: false });
    // Oldest first: what is left is the newest of the expired events.
    expect(await eventIds(old)).toEqual([old[0]]);

    const second = await purgeExpiredShopData(executeSql(), SHOP, {
      now: now(),
      policy: POLICY,
      batchSize: 3,
      maxBatches: 2,
      pauseMs: 0,
    });
    expect(second).toMatchObject({ webhookEvents: 1, complete: true });
    expect(await eventIds(old)).toEqual([]);
  });

  it("touches only the shop it purges", async () => {
    const mine = await event(SHOP, 60);
    const theirs = await event(OTHER_SHOP, 60);
    const theirRun = await run(OTHER_SHOP, 400);
    await deadLetter(SHOP, "process-webhook", {
      eventId: theirs,
      shop: OTHER_SHOP,
      topic: "orders/create",
      webhookId: "z",
    });
    const theirCall = await call(OTHER_SHOP, 400);

    await purgeExpiredShopData(executeSql(), SHOP, { now: now(), policy: POLICY, pauseMs: 0 });

    expect(await eventIds([mine, theirs])).toEqual([theirs]);
    expect(await runIds([theirRun])).toEqual([theirRun]);
    expect(await callIds([theirCall])).toEqual([theirCall]);
    // Another shop's dead letter naming the same id does not protect this shop's event, nor the reverse.
    await purgeExpiredShopData(executeSql(), OTHER_SHOP, {
      now: now(),
      policy: POLICY,
      pauseMs: 0,
    });
    expect(await eventIds([theirs])).toEqual([]);
  });

  it("finds each batch through an index that starts with the shop, not by scanning the table", async () => {
    // Tables of 50 shops with months of rows each, their statistics up to date.
    await db()
      .execute(sql`insert into webhook_events (shop, topic, webhook_id, payload, status, received_at)
      select 'shop-' || (i % 50) || '.myshopify.com', 'orders/create', 'explain-' || i, '{}'::jsonb, 'processed', now() - (i % 60) * interval '1 day' from generate_series(1, 20000) i`);
    await db()
      .execute(sql`insert into recipe_runs (shop, recipe_id, trigger, event_key, order_id, outcome, duration_ms, created_at)
      select 'shop-' || (i % 50) || '.myshopify.com', 'vip-tier-sync', 'orders/create', 'webhook/' || i, i, 'acted', 1, now() - (i % 365) * interval '1 day' from generate_series(1, 20000) i`);
    await db()
      .execute(sql`insert into delivery_attempts (shop, vendor, operation, latency_ms, attempt, at)
      select 'shop-' || (i % 50) || '.myshopify.com', 'klaviyo', 'create-event', 5, 1, now() - (i % 365) * interval '1 day' from generate_series(1, 20000) i`);
    await db().execute(sql`analyze webhook_events, recipe_runs, delivery_attempts, dead_letters`);
    await db().transaction(async (tx) => {
      for (const purge of RETENTION_PURGES) {
        const text = purge.text
          .replace("$1", `'shop-7.myshopify.com'`)
          .replace("$2", "now()")
          .replace("$3", "1000");
        const result = (await tx.execute(sql.raw(`explain ${text}`))) as unknown as
          { rows?: Record<string, string>[] } | Record<string, string>[];
        const plan = (Array.isArray(result) ? result : (result.rows ?? []))
          .map((row) => Object.values(row)[0])
          .join("\n");
        expect(plan, purge.table).not.toMatch(
          /Seq Scan on (webhook_events|recipe_runs|delivery_attempts)/,
        );
        expect(plan, purge.table).toMatch(/Index Cond: \(+shop = 'shop-7/);
      }
    });
  });

  it("runs every day: the day's walk purges each shop through its own job and schedules the next day's walk", async () => {
    await db()
      .insert(shops)
      .values([{ domain: SHOP }, { domain: OTHER_SHOP, uninstalledAt: now() }])
      .onConflictDoNothing();
    const expired = [await event(SHOP, 31), await event(OTHER_SHOP, 31)];
    const kept = await event(SHOP, 1);
    const expiredRun = await run(OTHER_SHOP, 200);
    const today = isoDate(now());

    await runtime().queue.enqueue(purgeExpiredDataTask, { date: today });

    await waitFor(
      async () =>
        (await eventIds([...expired, kept])).length === 1 &&
        (await runIds([expiredRun])).length === 0,
    );
    expect(await eventIds([kept])).toEqual([kept]);
    const tomorrow = dayAt(now(), 1, `0${RETENTION_HOUR_UTC}:00`);
    const { rows } = await executeSql()(
      `select data, start_after, state from pgboss.job where name = 'purge-expired-data' order by data->>'date', data->>'shop' nulls first`,
    );
    const jobs = rows.map(
      (r: { data: { date: string; shop?: string }; start_after: string | Date }) => ({
        ...r.data,
        startAfter: new Date(r.start_after).toISOString(),
      }),
    );
    expect(
      jobs
        .filter((j: { date: string }) => j.date === today)
        .map((j: { shop?: string }) => j.shop ?? null),
    ).toEqual([null, OTHER_SHOP, SHOP]);
    expect(jobs.filter((j: { date: string }) => j.date !== today)).toEqual([
      { date: isoDate(tomorrow), round: 1, startAfter: tomorrow.toISOString() },
    ]);
  });

  it("reads both retention periods from the environment, 30 and 180 days unless set", () => {
    expect(parseEnv({})).toMatchObject({
      WEBHOOK_RETENTION_DAYS: 30,
      RECIPE_RUN_RETENTION_DAYS: 180,
    });
    expect(
      parseEnv({ WEBHOOK_RETENTION_DAYS: "7", RECIPE_RUN_RETENTION_DAYS: "365" }),
    ).toMatchObject({ WEBHOOK_RETENTION_DAYS: 7, RECIPE_RUN_RETENTION_DAYS: 365 });
    expect(() => parseEnv({ WEBHOOK_RETENTION_DAYS: "0" })).toThrow(/WEBHOOK_RETENTION_DAYS/);
  });
});
