import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { openDatabase, type Database } from "../db.server";
import { describeEachDatabase } from "../../tests/helpers/database";
import { VendorRetryableError } from "./http.server";
import {
  GORGIAS_BUDGET,
  KLAVIYO_BUDGETS,
  RateLimiter,
  shopPacer,
  type BucketKey,
} from "./rate-limiter.server";

/** A clock for one test, starting on a whole minute so slot edges fall where the test expects. */
function clock() {
  let now = 28_333_333 * 60_000;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    advance: (ms: number) => (now += ms),
    slept,
  };
}

const total = (values: number[]) => values.reduce((a, b) => a + b, 0);

describeEachDatabase("per-shop vendor rate limiter", ({ kind, use: testDatabase }) => {
  /** A second connection to the same database, as another worker process has (PostgreSQL). */
  let other: Database | undefined;
  beforeAll(async () => {
    if (kind === "postgres") other = await openDatabase({ url: testDatabase().url!, poolSize: 5 });
  });
  afterAll(() => other?.close());
  beforeEach(() => testDatabase().database.executeSql("delete from rate_limit_buckets"));
  const db = () => testDatabase().database.db;
  const otherDb = () => (other ?? testDatabase().database).db;

  it("lets Gorgias's 40 requests per 20 s through, then waits for the oldest to leave the window", async () => {
    const time = clock();
    const limiter = new RateLimiter(db(), time);
    const pacer = shopPacer("gorgias", "a.myshopify.com", { limiter, maxWaitMs: 30_000 });
    for (let i = 0; i < 40; i++) await pacer.acquire("create-ticket");
    expect(time.slept).toEqual([]);
    await pacer.acquire("get-tickets");
    // The window is counted in 2 s slots: the 20 s wait may stretch to the slot's end.
    expect(total(time.slept)).toBeGreaterThanOrEqual(20_000);
    expect(total(time.slept)).toBeLessThanOrEqual(22_000);
    expect(GORGIAS_BUDGET).toEqual([{ limit: 40, windowMs: 20_000 }]);
  });

  it("keeps shops apart and Klaviyo endpoints apart", async () => {
    const time = clock();
    const limiter = new RateLimiter(db(), time);
    const a = shopPacer("klaviyo", "a.myshopify.com", { limiter, maxWaitMs: 0 });
    const b = shopPacer("klaviyo", "b.myshopify.com", { limiter, maxWaitMs: 0 });
    for (let i = 0; i < KLAVIYO_BUDGETS["add-list-members"]![0]!.limit; i++)
      await a.acquire("add-list-members");
    await expect(a.acquire("add-list-members")).rejects.toBeInstanceOf(VendorRetryableError);
    await b.acquire("add-list-members");
    await a.acquire("create-event");
  });

  it("applies the steady per-minute budget as well as the burst", async () => {
    const time = clock();
    const limiter = new RateLimiter(db(), time);
    const pacer = shopPacer("klaviyo", "a.myshopify.com", { limiter, maxWaitMs: 120_000 });
    for (let i = 0; i < 150; i++) await pacer.acquire("bulk-import");
    // 10 per second: about 15 seconds of bursts used the minute's 150.
    const waited = total(time.slept);
    expect(waited).toBeGreaterThanOrEqual(14_000);
    await pacer.acquire("bulk-import");
    expect(total(time.slept) - waited).toBeGreaterThan(40_000);
  });

  it("honours Retry-After for the whole bucket and says when to come back if that is too long", async () => {
    const time = clock();
    const limiter = new RateLimiter(db(), time);
    const pacer = shopPacer("gorgias", "a.myshopify.com", { limiter, maxWaitMs: 5_000 });
    await pacer.throttled("create-ticket", 3);
    await pacer.acquire("get-customers");
    expect(time.slept).toEqual([3_000]);
    await pacer.throttled("create-ticket", 30);
    const error = await pacer.acquire("create-ticket").catch((e) => e);
    expect(error).toBeInstanceOf(VendorRetryableError);
    expect(error.retryAfterSeconds).toBe(30);
  });

  it("two processes racing for one shop's Gorgias budget get 40 requests per 20 s between them, never more", async () => {
    const time = clock();
    const first = new RateLimiter(db(), time);
    const second = new RateLimiter(otherDb(), time);
    const key: BucketKey = { shop: "a.myshopify.com", vendor: "gorgias", bucket: "all" };
    const taken: number[] = [];
    // 60 s in 500 ms steps; at each step both processes try 4 requests at once.
    for (let step = 0; step < 120; step++) {
      const waits = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? first : second).take(key, GORGIAS_BUDGET)),
      );
      for (const wait of waits) if (wait === 0) taken.push(time.now());
      time.advance(500);
    }
    for (const at of taken) {
      expect(taken.filter((t) => t > at - 20_000 && t <= at).length).toBeLessThanOrEqual(40);
    }
    // And the budget is used, not wasted: 10/11 of 40 per 20 s at worst, over 60 s.
    expect(taken.length).toBeGreaterThanOrEqual(108);
  });

  it("gives up after maxWaitMs in all when other processes keep taking the slots it waited for", async () => {
    const time = clock();
    const key: BucketKey = { shop: "a.myshopify.com", vendor: "gorgias", bucket: "all" };
    const other = new RateLimiter(otherDb(), time);
    const limiter = new RateLimiter(db(), {
      now: time.now,
      // While this worker sleeps, another process spends the window that reopens.
      sleep: async (ms) => {
        await time.sleep(ms);
        for (let i = 0; i < 40; i++) await other.take(key, GORGIAS_BUDGET);
      },
    });
    for (let i = 0; i < 40; i++) expect(await limiter.take(key, GORGIAS_BUDGET)).toBe(0);
    const pacer = shopPacer("gorgias", "a.myshopify.com", { limiter, maxWaitMs: 30_000 });
    const error = await pacer.acquire("create-ticket").catch((e) => e);
    expect(error).toBeInstanceOf(VendorRetryableError);
    expect(time.slept).toHaveLength(1);
  });

  it("a Retry-After one process heard holds every process until it has passed", async () => {
    const time = clock();
    const first = new RateLimiter(db(), time);
    const second = new RateLimiter(otherDb(), time);
    const key: BucketKey = { shop: "a.myshopify.com", vendor: "klaviyo", bucket: "create-event" };
    const budgets = KLAVIYO_BUDGETS["create-event"]!;
    expect(await second.take(key, budgets)).toBe(0);
    await first.block(key, 5);
    expect(await second.take(key, budgets)).toBe(5_000);
    expect(await first.take(key, budgets)).toBe(5_000);
    time.advance(4_999);
    expect(await second.take(key, budgets)).toBe(1);
    time.advance(1);
    expect(await second.take(key, budgets)).toBe(0);
    // Another shop was never held.
    expect(await first.take({ ...key, shop: "b.myshopify.com" }, budgets)).toBe(0);
  });
});
