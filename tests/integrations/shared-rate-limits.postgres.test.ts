import { spawn, type ChildProcess } from "node:child_process";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { deliveries } from "../../db/schema/index";
import { setDatabase } from "../../app/db.server";
import { connectGorgias, connectKlaviyo } from "../../app/integrations/connections.server";
import type { DeliveryActionInput } from "../../app/integrations/delivery/actions";
import { requestDelivery } from "../../app/integrations/delivery/request.server";
import { GORGIAS_BUDGET, KLAVIYO_BUDGETS } from "../../app/integrations/rate-limiter.server";
import { JobQueue } from "../../app/jobs/queue.server";
import { TASKS } from "../../app/jobs/tasks.server";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import {
  GORGIAS_DOMAIN,
  GORGIAS_USERS,
  KLAVIYO_KEYS,
  SHOP_A,
  startVendorFakes,
  stopVendorFakes,
  type VendorFakes,
} from "../helpers/vendors";
import { waitFor } from "../helpers/webhooks";

/**
 * Issue 18: three worker processes deliver one shop's burst of Gorgias tickets, then of Klaviyo
 * list additions. The fakes' own request logs must show the shop's budget (Gorgias 40 per 20 s,
 * Klaviyo's per-endpoint burst) never exceeded across the processes together, and nothing
 * arriving while a Retry-After the fake sent was still running.
 */

const TICKETS = 15;
const RETRY_AFTER_SECONDS = 3;
/**
 * A request already on the wire when the 429 left the fake is not governed by it: with six
 * workers at most five others can be in flight, and they arrive within this much of it.
 */
const IN_FLIGHT_MS = 500;
const TRANSIT_MS = 250;

let test: TestDatabase;
let fakes: VendorFakes;
const children: ChildProcess[] = [];

function startWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/worker-child.ts"], {
    env: { ...process.env, ...env, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}):\n${output}`);
      return /ready/.test(output);
    },
    { timeoutMs: 40_000, intervalMs: 50 },
  );
}

const exited = (child: ChildProcess) =>
  new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));

beforeAll(async () => {
  test = await createTestDatabase("postgres");
  setDatabase(test.database);
  fakes = await startVendorFakes();
  const user = GORGIAS_USERS[SHOP_A]!;
  const setup = await JobQueue.start(test.database, TASKS, { superviseIntervalSeconds: 1 });
  try {
    expect(
      await connectGorgias(test.database.db, setup, SHOP_A, {
        domain: GORGIAS_DOMAIN,
        email: user.email,
        apiKey: user.apiKey,
      }),
    ).toMatchObject({ ok: true });
    expect(await connectKlaviyo(test.database.db, SHOP_A, KLAVIYO_KEYS[SHOP_A]!)).toMatchObject({
      ok: true,
    });
  } finally {
    await setup.stop({ timeoutMs: 1_000 });
  }
  await Promise.all(
    [1, 2, 3].map(() =>
      startWorker({
        CHILD_DATABASE_URL: test.url!,
        CHILD_HOLD: "none",
        CHILD_CONCURRENCY: "2",
        // Jobs wait their turn inside the worker (up to 15 s): their lease must outlast that.
        CHILD_EXPIRE_SECONDS: "60",
        GORGIAS_API_URL: fakes.gorgias.apiUrl,
        KLAVIYO_API_URL: fakes.klaviyo.url,
      }),
    ),
  );
}, 90_000);

/** Requests the deliveries, then waits until every one of them has succeeded. */
async function deliverAll(actions: DeliveryActionInput[]) {
  const queue = await JobQueue.start(test.database, TASKS, { superviseIntervalSeconds: 1 });
  const keys: string[] = [];
  try {
    for (const action of actions)
      keys.push((await requestDelivery({ database: test.database, queue }, action)).key);
  } finally {
    await queue.stop({ timeoutMs: 1_000 });
  }
  const rows = await waitFor(
    async () => {
      const current = await test.database.db
        .select({ status: deliveries.status })
        .from(deliveries)
        .where(inArray(deliveries.idempotencyKey, keys));
      return current.length === actions.length && current.every((r) => r.status === "succeeded")
        ? current
        : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  expect(rows).toHaveLength(actions.length);
}

/** The most requests that arrived within any `windowMs`, less the transit allowance. */
function busiestWindow(arrivals: { at: number }[], windowMs: number): number {
  let most = 0;
  for (const { at } of arrivals) {
    const inWindow = arrivals.filter((r) => r.at > at - windowMs + TRANSIT_MS && r.at <= at);
    most = Math.max(most, inWindow.length);
  }
  return most;
}

/** Nothing arrived while the Retry-After of the 429 at `blockedAt` ran, but what was in flight. */
function expectRetryAfterHonoured(arrivals: { at: number }[], blockedAt: number) {
  const during = arrivals.filter(
    (r) => r.at > blockedAt && r.at < blockedAt + RETRY_AFTER_SECONDS * 1000,
  );
  expect(during.length).toBeLessThanOrEqual(5);
  for (const { at } of during) expect(at - blockedAt).toBeLessThan(IN_FLIGHT_MS);
}

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await Promise.all(children.map(exited));
  await stopVendorFakes(fakes);
  setDatabase(undefined);
  await test?.destroy();
});

it("three worker processes together keep one shop within Gorgias's 40 requests per 20 s and honour its Retry-After", async () => {
  const { gorgias } = fakes;
  // The next request the fake sees is answered 429 with Retry-After.
  gorgias.setFaults({ burst429: 1, retryAfterSeconds: RETRY_AFTER_SECONDS });
  await deliverAll(
    Array.from({ length: TICKETS }, (_, i) => ({
      kind: "gorgias-ticket" as const,
      shop: SHOP_A,
      recipe: "high-value-white-glove",
      source: `order/${9_100 + i}`,
      customer: { email: `buyer${i}@example.com` },
      subject: "Big order",
      bodyText: "Order over $1,000: call the customer.",
    })),
  );
  expect(new Set(gorgias.state.tickets.map((t) => t.external_id)).size).toBe(TICKETS);

  const arrivals = gorgias.received.map((r) => ({ at: Date.parse(r.at), status: r.status }));
  // Only the injected 429: the fake's own leaky bucket never had to refuse anyone.
  const refused = arrivals.filter((r) => r.status === 429);
  expect(refused).toHaveLength(1);
  // The burst needed more than one window, so the processes really did wait for each other.
  expect(arrivals.length).toBeGreaterThan(GORGIAS_BUDGET[0]!.limit);
  // And never more than 40 in any 20 s, less the transit time a request spends between the
  // worker's slot and the fake's log (a loaded machine delays one request more than another).
  const { limit, windowMs } = GORGIAS_BUDGET[0]!;
  expect(busiestWindow(arrivals, windowMs)).toBeLessThanOrEqual(limit);
  expectRetryAfterHonoured(arrivals, refused[0]!.at);
}, 90_000);

it("three worker processes together keep one shop within Klaviyo's per-endpoint burst and honour its Retry-After", async () => {
  const { klaviyo } = fakes;
  const additions = 35;
  klaviyo.received.length = 0;
  klaviyo.setFaults({ burst429: 1, retryAfterSeconds: RETRY_AFTER_SECONDS });
  await deliverAll(
    Array.from({ length: additions }, (_, i) => ({
      kind: "klaviyo-list-add" as const,
      shop: SHOP_A,
      recipe: "vip-tier-sync",
      source: `customer/${7_300 + i}`,
      list: "VIP customers",
      profile: { email: `vip${i}@example.com` },
    })),
  );

  const members = klaviyo.received.filter(
    (r) => r.method === "POST" && /\/api\/lists\/[^/]+\/relationships\/profiles\/?$/.test(r.path),
  );
  const arrivals = members.map((r) => ({ at: Date.parse(r.at), status: r.status }));
  // Every profile reached the list, each through its own call (or a retried one).
  expect(arrivals.filter((r) => r.status < 300).length).toBeGreaterThanOrEqual(additions);
  // The fake's own per-endpoint limiter refused nobody: the one 429 is the injected one.
  const refused = klaviyo.received.filter((r) => r.status === 429);
  expect(refused).toHaveLength(1);
  // add-list-members allows 10 a second: 35 took several windows, never more than 10 in one.
  const { limit, windowMs } = KLAVIYO_BUDGETS["add-list-members"]![0]!;
  expect(arrivals.length).toBeGreaterThan(limit);
  expect(busiestWindow(arrivals, windowMs)).toBeLessThanOrEqual(limit);
  // Klaviyo's limits are per endpoint: the Retry-After holds the refused request's endpoint.
  const blocked = refused[0]!;
  expectRetryAfterHonoured(
    klaviyo.received
      .filter((r) => r.method === blocked.method && r.path === blocked.path)
      .map((r) => ({ at: Date.parse(r.at) })),
    Date.parse(blocked.at),
  );
}, 90_000);
