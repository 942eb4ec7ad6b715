import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { deadLetters } from "../../db/schema/index";
import { defineTask } from "../../app/jobs/define-task";
import { RetryableError, TerminalError } from "../../app/jobs/errors";
import { JobQueue, jobIdForKey } from "../../app/jobs/queue.server";
import { describeEachDatabase } from "../helpers/database";
import { waitFor } from "../helpers/webhooks";

const runs: Record<string, number[]> = {};
const record = (key: string) => (runs[key] ??= []).push(Date.now());

const flaky = defineTask({
  name: "test-flaky",
  payloadSchema: z.object({ shop: z.string(), id: z.string(), failTimes: z.number() }),
  sourceId: (p) => p.id,
  shop: (p) => p.shop,
  retry: { retryLimit: 3, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 },
  async run({ id, failTimes }, { attempt }) {
    record(id);
    if (attempt <= failTimes) throw new RetryableError(`vendor answered 503 on attempt ${attempt}`);
  },
});

const refused = defineTask({
  name: "test-refused",
  payloadSchema: z.object({ shop: z.string(), id: z.string() }),
  sourceId: (p) => p.id,
  shop: (p) => p.shop,
  async run({ id }) {
    record(id);
    throw new TerminalError("Klaviyo said 400: profile email is invalid");
  },
});

/** Attempt numbers each run of a `test-throttled` job saw, per test key. */
const throttledAttempts: Record<string, number[]> = {};

/** Answers "429, retry after 1 s" on its first `waits` runs; no retries beyond what deferral gives. */
const throttled = defineTask({
  name: "test-throttled",
  payloadSchema: z.object({ shop: z.string(), id: z.string(), waits: z.number() }),
  sourceId: (p) => p.id,
  shop: (p) => p.shop,
  retry: { retryLimit: 0 },
  async run({ id, waits }, { attempt }) {
    record(id);
    (throttledAttempts[id] ??= []).push(attempt);
    if (attempt <= waits) throw new RetryableError(`Klaviyo answered 429 on attempt ${attempt}`, 1);
  },
});

/** Sizes of the batches runBatch was given, and the ids it ran, per test key. */
const batches: Record<string, number[]> = {};

const batched = defineTask({
  name: "test-batched",
  payloadSchema: z.object({
    shop: z.string(),
    group: z.string(),
    n: z.number(),
    breaksBatch: z.boolean().default(false),
  }),
  sourceId: (p) => `${p.group}-${p.n}`,
  shop: (p) => p.shop,
  async run({ group, n }) {
    record(`${group}:single:${n}`);
  },
  async runBatch(jobs) {
    const group = jobs[0]!.payload.group;
    (batches[group] ??= []).push(jobs.length);
    if (jobs.some((job) => job.payload.breaksBatch)) throw new Error("a deadlock, say");
    // Takes the even ones; leaves the odd ones to run one by one.
    const even = jobs.filter((job) => job.payload.n % 2 === 0);
    for (const job of even) record(`${group}:batch:${job.payload.n}`);
    return new Set(even.map((job) => job.id));
  },
});

describeEachDatabase("job queue", ({ kind, use }) => {
  let queue: JobQueue;
  // Runs are recorded per database kind: both suites share this module.
  const id = (name: string) => `${kind}-${name}`;
  beforeAll(async () => {
    queue = await JobQueue.start(use().database, [flaky, refused, batched, throttled], {
      superviseIntervalSeconds: 1,
      maxDeferrals: 2,
    });
    await queue.work({ concurrency: 4 });
  });
  afterAll(() => queue.stop({ timeoutMs: 2_000 }));

  it("derives the same job id from the same key, so enqueueing twice runs once", async () => {
    const payload = { shop: "a.myshopify.com", id: id("twice"), failTimes: 0 };
    const first = await queue.enqueue(flaky, payload);
    const second = await queue.enqueue(flaky, payload);
    expect(first).toBe(second);
    expect(first).toBe(jobIdForKey(`test-flaky:a.myshopify.com:${id("twice")}`));
    await waitFor(async () => runs[id("twice")]?.length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(runs[id("twice")]).toHaveLength(1);
  });

  it("retries a retryable failure with growing backoff until it succeeds", async () => {
    await queue.enqueue(flaky, { shop: "a.myshopify.com", id: id("recovers"), failTimes: 2 });
    await waitFor(async () => runs[id("recovers")]?.length === 3, { timeoutMs: 20_000 });
    const [first, second, third] = runs[id("recovers")]!;
    expect(second! - first!).toBeGreaterThanOrEqual(500);
    expect(third! - second!).toBeGreaterThanOrEqual(500);
    // The third run succeeded, so the job completes (its state is written just after the run returns).
    await waitFor(async () => {
      const [job] = await queue.boss.findJobs(flaky.name, {
        id: jobIdForKey(`test-flaky:a.myshopify.com:${id("recovers")}`),
      });
      return job?.state === "completed";
    });
    expect(
      await use()
        .database.db.select()
        .from(deadLetters)
        .where(eq(deadLetters.jobKey, `test-flaky:a.myshopify.com:${id("recovers")}`)),
    ).toEqual([]);
  });

  it("forgets a job only once it has finished: queued or retrying stays, completed goes", async () => {
    const queued = await queue.enqueue(
      flaky,
      { shop: "a.myshopify.com", id: id("forget-later"), failTimes: 0 },
      { delaySeconds: 60 },
    );
    expect(await queue.forgetFinishedJob(flaky.name, queued)).toBe("unfinished");
    expect(await queue.boss.getJobById(flaky.name, queued)).not.toBeNull();

    const done = await queue.enqueue(flaky, {
      shop: "a.myshopify.com",
      id: id("forget-done"),
      failTimes: 0,
    });
    await waitFor(
      async () => (await queue.boss.getJobById(flaky.name, done))?.state === "completed",
    );
    expect(await queue.forgetFinishedJob(flaky.name, done)).toBe("deleted");
    expect(await queue.boss.getJobById(flaky.name, done)).toBeNull();
    expect(await queue.forgetFinishedJob(flaky.name, done)).toBe("gone");
  });

  it("waits out a Retry-After without spending an attempt: the job runs again after the wait and succeeds", async () => {
    await queue.enqueue(throttled, { shop: "a.myshopify.com", id: id("waits"), waits: 2 });
    await waitFor(async () => runs[id("waits")]?.length === 3, { timeoutMs: 20_000 });
    const [first, second, third] = runs[id("waits")]!;
    expect(second! - first!).toBeGreaterThanOrEqual(900);
    expect(third! - second!).toBeGreaterThanOrEqual(900);
    expect(throttledAttempts[id("waits")]).toEqual([1, 2, 3]);
    await new Promise((r) => setTimeout(r, 300));
    expect(runs[id("waits")]).toHaveLength(3);
    expect(
      await use()
        .database.db.select()
        .from(deadLetters)
        .where(eq(deadLetters.jobKey, `test-throttled:a.myshopify.com:${id("waits")}:after:2`)),
    ).toEqual([]);
  });

  it("counts waits as failures once a job has been deferred the most times in a row", async () => {
    await queue.enqueue(throttled, { shop: "a.myshopify.com", id: id("always-429"), waits: 99 });
    const key = `test-throttled:a.myshopify.com:${id("always-429")}:after:2`;
    const [letter] = await waitFor(
      async () => {
        const letters = await use()
          .database.db.select()
          .from(deadLetters)
          .where(eq(deadLetters.jobKey, key));
        return letters.length ? letters : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(letter).toMatchObject({
      task: "test-throttled",
      errorKind: "exhausted",
      attempts: 3,
      error: "Klaviyo answered 429 on attempt 3",
    });
    expect(runs[id("always-429")]).toHaveLength(3);
  });

  it("dead-letters a job that keeps failing, keeping its last error and attempt count", async () => {
    await queue.enqueue(flaky, { shop: "a.myshopify.com", id: id("exhausts"), failTimes: 99 });
    const [letter] = await waitFor(
      async () => {
        const rows = await use()
          .database.db.select()
          .from(deadLetters)
          .where(eq(deadLetters.jobKey, `test-flaky:a.myshopify.com:${id("exhausts")}`));
        return rows.length ? rows : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(letter).toMatchObject({
      shop: "a.myshopify.com",
      task: "test-flaky",
      errorKind: "exhausted",
      attempts: 4,
      error: "vendor answered 503 on attempt 4",
    });
    expect(runs[id("exhausts")]).toHaveLength(4);
  });

  it("dead-letters a terminal failure at once, without retrying", async () => {
    await queue.enqueue(refused, { shop: "b.myshopify.com", id: id("bad-email") });
    const [letter] = await waitFor(async () => {
      const rows = await use()
        .database.db.select()
        .from(deadLetters)
        .where(eq(deadLetters.jobKey, `test-refused:b.myshopify.com:${id("bad-email")}`));
      return rows.length ? rows : undefined;
    });
    expect(letter).toMatchObject({
      errorKind: "terminal",
      attempts: 1,
      error: "Klaviyo said 400: profile email is invalid",
    });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(runs[id("bad-email")]).toHaveLength(1);
  });

  it("rejects a payload that does not match the task's schema when it is enqueued", async () => {
    await expect(queue.enqueue(flaky, { shop: "a.myshopify.com", id: 5 } as never)).rejects.toThrow(
      /expected string/i,
    );
  });

  it("gives a batching task whole fetches; what its batch leaves runs one by one, each job exactly once", async () => {
    const group = id("split");
    await queue.enqueueMany(
      batched,
      Array.from({ length: 6 }, (_, n) => ({ shop: "a.myshopify.com", group, n })),
    );
    const ran = () => Object.keys(runs).filter((key) => key.startsWith(`${group}:`));
    await waitFor(async () => ran().length === 6);
    await new Promise((r) => setTimeout(r, 300));
    expect(ran().sort()).toEqual(
      [0, 2, 4]
        .map((n) => `${group}:batch:${n}`)
        .concat([1, 3, 5].map((n) => `${group}:single:${n}`))
        .sort(),
    );
    expect(ran().every((key) => runs[key]!.length === 1)).toBe(true);
    expect(Math.max(...batches[group]!)).toBeGreaterThan(1);
  });

  it("runs every job of a batch that failed one by one, losing none", async () => {
    const group = id("broken");
    await queue.enqueueMany(
      batched,
      Array.from({ length: 4 }, (_, n) => ({
        shop: "a.myshopify.com",
        group,
        n,
        breaksBatch: n === 3,
      })),
    );
    const ran = () => Object.keys(runs).filter((key) => key.startsWith(`${group}:`));
    await waitFor(async () => ran().length === 4);
    expect(ran().sort()).toEqual([0, 1, 2, 3].map((n) => `${group}:single:${n}`));
    expect(batches[group]).toEqual([4]);
  });
});
