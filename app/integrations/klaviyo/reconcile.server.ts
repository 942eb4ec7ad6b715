import { withTransaction, type Database } from "../../db.server";
import { errorMessage, isTerminal, RetryableError, TerminalError } from "../../jobs/errors";
import {
  markDeliveryFailed,
  markDeliverySucceeded,
  recordVendorCalls,
} from "../../models/deliveries.server";
import { getIntegration, markIntegrationError } from "../../models/integrations.server";
import { klaviyoClientFor } from "../delivery/execute.server";
import { isVendorError, type VendorCall } from "../http.server";
import {
  syncKlaviyoSegment,
  type SegmentMember,
  type SegmentSyncOptions,
} from "./segment-sync.server";

/**
 * Reconciliation of a recipe's Klaviyo lists: each list made to hold exactly its computed
 * segment, the difference sent in bulk (segment-sync.server.ts). Each run is one `deliveries`
 * row (operation klaviyo-list-reconcile, keyed by its job key) with every HTTP call recorded
 * against it, so Activity shows it like any delivery; the same row is the lease that keeps one
 * reconciliation of a shop's recipe lists running at a time.
 */

export const RECONCILE_OPERATION = "klaviyo-list-reconcile";

/**
 * A reconciliation whose row was touched more recently than this is running (or waiting for a
 * retry); older, its worker died. Longer than the task's lease, so a live one is never overtaken.
 */
const LEASE_SECONDS = 30 * 60;
/** How long a reconciliation that finds another running waits before trying again. */
const BUSY_RETRY_SECONDS = 60;

export interface SegmentToReconcile {
  list: string;
  members: SegmentMember[];
  leaverProperties?: Record<string, unknown>;
}

export interface ListReconciled {
  list: string;
  added: number;
  removed: number;
  unchanged: number;
  /** Members Klaviyo refused (or without a usable email), retried by the next reconciliation. */
  failed: number;
}

export type ReconcileOutcome =
  | { status: "reconciled"; lists: ListReconciled[] }
  /** This run's row had already succeeded: a repeated job, nothing sent. */
  | { status: "already-reconciled" };

export interface ReconcileInput {
  shop: string;
  recipe: string;
  /** The job key: the row's idempotency key. */
  key: string;
  /** What started it, for Activity (`reconcile/enabled/…`, `reconcile/daily/2026-12-05`). */
  source: string;
  segments: SegmentToReconcile[];
}

/**
 * Claims this run's row: inserts it (or counts another attempt of it), unless another run of
 * the same recipe's lists holds the lease. Serialised per shop and recipe by a transaction lock,
 * so two runs starting together cannot both see the other absent.
 */
async function claim(
  database: Database,
  input: ReconcileInput,
): Promise<{ id: number } | "done" | "busy"> {
  return withTransaction(database, async (executeSql) => {
    await executeSql(`select pg_advisory_xact_lock(hashtext($1))`, [
      `${RECONCILE_OPERATION}:${input.shop}:${input.recipe}`,
    ]);
    const { rows: running } = await executeSql(
      `select id from deliveries
        where shop = $1 and recipe = $2 and operation = $3 and status = 'queued'
          and idempotency_key <> $4 and updated_at > now() - make_interval(secs => $5)
        limit 1`,
      [input.shop, input.recipe, RECONCILE_OPERATION, input.key, LEASE_SECONDS],
    );
    if (running.length) return "busy";
    const payload = {
      kind: RECONCILE_OPERATION,
      lists: input.segments.map((s) => s.list),
    };
    // A replayed dead run reopens its row; a succeeded one is never run again.
    const { rows } = await executeSql(
      `insert into deliveries (shop, vendor, operation, idempotency_key, recipe, source, payload, attempts)
       values ($1, 'klaviyo', $2, $3, $4, $5, $6::jsonb, 1)
       on conflict (idempotency_key) do update
         set attempts = deliveries.attempts + 1, status = 'queued', completed_at = null, updated_at = now()
         where deliveries.status <> 'succeeded' and deliveries.shop = excluded.shop
       returning id`,
      [
        input.shop,
        RECONCILE_OPERATION,
        input.key,
        input.recipe,
        input.source,
        JSON.stringify(payload),
      ],
    );
    return rows.length ? { id: Number(rows[0].id) } : "done";
  });
}

/** "120 added, 3 removed, 5,000 unchanged" for one list, for Activity. */
function describe(result: ListReconciled): string {
  const n = (value: number) => value.toLocaleString("en-US");
  const parts = [
    `${n(result.added)} added`,
    `${n(result.removed)} removed`,
    `${n(result.unchanged)} unchanged`,
  ];
  if (result.failed) parts.push(`${n(result.failed)} refused by Klaviyo`);
  return parts.join(", ");
}

/**
 * Makes each of the recipe's Klaviyo lists hold exactly its segment. Idempotent: a repeated run
 * of the same key does nothing, and any run sends only what differs. Vendor failures keep their
 * type (VendorRetryableError: run it again, it resumes from what was recorded;
 * VendorTerminalError: dead-letter); a run that finds another running asks to be retried later.
 */
export async function reconcileKlaviyoSegments(
  database: Database,
  input: ReconcileInput,
  context: { attempt: number; signal?: AbortSignal; options?: SegmentSyncOptions },
): Promise<ReconcileOutcome> {
  const { db } = database;
  const claimed = await claim(database, input);
  if (claimed === "done") return { status: "already-reconciled" };
  if (claimed === "busy")
    throw new RetryableError(
      `another reconciliation of ${input.recipe}'s Klaviyo lists is running for this shop`,
      BUSY_RETRY_SECONDS,
    );
  const calls: VendorCall[] = [];
  try {
    const integration = await getIntegration(db, input.shop, "klaviyo");
    if (!integration)
      throw new TerminalError(
        "Klaviyo is not connected for this shop: connect it under Integrations, then retry",
      );
    // One long job: it may wait out a whole minute window rather than give up.
    const client = klaviyoClientFor(db, integration, {
      calls,
      signal: context.signal,
      maxWaitMs: 65_000,
    });
    const lists: ListReconciled[] = [];
    for (const segment of input.segments) {
      const result = await syncKlaviyoSegment(
        db,
        client,
        {
          shop: input.shop,
          list: segment.list,
          members: segment.members,
          leaverProperties: segment.leaverProperties,
        },
        context.options,
      );
      lists.push({
        list: segment.list,
        added: result.added,
        removed: result.removed,
        unchanged: result.unchanged,
        failed: result.failed.length,
      });
    }
    await markDeliverySucceeded(db, claimed.id, {
      response: Object.fromEntries(lists.map((l) => [l.list, describe(l)])),
    });
    return { status: "reconciled", lists };
  } catch (error) {
    await markDeliveryFailed(db, claimed.id, errorMessage(error), isTerminal(error));
    if (
      isVendorError(error) &&
      (error.failure === "unauthorized" || error.failure === "forbidden")
    ) {
      await markIntegrationError(
        db,
        input.shop,
        "klaviyo",
        `Klaviyo refused the stored credentials: ${error.detail}`,
      );
    }
    throw error;
  } finally {
    await recordVendorCalls(
      db,
      { shop: input.shop, vendor: "klaviyo", deliveryId: claimed.id, attempt: context.attempt },
      calls,
    );
  }
}
