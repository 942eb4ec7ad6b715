import { sql } from "drizzle-orm";
import { rateLimitBuckets, type Vendor } from "../../db/schema/index";
import type { Db } from "../db.server";
import { rateLimitWaitSeconds, rateLimitWaitsTotal } from "../metrics.server";
import { systemClock } from "../utils/clock";
import type { RequestPacer } from "./http.server";
import { VendorRetryableError } from "./http.server";

/**
 * Per-shop, per-vendor request pacing, shared by every process through the database.
 *
 * Each budget is "at most `limit` requests in any `windowMs`", which is never looser than the
 * vendor's own fixed windows (Klaviyo) or leaky bucket (Gorgias). The counts live in one
 * `rate_limit_buckets` row per shop × vendor × bucket, and `rate_limit_take()` (migration 0013)
 * checks and spends every budget of a bucket in one statement under the row's lock, so N worker
 * processes together spend one shop's budget once. A 429's Retry-After blocks the whole bucket
 * for every process. Waits up to `maxWaitMs` happen inline; a longer wait throws a
 * RetryableError so the job is rescheduled instead of holding a worker. Nothing is kept in
 * process memory: a local shortcut could only be safe by asking the database anyway.
 * See docs/integrations.md.
 */

export interface RateBudget {
  limit: number;
  windowMs: number;
}

/** Whose budget: one shop's calls to one vendor endpoint (Klaviyo) or account (Gorgias). */
export interface BucketKey {
  shop: string;
  vendor: Vendor;
  bucket: string;
}

export interface RateLimiterOptions {
  /**
   * Milliseconds since the epoch. Every process sharing the database must agree on it, so it
   * is wall-clock time (default), not a test's pinned calendar clock: pacing real requests
   * against a clock that never moves would wait forever.
   */
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

/** A PostgreSQL array literal of integers (drizzle's sql`` would spread a JS array into a list). */
const intArray = (values: number[]) => `{${values.map((v) => Math.trunc(v)).join(",")}}`;

/**
 * The limiter over one database. `db` is a connection pool, never a transaction: a take
 * commits without waiting for the disk (migration 0013), which must not extend to other writes.
 */
export class RateLimiter {
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    private readonly db: Db,
    options: RateLimiterOptions = {},
  ) {
    this.now = options.now ?? (() => systemClock.now().getTime());
    this.sleep = options.sleep ?? defaultSleep;
  }

  /**
   * Takes a slot in every budget, or (taking nothing) returns the milliseconds until one may be
   * free. Another process may take that slot first; the caller then asks again.
   */
  async take(key: BucketKey, budgets: RateBudget[]): Promise<number> {
    const { rows } = (await this.db.execute(sql`
      select rate_limit_take(${key.shop}, ${key.vendor}, ${key.bucket}, ${this.now()}::bigint,
        ${intArray(budgets.map((b) => b.limit))}::integer[],
        ${intArray(budgets.map((b) => b.windowMs))}::bigint[]) as wait`)) as unknown as {
      rows: { wait: string | number | bigint }[];
    };
    return Number(rows[0]!.wait);
  }

  /**
   * Waits for a slot in every budget and takes it. Throws `onTooLong(waitMs)` when the wait
   * would exceed `maxWaitMs` in all (other processes may take the slots it waited for).
   */
  async acquire(
    key: BucketKey,
    budgets: RateBudget[],
    options: {
      maxWaitMs: number;
      signal?: AbortSignal;
      onTooLong: (waitMs: number) => Error;
      /** Told before each inline wait (for /metrics). */
      onWait?: (waitMs: number) => void;
    },
  ): Promise<void> {
    const deadline = this.now() + options.maxWaitMs;
    for (;;) {
      options.signal?.throwIfAborted();
      const wait = await this.take(key, budgets);
      if (wait === 0) return;
      if (this.now() + wait > deadline) throw options.onTooLong(wait);
      options.onWait?.(wait);
      await this.sleep(wait, options.signal);
    }
  }

  /** The vendor said 429: no process starts anything in this bucket before `seconds` from now. */
  async block(key: BucketKey, seconds: number): Promise<void> {
    const now = this.now();
    const until = now + seconds * 1000;
    await this.db
      .insert(rateLimitBuckets)
      .values({ ...key, blockedUntilMs: until, updatedAt: new Date(now) })
      .onConflictDoUpdate({
        target: [rateLimitBuckets.shop, rateLimitBuckets.vendor, rateLimitBuckets.bucket],
        set: {
          blockedUntilMs: sql`greatest(${rateLimitBuckets.blockedUntilMs}, excluded.blocked_until_ms)`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
  }
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

/** A pacer for one shop's calls to one vendor, spending the budget every process shares. */
export function shopPacer(
  vendor: Vendor,
  shop: string,
  options: ({ db: Db } | { limiter: RateLimiter }) & { maxWaitMs?: number },
): RequestPacer {
  const limiter = "limiter" in options ? options.limiter : new RateLimiter(options.db);
  const maxWaitMs = options.maxWaitMs ?? 15_000;
  return {
    acquire(operation, signal) {
      const { bucket, budgets } = budgetFor(vendor, operation);
      return limiter.acquire({ shop, vendor, bucket }, budgets, {
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
      const { bucket } = budgetFor(vendor, operation);
      return limiter.block({ shop, vendor, bucket }, retryAfterSeconds);
    },
  };
}
