import { and, eq, ne, sql } from "drizzle-orm";
import {
  deliveries,
  deliveryAttempts,
  type Delivery,
  type DeliveryVendor,
} from "../../db/schema/index";
import type { Db } from "../db.server";
import type { VendorCall } from "../integrations/http.server";

/** The delivery with this idempotency key, only if it belongs to `shop`. */
export async function findDelivery(
  db: Db,
  shop: string,
  key: string,
): Promise<Delivery | undefined> {
  const [row] = await db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.idempotencyKey, key), eq(deliveries.shop, shop)));
  return row;
}

/** A job picked the delivery up: count the attempt. */
export async function startDeliveryAttempt(db: Db, id: number): Promise<void> {
  await db
    .update(deliveries)
    .set({ attempts: sql`${deliveries.attempts} + 1`, updatedAt: sql`now()` })
    .where(and(eq(deliveries.id, id), ne(deliveries.status, "succeeded")));
}

export async function markDeliverySucceeded(
  db: Db,
  id: number,
  outcome: { vendorId?: string | null; response?: unknown; payload?: object },
): Promise<void> {
  // Record-keeping stamps are the database's clock, like the row's created_at.
  const now = sql`now()`;
  await db
    .update(deliveries)
    .set({
      ...(outcome.payload ? { payload: outcome.payload } : {}),
      status: "succeeded",
      vendorId: outcome.vendorId ?? null,
      response: (outcome.response ?? null) as object | null,
      lastError: null,
      updatedAt: now,
      completedAt: now,
    })
    .where(eq(deliveries.id, id));
}

/** A failed attempt: keep the vendor's message; `dead` when no retry will follow. */
export async function markDeliveryFailed(
  db: Db,
  id: number,
  error: string,
  dead: boolean,
): Promise<void> {
  // Record-keeping stamps are the database's clock, like the row's created_at.
  const now = sql`now()`;
  await db
    .update(deliveries)
    .set({
      lastError: error,
      updatedAt: now,
      ...(dead ? { status: "dead" as const, completedAt: now } : {}),
    })
    .where(and(eq(deliveries.id, id), ne(deliveries.status, "succeeded")));
}

/**
 * The vendor was disconnected while this delivery waited for its turn: it is held like work
 * decided while disconnected (`waiting`, no job), and reconnecting releases it
 * (app/recipes/held-work.server.ts).
 */
export async function holdDelivery(db: Db, id: number, reason: string): Promise<void> {
  await db
    .update(deliveries)
    .set({ status: "waiting", lastError: reason, updatedAt: sql`now()` })
    .where(and(eq(deliveries.id, id), eq(deliveries.status, "queued")));
}

/** Retries used up (the queue dead-lettered the job): the delivery is dead, with its last error. */
export async function markDeliveryDeadByKey(
  db: Db,
  shop: string,
  key: string,
  error: string,
): Promise<void> {
  // Record-keeping stamps are the database's clock, like the row's created_at.
  const now = sql`now()`;
  await db
    .update(deliveries)
    .set({ status: "dead", lastError: error, updatedAt: now, completedAt: now })
    .where(
      and(
        eq(deliveries.idempotencyKey, key),
        eq(deliveries.shop, shop),
        ne(deliveries.status, "succeeded"),
      ),
    );
}

/** Stores every HTTP call an attempt made (vendor, operation, status, latency, error, attempt). */
export async function recordVendorCalls(
  db: Db,
  context: { shop: string; vendor: DeliveryVendor; deliveryId: number | null; attempt: number },
  calls: readonly VendorCall[],
): Promise<void> {
  if (calls.length === 0) return;
  for (let i = 0; i < calls.length; i += 500) {
    await db.insert(deliveryAttempts).values(
      calls.slice(i, i + 500).map((call) => ({
        deliveryId: context.deliveryId,
        shop: context.shop,
        vendor: context.vendor,
        operation: call.operation,
        httpStatus: call.status,
        latencyMs: call.latencyMs,
        error: call.error ?? null,
        attempt: context.attempt,
      })),
    );
  }
}

export async function deliveryAttemptsFor(db: Db, shop: string, deliveryId: number) {
  return db
    .select()
    .from(deliveryAttempts)
    .where(and(eq(deliveryAttempts.shop, shop), eq(deliveryAttempts.deliveryId, deliveryId)))
    .orderBy(deliveryAttempts.id);
}
