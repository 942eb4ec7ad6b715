import { describe, expect, it } from "vitest";
import { VendorRetryableError } from "./http.server";
import { GORGIAS_BUDGET, KLAVIYO_BUDGETS, RateLimiter, shopPacer } from "./rate-limiter.server";

function clock() {
  let now = 1_700_000_000_000;
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

describe("per-shop vendor rate limiter", () => {
  it("lets Gorgias's 40 requests per 20 s through, then waits for the oldest to leave the window", async () => {
    const time = clock();
    const limiter = new RateLimiter(time);
    const pacer = shopPacer("gorgias", "a.myshopify.com", { limiter, maxWaitMs: 30_000 });
    for (let i = 0; i < 40; i++) await pacer.acquire("create-ticket");
    expect(time.slept).toEqual([]);
    await pacer.acquire("get-tickets");
    expect(time.slept).toEqual([20_000]);
    expect(GORGIAS_BUDGET).toEqual([{ limit: 40, windowMs: 20_000 }]);
  });

  it("keeps shops apart and Klaviyo endpoints apart", async () => {
    const time = clock();
    const limiter = new RateLimiter(time);
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
    const limiter = new RateLimiter(time);
    const pacer = shopPacer("klaviyo", "a.myshopify.com", { limiter, maxWaitMs: 120_000 });
    for (let i = 0; i < 150; i++) await pacer.acquire("bulk-import");
    // 10 per second: 15 seconds of bursts used the minute's 150.
    const waited = time.slept.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(14_000);
    const before = waited;
    await pacer.acquire("bulk-import");
    expect(time.slept.reduce((a, b) => a + b, 0) - before).toBeGreaterThan(40_000);
  });

  it("honours Retry-After for the whole bucket and says when to come back if that is too long", async () => {
    const time = clock();
    const limiter = new RateLimiter(time);
    const pacer = shopPacer("gorgias", "a.myshopify.com", { limiter, maxWaitMs: 5_000 });
    pacer.throttled("create-ticket", 3);
    await pacer.acquire("get-customers");
    expect(time.slept).toEqual([3_000]);
    pacer.throttled("create-ticket", 30);
    const error = await pacer.acquire("create-ticket").catch((e) => e);
    expect(error).toBeInstanceOf(VendorRetryableError);
    expect(error.retryAfterSeconds).toBe(30);
  });
});
