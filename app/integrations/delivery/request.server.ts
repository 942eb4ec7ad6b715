import { deliveries, type DeliveryVendor } from "../../../db/schema/index";
import type { Database, ExecuteSql } from "../../db.server";
import { deliveryTask, jobKey, type Enqueuer } from "../../jobs/contracts";
import {
  actionSourceId,
  deliveryActionSchema,
  vendorOf,
  type DeliveryActionInput,
} from "./actions";

/**
 * Where a delivery request goes:
 * - `{ database, queue }`: from inside a task (TaskHelpers fit) or from a Runtime. The row and
 *   the job are written one after the other; both are keyed, so a retried caller that died in
 *   between simply writes the missing one.
 * - `{ queue, executeSql }`: inside the caller's own transaction (`withTransaction`), so the
 *   row and the job exist only if that transaction commits.
 */
export type DeliveryTarget =
  | { database: Database; queue: Enqueuer; executeSql?: undefined }
  | { queue: Enqueuer; executeSql: ExecuteSql; database?: Database };

export interface RequestedDelivery {
  /** The idempotency key, also the job key: `deliver-<vendor>:<shop>:<source id>`. */
  key: string;
  /** false when this exact action had been requested before (nothing new was queued). */
  created: boolean;
}

function keyed(input: DeliveryActionInput) {
  const action = deliveryActionSchema.parse(input);
  const vendor = vendorOf(action.kind);
  const task = deliveryTask(vendor);
  const payload = { shop: action.shop, sourceId: actionSourceId(action) };
  return { action, vendor, task, payload, key: jobKey(task, payload) };
}

/** The idempotency key requestDelivery gives this action (throws, like it, on an invalid one). */
export function deliveryKey(input: DeliveryActionInput): string {
  return keyed(input).key;
}

export interface HoldOptions {
  /**
   * Hold it instead: its integration is not connected. The row is recorded `waiting` at this
   * time (the run's), with no job; reconnecting queues it (releaseHeldWork in
   * app/recipes/held-work.server.ts).
   */
  heldAt?: Date;
}

/**
 * Requests one outbound side effect: validates the action, records a `deliveries` row keyed for
 * idempotency and enqueues its job. Asking again for the same action is harmless.
 */
export async function requestDelivery(
  target: DeliveryTarget,
  input: DeliveryActionInput,
  options: HoldOptions = {},
): Promise<RequestedDelivery> {
  const { action, vendor, task, payload, key } = keyed(input);
  if (options.heldAt) {
    if (!target.executeSql)
      throw new Error("held deliveries are recorded in the caller's transaction");
    const { rows } = await target.executeSql(
      `insert into deliveries (shop, vendor, operation, idempotency_key, recipe, source, payload, status, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7::jsonb, 'waiting', $8, $8)
       on conflict (idempotency_key) do nothing returning id`,
      [
        action.shop,
        vendor,
        action.kind,
        key,
        action.recipe,
        action.source,
        JSON.stringify(action),
        options.heldAt.toISOString(),
      ],
    );
    return { key, created: rows.length > 0 };
  }
  const row = {
    shop: action.shop,
    vendor,
    operation: action.kind,
    idempotencyKey: key,
    recipe: action.recipe,
    source: action.source,
    payload: action,
  };
  if (target.executeSql) {
    const { rows } = await target.executeSql(
      `insert into deliveries (shop, vendor, operation, idempotency_key, recipe, source, payload)
       values ($1, $2, $3, $4, $5, $6, $7::jsonb)
       on conflict (idempotency_key) do nothing returning id`,
      [
        row.shop,
        row.vendor,
        row.operation,
        row.idempotencyKey,
        row.recipe,
        row.source,
        JSON.stringify(row.payload),
      ],
    );
    await target.queue.enqueue(task, payload, { executeSql: target.executeSql });
    return { key, created: rows.length > 0 };
  }
  const inserted = await target.database.db
    .insert(deliveries)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: deliveries.id });
  await target.queue.enqueue(task, payload);
  return { key, created: inserted.length > 0 };
}

/** requestDelivery for many actions (same target); returns one result per action, in order. */
export async function requestDeliveries(
  target: DeliveryTarget,
  inputs: readonly DeliveryActionInput[],
): Promise<RequestedDelivery[]> {
  const results: RequestedDelivery[] = [];
  for (const input of inputs) results.push(await requestDelivery(target, input));
  return results;
}

/**
 * Queues the job of a delivery recorded earlier (a held one, now released), in the caller's
 * transaction, under the key it was recorded with: the job key is the idempotency key
 * (`deliver-<vendor>:<shop>:<source id>`), so the job's payload is read back from it.
 */
export async function enqueueRecordedDelivery(
  target: { queue: Enqueuer; executeSql: ExecuteSql },
  row: { vendor: DeliveryVendor; shop: string; idempotencyKey: string },
  /** A job key of its own (`<key>:released:<n>`), for a delivery whose first job already ran. */
  jobKeySuffix?: string,
): Promise<void> {
  const task = deliveryTask(row.vendor);
  const prefix = `${task.name}:${row.shop}:`;
  const payload = { shop: row.shop, sourceId: row.idempotencyKey.slice(prefix.length) };
  if (!row.idempotencyKey.startsWith(prefix) || jobKey(task, payload) !== row.idempotencyKey)
    throw new Error(`the key ${row.idempotencyKey} is not a ${task.name} key of ${row.shop}`);
  await target.queue.enqueue(task, payload, {
    executeSql: target.executeSql,
    ...(jobKeySuffix ? { key: `${row.idempotencyKey}:${jobKeySuffix}` } : {}),
  });
}
