import type { Runtime } from "../../app/runtime.server";
import type { VerifiedWebhook } from "../../app/webhooks/verify.server";
import { orderPayload } from "../fixtures/shopify-payloads";

export const BURST_SHOP = "flash-sale.myshopify.com";
export const STEADY_SHOP = "corner-shop.myshopify.com";

export interface FairnessOptions {
  /** orders/create webhooks the burst shop sends at once. */
  burst: number;
  /** orders/create webhooks the steady shop sends while the burst drains, one every `everyMs`. */
  steady: number;
  everyMs: number;
  /** How long to wait for everything to be processed. */
  drainTimeoutMs: number;
}

export interface FairnessResult {
  /** Each steady-shop event's enqueue → processed, from pg-boss's created_on / completed_on. */
  steadyMs: number[];
  /** How long the burst took to be acknowledged (stored with its jobs). */
  burstAckMs: number;
  /** First burst job created → last burst job completed. */
  burstDrainMs: number;
  /** Burst events waiting when the steady shop's first event was sent. */
  burstWaitingAtSteadyStart: number;
  /** How long the steady shop's trickle took to send. */
  steadySendMs: number;
  /**
   * Burst events queued before the steady shop's first event yet processed after it: first come
   * first served, none (bar a fetch's worth).
   */
  overtaken: number;
  burstProcessed: number;
  steadyProcessed: number;
}

function webhook(shop: string, n: number, orderId: number): VerifiedWebhook {
  return {
    topic: "orders/create",
    shop,
    webhookId: `${shop}-${n}`,
    eventId: null,
    triggeredAt: null,
    apiVersion: "2026-10",
    rawBody: JSON.stringify(orderPayload({ id: orderId, name: `#${n}` })),
  };
}

const processedCount = async (runtime: Runtime, shop: string) => {
  const { rows } = await runtime.database.executeSql(
    `select count(*)::int as n from webhook_events where shop = $1 and status = 'processed'`,
    [shop],
  );
  return rows[0]!.n as number;
};

/**
 * One shop's flash sale stored through the real ingest path (group commit, its jobs in the ack
 * transaction) in one go, then another shop's steady trickle while the workers drain it.
 */
export async function burstAndTrickle(
  runtime: Runtime,
  { burst, steady, everyMs, drainTimeoutMs }: FairnessOptions,
): Promise<FairnessResult> {
  const ackStart = performance.now();
  await Promise.all(
    Array.from({ length: burst }, (_, n) =>
      runtime.ingest.write(webhook(BURST_SHOP, n, 6_100_000_000_000 + n)),
    ),
  );
  const burstAckMs = performance.now() - ackStart;

  const burstWaitingAtSteadyStart = burst - (await processedCount(runtime, BURST_SHOP));
  const sendStart = performance.now();
  const sends: Promise<unknown>[] = [];
  for (let n = 0; n < steady; n++) {
    sends.push(runtime.ingest.write(webhook(STEADY_SHOP, n, 6_200_000_000_000 + n)));
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  await Promise.all(sends);
  const steadySendMs = performance.now() - sendStart;

  // Until every job is completed: a batch marks its events processed before pg-boss completes it.
  const deadline = performance.now() + drainTimeoutMs;
  for (;;) {
    const { rows } = await runtime.database.executeSql(
      `select count(*)::int as n from pgboss.job
       where name = 'process-webhook' and data->>'shop' in ($1, $2) and state = 'completed'`,
      [BURST_SHOP, STEADY_SHOP],
    );
    if (rows[0]!.n === burst + steady || performance.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const { rows } = await runtime.database.executeSql(
    `select data->>'shop' as shop, created_on, completed_on,
       extract(epoch from completed_on - created_on) * 1000 as ms
     from pgboss.job where name = 'process-webhook' and data->>'shop' in ($1, $2)`,
    [BURST_SHOP, STEADY_SHOP],
  );
  const steadyMs = rows
    .filter((row) => row.shop === STEADY_SHOP && row.completed_on)
    .map((row) => Number(row.ms));
  const burstRows = rows.filter((row) => row.shop === BURST_SHOP);
  const times = (key: string) => burstRows.map((row) => new Date(row[key] as string).getTime());
  const burstDone = burstRows.every((row) => row.completed_on);
  const { rows: overtaken } = await runtime.database.executeSql(
    `with first as (
       select created_on, completed_on from pgboss.job
       where name = 'process-webhook' and data->>'shop' = $2 order by created_on limit 1)
     select count(*)::int as n from pgboss.job a, first
     where a.name = 'process-webhook' and a.data->>'shop' = $1
       and a.created_on < first.created_on and a.completed_on > first.completed_on`,
    [BURST_SHOP, STEADY_SHOP],
  );
  return {
    steadyMs,
    overtaken: overtaken[0]!.n as number,
    burstAckMs,
    burstDrainMs: burstDone
      ? Math.max(...times("completed_on")) - Math.min(...times("created_on"))
      : NaN,
    burstWaitingAtSteadyStart,
    steadySendMs,
    burstProcessed: await processedCount(runtime, BURST_SHOP),
    steadyProcessed: await processedCount(runtime, STEADY_SHOP),
  };
}

/** The p-th percentile (nearest rank) of `values`. */
export function percentileOf(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}
