import type { Vendor } from "../../db/schema/index";
import { rateLimitWaitSeconds, rateLimitWaitsTotal } from "../metrics.server";
import type { RequestPacer } from "./http.server";
import { VendorRetryableError } from "./http.server";

/**
 * Per-shop, per-vendor request pacing, kept in this process.
 *
 * Each budget is a sliding window ("at most `limit` requests in any `windowMs`"), which is never
 * looser than the vendor's own fixed windows (Klaviyo) or leaky bucket (Gorgias). A 429's
 * Retry-After blocks the whole bucket until it passes. Waits up to `maxWaitMs` happen inline;
 * a longer wait throws a RetryableError so the job is rescheduled instead of holding a worker.
 *
 * Why in memory: workers are few (one web process on PGlite, a handful of `npm run worker`
 * processes on PostgreSQL). With N processes the shop can see up to N × the budget, which the
 * vendors answer with 429 + Retry-After, which every process then honours. See
 * docs/integrations.md.
 */

export interface RateBudget {
  limit: number;
  windowMs: number;
}

interface Bucket {
  /** Start times of recent requests, oldest first, one array per budget. */
  logs: number[][];
  blockedUntil: number;
}

export interface RateLimiterOptions {
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: RateLimiterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
  }

  private bucket(key: string, budgets: RateBudget[]): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.logs.length !== budgets.length) {
      bucket = { logs: budgets.map(() => []), blockedUntil: bucket?.blockedUntil ?? 0 };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Milliseconds until a request may start (0 = now), pruning expired entries. */
  waitMs(key: string, budgets: RateBudget[]): number {
    const bucket = this.bucket(key, budgets);
    const now = this.now();
    let wait = Math.max(0, bucket.blockedUntil - now);
    budgets.forEach((budget, index) => {
      const log = bucket.logs[index]!;
      while (log.length && log[0]! <= now - budget.windowMs) log.shift();
      if (log.length >= budget.limit)
        wait = Math.max(wait, log[log.length - budget.limit]! + budget.windowMs - now);
    });
    return wait;
  }

  /**
   * Waits for a slot in every budget and takes it. Throws `onTooLong(waitMs)` when the wait
   * would exceed `maxWaitMs`.
   */
  async acquire(
    key: string,
    budgets: RateBudget[],
    options: {
      maxWaitMs: number;
      signal?: AbortSignal;
      onTooLong: (waitMs: number) => Error;
      /** Told before each inline wait (for /metrics). */
      onWait?: (waitMs: number) => void;
    },
  ): Promise<void> {
    for (;;) {
      const wait = this.waitMs(key, budgets);
      if (wait === 0) {
        const now = this.now();
        this.bucket(key, budgets).logs.forEach((log) => log.push(now));
        return;
      }
      if (wait > options.maxWaitMs) throw options.onTooLong(wait);
      options.onWait?.(wait);
      await this.sleep(wait, options.signal);
    }
  }

  /** The vendor said 429: nothing in this bucket starts before `seconds` from now. */
  block(key: string, budgets: RateBudget[], seconds: number): void {
    const bucket = this.bucket(key, budgets);
    bucket.blockedUntil = Math.max(bucket.blockedUntil, this.now() + seconds * 1000);
  }

  /** Forgets every bucket (tests). */
  reset(): void {
    this.buckets.clear();
  }
}

declare global {
  var __switchboardRateLimiter: RateLimiter | undefined;
}

/** The process-wide limiter every vendor client shares. */
export function vendorRateLimiter(): RateLimiter {
  globalThis.__switchboardRateLimiter ??= new RateLimiter();
  return globalThis.__switchboardRateLimiter;
}

const SECOND = 1_000;
const MINUTE = 60_000;
const DAY = 86_400_000;

const tier = (burst: number, steady: number, daily?: number): RateBudget[] => [
  { limit: burst, windowMs: SECOND },
  { limit: steady, windowMs: MINUTE },
  ...(daily ? [{ limit: daily, windowMs: DAY }] : []),
];

/**
 * Klaviyo's per-endpoint budgets (burst per second / steady per minute), from the
 * `x-klaviyo-ratelimit` of each operation in the 2026-07-15 OpenAPI document.
 */
export const KLAVIYO_BUDGETS: Record<string, RateBudget[]> = {
  "get-accounts": tier(1, 15),
  "create-event": tier(350, 3_500),
  "profile-import": tier(75, 750),
  "get-profiles": tier(75, 750),
  "get-lists": tier(75, 750),
  "create-list": tier(10, 150, 150),
  "add-list-members": tier(10, 150),
  "remove-list-members": tier(10, 150),
  "bulk-import": tier(10, 150),
  "get-bulk-import-job": tier(10, 150),
  "get-bulk-import-errors": tier(10, 150),
  "request-profile-deletion": tier(3, 60),
};

/** Gorgias: one leaky bucket per account, 40 requests per 20 s with an API key. */
export const GORGIAS_BUDGET: RateBudget[] = [{ limit: 40, windowMs: 20 * SECOND }];

function budgetFor(vendor: Vendor, operation: string): { bucket: string; budgets: RateBudget[] } {
  if (vendor === "gorgias") return { bucket: "all", budgets: GORGIAS_BUDGET };
  // Probes and anything unlisted share the smallest tier rather than run unpaced.
  return { bucket: operation, budgets: KLAVIYO_BUDGETS[operation] ?? tier(1, 15) };
}

/** A pacer for one shop's calls to one vendor. */
export function shopPacer(
  vendor: Vendor,
  shop: string,
  options: { limiter?: RateLimiter; maxWaitMs?: number } = {},
): RequestPacer {
  const limiter = options.limiter ?? vendorRateLimiter();
  const maxWaitMs = options.maxWaitMs ?? 15_000;
  return {
    acquire(operation, signal) {
      const { bucket, budgets } = budgetFor(vendor, operation);
      return limiter.acquire(`${vendor}:${shop}:${bucket}`, budgets, {
        maxWaitMs,
        signal,
        onWait: (waitMs) => {
          rateLimitWaitsTotal.inc({ vendor, outcome: "waited" });
          rateLimitWaitSeconds.observe({ vendor }, waitMs / 1000);
        },
        onTooLong: (waitMs) => {
          rateLimitWaitsTotal.inc({ vendor, outcome: "deferred" });
          return new VendorRetryableError(
            {
              vendor,
              operation,
              failure: "rate-limited",
              status: null,
              detail: `this shop's ${vendor} budget for ${operation} is used up; next slot in ${Math.ceil(waitMs / 1000)} s`,
            },
            Math.ceil(waitMs / 1000),
          );
        },
      });
    },
    throttled(operation, retryAfterSeconds) {
      const { bucket, budgets } = budgetFor(vendor, operation);
      limiter.block(`${vendor}:${shop}:${bucket}`, budgets, retryAfterSeconds);
    },
  };
}
