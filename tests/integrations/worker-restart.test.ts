import { inArray } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { deliveries } from "../../db/schema/index";
import { connectGorgias, connectKlaviyo } from "../../app/integrations/connections.server";
import type { DeliveryActionInput } from "../../app/integrations/delivery/actions";
import { requestDelivery } from "../../app/integrations/delivery/request.server";
import { JobQueue } from "../../app/jobs/queue.server";
import { TASKS } from "../../app/jobs/tasks.server";
import { describeEachDatabase } from "../helpers/database";
import {
  GORGIAS_DOMAIN,
  GORGIAS_USERS,
  KLAVIYO_KEYS,
  SHOP_A,
  withVendorFakes,
} from "../helpers/vendors";
import { waitFor } from "../helpers/webhooks";

const fakes = withVendorFakes({ timeoutMs: 1_000 });
const queueOptions = {
  superviseIntervalSeconds: 1,
  retryOverrides: { expireInSeconds: 2, retryDelaySeconds: 1, retryDelayMaxSeconds: 1 },
};

describeEachDatabase("deliveries across a worker restart", ({ use: testDatabase }) => {
  beforeAll(async () => {
    const db = testDatabase().database.db;
    expect(await connectKlaviyo(db, SHOP_A, KLAVIYO_KEYS[SHOP_A])).toMatchObject({ ok: true });
    const user = GORGIAS_USERS[SHOP_A]!;
    // Connecting queues the open-ticket import; the workers started below run it.
    const setup = await JobQueue.start(testDatabase().database, TASKS, queueOptions);
    expect(
      await connectGorgias(db, setup, SHOP_A, {
        domain: GORGIAS_DOMAIN,
        email: user.email,
        apiKey: user.apiKey,
      }),
    ).toMatchObject({ ok: true });
    await setup.stop({ timeoutMs: 1_000 });
  });

  it("a worker stopped while vendors had done work it never heard about leaves nothing undone and nothing done twice", async () => {
    const { klaviyo, gorgias } = fakes();
    const database = testDatabase().database;
    // First the vendors do the work at once but answer after our 1 s timeout: every call made
    // before the restart has its effect without us hearing back, like a worker killed mid-call.
    klaviyo.setFaults({ latencyMs: 1_500 });
    gorgias.setFaults({ latencyMs: 1_500 });
    const first = await JobQueue.start(database, TASKS, queueOptions);
    await first.work({ concurrency: 4 });
    const actions: DeliveryActionInput[] = [];
    for (let i = 0; i < 12; i++) {
      actions.push({
        kind: "klaviyo-event",
        shop: SHOP_A,
        recipe: "review-request-timing",
        source: `order/${8000 + i}`,
        metric: "Switchboard Review Requested",
        profile: { email: `r${i}@example.com` },
      });
    }
    for (let i = 0; i < 4; i++) {
      actions.push({
        kind: "gorgias-ticket",
        shop: SHOP_A,
        recipe: "high-value-white-glove",
        source: `order/${8000 + i}`,
        customer: { email: `r${i}@example.com` },
        subject: "Big order",
        bodyText: "Order over $1,000: call the customer.",
      });
    }
    const keys: string[] = [];
    for (const action of actions)
      keys.push((await requestDelivery({ database, queue: first }, action)).key);

    const rows = () =>
      database.db.select().from(deliveries).where(inArray(deliveries.idempotencyKey, keys));
    await waitFor(async () => klaviyo.state.events.length >= 3, { timeoutMs: 20_000 });
    await first.stop({ timeoutMs: 100 });
    expect((await rows()).filter((r) => r.status === "succeeded")).toEqual([]);

    klaviyo.setFaults({ latencyMs: 0 });
    gorgias.setFaults({ latencyMs: 0 });
    const second = await JobQueue.start(database, TASKS, queueOptions);
    await second.work({ concurrency: 4 });
    try {
      const done = await waitFor(
        async () => {
          const current = await rows();
          return current.every((r) => r.status === "succeeded") ? current : undefined;
        },
        { timeoutMs: 60_000 },
      );
      expect(done).toHaveLength(keys.length);
    } finally {
      await second.stop({ timeoutMs: 2_000 });
    }
    // Every event once; the ones sent again after the restart were dropped by Klaviyo on unique_id.
    expect(klaviyo.state.events.map((e) => e.unique_id).sort()).toEqual(
      actions
        .slice(0, 12)
        .map((a) => `${SHOP_A}:${a.source}:${a.recipe}`)
        .sort(),
    );
    expect(klaviyo.state.duplicateEvents.length).toBeGreaterThan(0);
    expect(gorgias.state.tickets.map((t) => t.external_id).sort()).toEqual(keys.slice(12).sort());
  }, 120_000);
});
