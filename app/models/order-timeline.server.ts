import { and, asc, eq, inArray, like, or } from "drizzle-orm";
import { deliveries, orders, recipeRuns, type RunActionRecord, type RunOutcome } from "../../db/schema/index";
import type { Db } from "../db.server";

/**
 * What Switchboard did about one order, for the order-details admin block: each recipe run
 * (trigger, outcome, reasons), each action it wanted and what became of it — delivered to
 * Klaviyo/Gorgias (with the delivery's status), or held back (capped, suppressed, skipped) and
 * why. Ids and summaries only: no customer emails leave the server.
 */

export interface TimelineDelivery {
  key: string;
  vendor: "klaviyo" | "gorgias";
  operation: string;
  status: "queued" | "succeeded" | "dead";
  attempts: number;
  lastError: string | null;
  at: string;
  completedAt: string | null;
}

export interface TimelineAction {
  kind: string;
  channel: string;
  summary: string;
  status: RunActionRecord["status"];
  reason: string | null;
  delivery: TimelineDelivery | null;
}

export interface TimelineRun {
  id: number;
  recipeId: string;
  trigger: string;
  outcome: RunOutcome;
  reasons: string[];
  actions: TimelineAction[];
  at: string;
}

export interface OrderTimeline {
  order: { id: number; name: string } | null;
  runs: TimelineRun[];
  /** Deliveries for this order not tied to a recorded run (e.g. requested outside the engine). */
  otherDeliveries: TimelineDelivery[];
  counts: { runs: number; delivered: number; failed: number; heldBack: number };
}

/** "gid://shopify/Order/123" or "123" → 123; anything else → null. */
export function parseOrderId(value: string | null | undefined): number | null {
  if (!value) return null;
  const match = /^(?:gid:\/\/shopify\/Order\/)?(\d{1,19})$/.exec(value.trim());
  if (!match) return null;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

const HELD_BACK = new Set<RunActionRecord["status"]>(["capped", "suppressed", "skipped"]);

function deliveryView(row: typeof deliveries.$inferSelect): TimelineDelivery {
  return {
    key: row.idempotencyKey,
    vendor: row.vendor,
    operation: row.operation,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    at: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

export async function orderTimeline(db: Db, shop: string, orderId: number, options: { limit?: number } = {}): Promise<OrderTimeline> {
  const limit = options.limit ?? 100;
  const [order] = await db
    .select({ id: orders.id, name: orders.name })
    .from(orders)
    .where(and(eq(orders.shop, shop), eq(orders.id, orderId)));
  const runs = await db
    .select()
    .from(recipeRuns)
    .where(and(eq(recipeRuns.shop, shop), eq(recipeRuns.orderId, orderId)))
    .orderBy(asc(recipeRuns.createdAt), asc(recipeRuns.id))
    .limit(limit);
  const keys = [...new Set(runs.flatMap((run) => run.actions.map((a) => a.key).filter((k): k is string => Boolean(k))))];
  const source = `order/${orderId}`;
  const deliveryRows = await db
    .select()
    .from(deliveries)
    .where(
      and(
        eq(deliveries.shop, shop),
        or(keys.length ? inArray(deliveries.idempotencyKey, keys) : undefined, eq(deliveries.source, source), like(deliveries.source, `${source}/%`)),
      ),
    )
    .orderBy(asc(deliveries.createdAt))
    .limit(limit * 4);
  const byKey = new Map(deliveryRows.map((row) => [row.idempotencyKey, deliveryView(row)]));
  const used = new Set<string>();
  const timelineRuns: TimelineRun[] = runs.map((run) => ({
    id: run.id,
    recipeId: run.recipeId,
    trigger: run.trigger,
    outcome: run.outcome,
    reasons: run.reasons,
    at: run.createdAt.toISOString(),
    actions: run.actions.map((action) => {
      const delivery = action.key ? (byKey.get(action.key) ?? null) : null;
      if (delivery) used.add(delivery.key);
      return { kind: action.kind, channel: action.channel, summary: action.summary, status: action.status, reason: action.reason ?? null, delivery };
    }),
  }));
  const otherDeliveries = [...byKey.values()].filter((d) => !used.has(d.key));
  const allDeliveries = [...byKey.values()];
  return {
    order: order ?? null,
    runs: timelineRuns,
    otherDeliveries,
    counts: {
      runs: timelineRuns.length,
      delivered: allDeliveries.filter((d) => d.status === "succeeded").length,
      failed: allDeliveries.filter((d) => d.status === "dead").length,
      heldBack: timelineRuns.reduce((n, run) => n + run.actions.filter((a) => HELD_BACK.has(a.status)).length, 0),
    },
  };
}
