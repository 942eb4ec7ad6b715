import { and, count, desc, eq, isNull, lt, sql, type SQL } from "drizzle-orm";
import { deadLetters, deliveries, webhookEvents } from "../../db/schema/index";
import type { Db } from "../db.server";
import type { EventStatus } from "./activity";
import { newestFirst } from "../utils/newest-first";

export interface EventFilters {
  status?: EventStatus;
  topic?: string;
  /** Show events older than this id (pagination). */
  before?: number;
  limit?: number;
}

/** The shop's webhook events, newest first. Payloads are not returned: they hold customer data. */
export async function listWebhookEvents(db: Db, shop: string, filters: EventFilters = {}) {
  const conditions: SQL[] = [eq(webhookEvents.shop, shop)];
  if (filters.status) conditions.push(eq(webhookEvents.status, filters.status));
  if (filters.topic) conditions.push(eq(webhookEvents.topic, filters.topic));
  if (filters.before) conditions.push(lt(webhookEvents.id, filters.before));
  const limit = filters.limit ?? 50;
  const rows = await db
    .select({
      id: webhookEvents.id,
      topic: webhookEvents.topic,
      webhookId: webhookEvents.webhookId,
      status: webhookEvents.status,
      error: webhookEvents.error,
      attempts: webhookEvents.attempts,
      receivedAt: webhookEvents.receivedAt,
      processedAt: webhookEvents.processedAt,
      triggeredAt: webhookEvents.triggeredAt,
      // A checkout's `name` is "#" and its 64-bit id, which no merchant reads as a name.
      resourceName: sql<
        string | null
      >`case when ${webhookEvents.topic} like 'checkouts/%' then null else ${webhookEvents.payload} ->> 'name' end`,
      resourceId: sql<
        string | null
      >`coalesce(${webhookEvents.payload} ->> 'id', ${webhookEvents.payload} ->> 'inventory_item_id')`,
    })
    .from(webhookEvents)
    .where(and(...conditions))
    .orderBy(desc(webhookEvents.id))
    .limit(limit + 1);
  return { events: rows.slice(0, limit), hasMore: rows.length > limit };
}

export async function eventCountsByStatus(db: Db, shop: string, since: Date) {
  const rows = await db
    .select({ status: webhookEvents.status, n: count() })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.shop, shop), sql`${webhookEvents.receivedAt} >= ${since}`))
    .groupBy(webhookEvents.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Partial<
    Record<EventStatus, number>
  >;
}

export async function listDeadLetters(
  db: Db,
  shop: string,
  { includeReplayed = false, limit = 50 } = {},
) {
  return db
    .select({
      id: deadLetters.id,
      task: deadLetters.task,
      jobKey: deadLetters.jobKey,
      error: deadLetters.error,
      errorKind: deadLetters.errorKind,
      attempts: deadLetters.attempts,
      failedAt: deadLetters.failedAt,
      replayedAt: deadLetters.replayedAt,
      /** The delivery it was making, when it was one (its job key is the delivery's key). */
      delivery: {
        vendor: sql<string | null>`${deliveries.vendor}`,
        operation: deliveries.operation,
        recipe: deliveries.recipe,
        status: deliveries.status,
        lastError: deliveries.lastError,
        list: sql<string | null>`${deliveries.payload} ->> 'list'`,
        metric: sql<string | null>`${deliveries.payload} ->> 'metric'`,
        tags: sql<string[] | null>`${deliveries.payload} -> 'tags'`,
        resource: sql<string | null>`${deliveries.payload} ->> 'resource'`,
        customerName: sql<string | null>`coalesce(
          nullif(concat_ws(' ', ${deliveries.payload} #>> '{profile,firstName}', ${deliveries.payload} #>> '{profile,lastName}'), ''),
          ${deliveries.payload} #>> '{customer,name}')`,
      },
    })
    .from(deadLetters)
    .leftJoin(
      deliveries,
      and(eq(deliveries.shop, deadLetters.shop), eq(deliveries.idempotencyKey, deadLetters.jobKey)),
    )
    .where(
      and(eq(deadLetters.shop, shop), includeReplayed ? undefined : isNull(deadLetters.replayedAt)),
    )
    .orderBy(newestFirst(deadLetters.failedAt))
    .limit(limit);
}
