import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, ExecuteSql } from "../../db.server";
import { SHOPIFY_DELIVERY_TASK, shopifyActionSourceId, shopifyTagsAddAction, type ShopifyTagsAdd } from "../../integrations/shopify-admin/actions";
import { adminRequest, AdminRequestError, gid } from "../../integrations/shopify-admin/client.server";
import { TAGS_ADD_MUTATION } from "../../integrations/shopify-admin/graphql/TagsAddMutation";
import { findDelivery, markDeliveryDeadByKey, markDeliveryFailed, markDeliverySucceeded, startDeliveryAttempt } from "../../models/deliveries.server";
import type { JobQueue } from "../queue.server";
import { defineTask } from "../define-task";
import { errorMessage, isTerminal, RetryableError, TerminalError } from "../errors";

const payloadSchema = z.object({ shop: z.string().min(1), sourceId: z.string().min(1) });
const keyOf = (p: z.output<typeof payloadSchema>) => `${SHOPIFY_DELIVERY_TASK}:${p.shop}:${p.sourceId}`;

interface TagsAddAnswer {
  tagsAdd: { node: { id: string } | null; userErrors: { field: string[] | null; message: string }[] } | null;
}

async function recordCall(db: Db, shop: string, deliveryId: number, attempt: number, call: { status: number | null; latencyMs: number; error?: string }) {
  // delivery_attempts.vendor is typed for Klaviyo/Gorgias connections; Shopify calls are stored as "shopify".
  await db.execute(
    sql`insert into delivery_attempts (delivery_id, shop, vendor, operation, http_status, latency_ms, error, attempt)
      values (${deliveryId}, ${shop}, 'shopify', 'tags-add', ${call.status}, ${Math.round(call.latencyMs)}, ${call.error ?? null}, ${attempt})`,
  );
}

/**
 * One Shopify `tagsAdd` (a recipe tagging an order or customer). Same contract as the Klaviyo and
 * Gorgias deliveries: the `deliveries` row (vendor "shopify") is read by its idempotency key
 * before the call and settled after it; tagsAdd itself is idempotent, so a retry is harmless.
 */
export const deliverShopify = defineTask({
  name: SHOPIFY_DELIVERY_TASK,
  payloadSchema,
  sourceId: (p) => p.sourceId,
  shop: (p) => p.shop,
  async run(payload, helpers) {
    const db = helpers.database.db;
    const key = keyOf(payload);
    const delivery = await findDelivery(db, payload.shop, key);
    if (!delivery || delivery.status === "succeeded") return;
    await startDeliveryAttempt(db, delivery.id);
    const started = performance.now();
    let status: number | null = null;
    try {
      const action = shopifyTagsAddAction.parse(delivery.payload);
      if (action.shop !== payload.shop) throw new TerminalError(`delivery ${key} does not belong to ${payload.shop}`);
      const { data } = await adminRequest<TagsAddAnswer>(payload.shop, TAGS_ADD_MUTATION, { id: gid(action.resource, action.id), tags: action.tags }, { estimatedCost: 10 });
      status = 200;
      const problems = data.tagsAdd?.userErrors ?? [];
      if (problems.length > 0) throw new TerminalError(`Shopify refused the tags: ${problems.map((p) => p.message).join("; ")}`);
      await recordCall(db, payload.shop, delivery.id, helpers.attempt, { status, latencyMs: performance.now() - started });
      await markDeliverySucceeded(db, delivery.id, { vendorId: data.tagsAdd?.node?.id ?? null, response: { id: data.tagsAdd?.node?.id ?? null, tags: action.tags } });
    } catch (raw) {
      const error =
        raw instanceof AdminRequestError
          ? raw.failure === "throttled" || raw.failure === "unreachable" || (raw.failure === "http" && (raw.status ?? 0) >= 500)
            ? new RetryableError(raw.message, raw.retryAfterSeconds)
            : new TerminalError(raw.message)
          : raw;
      if (raw instanceof AdminRequestError) status = raw.status;
      await recordCall(db, payload.shop, delivery.id, helpers.attempt, { status, latencyMs: performance.now() - started, error: errorMessage(error) });
      await markDeliveryFailed(db, delivery.id, errorMessage(error), isTerminal(error));
      throw error;
    }
  },
  async onDeadLetter(payload, error, { database }) {
    const parsed = payloadSchema.safeParse(payload);
    if (parsed.success) await markDeliveryDeadByKey(database.db, parsed.data.shop, keyOf(parsed.data), error);
  },
});

/** Records the deliveries row and enqueues its job inside the caller's transaction. */
export async function requestShopifyDelivery(queue: JobQueue, executeSql: ExecuteSql, action: ShopifyTagsAdd): Promise<void> {
  const sourceId = shopifyActionSourceId(action);
  const key = `${SHOPIFY_DELIVERY_TASK}:${action.shop}:${sourceId}`;
  await executeSql(
    `insert into deliveries (shop, vendor, operation, idempotency_key, recipe, source, payload)
     values ($1, 'shopify', $2, $3, $4, $5, $6::jsonb) on conflict (idempotency_key) do nothing`,
    [action.shop, action.kind, key, action.recipe, action.source, JSON.stringify(action)],
  );
  await queue.enqueue(deliverShopify, { shop: action.shop, sourceId }, { executeSql });
}
