import { and, asc, eq, inArray, like, or } from "drizzle-orm";
import {
  deliveries,
  orders,
  recipeRuns,
  type RunActionRecord,
  type RunOutcome,
} from "../../db/schema/index";
import type { Db } from "../db.server";
import type {
  OrderTimeline,
  TimelineAction,
  TimelineDelivery,
  TimelineRun,
} from "../shared/extension-contracts";
import type { Locale } from "../i18n/locale";
import { findRecipe } from "../recipes/registry";
import { recipeText } from "../recipes/recipe-text";
import { timelineTrigger } from "./event-words";
import { parseShopifyId, type ShopifyId } from "../utils/shopify-id";

/**
 * What Switchboard did about one order, for the order-details admin block: each recipe run
 * (trigger, outcome, reasons), each action it wanted and what became of it — delivered to
 * Klaviyo/Gorgias (with the delivery's status), or held back (capped, suppressed, skipped) and
 * why. Ids and summaries only: no customer emails leave the server. Recipe titles are in the
 * admin's language (`locale`); what started a run is a key the block words from its locales
 * (event-words.ts says the same for the app's screens). Action summaries and reasons are stored
 * in English and go as stored.
 */

// The contract restates the stored unions for the extensions (it cannot import the schema):
// this stops compiling if the two drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type DeliveryRow = typeof deliveries.$inferSelect;
const contractMatchesStore: [
  Same<TimelineAction["status"], RunActionRecord["status"]>,
  Same<TimelineRun["outcome"], RunOutcome>,
  Same<TimelineDelivery["vendor"], DeliveryRow["vendor"]>,
  Same<TimelineDelivery["status"], DeliveryRow["status"]>,
] = [true, true, true, true];
void contractMatchesStore;

/** "gid://shopify/Order/123" or "123" → "123"; anything else → null. */
export function parseOrderId(value: string | null | undefined): ShopifyId | null {
  return value ? parseShopifyId(value, "Order") : null;
}

const HELD_BACK = new Set<RunActionRecord["status"]>([
  "capped",
  "suppressed",
  "skipped",
  "waiting",
  "dropped",
]);

/** The recipe's name in `locale`; undefined for a recipe no longer in the catalog. */
function titleOf(recipeId: string, locale: Locale): string | undefined {
  const recipe = findRecipe(recipeId);
  return recipe ? recipeText(recipe, locale).title : undefined;
}

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

export async function orderTimeline(
  db: Db,
  shop: string,
  orderId: ShopifyId,
  options: { limit?: number; locale?: Locale } = {},
): Promise<OrderTimeline> {
  const limit = options.limit ?? 100;
  const locale = options.locale ?? "en";
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
  const keys = [
    ...new Set(
      runs.flatMap((run) => run.actions.map((a) => a.key).filter((k): k is string => Boolean(k))),
    ),
  ];
  const source = `order/${orderId}`;
  const deliveryRows = await db
    .select()
    .from(deliveries)
    .where(
      and(
        eq(deliveries.shop, shop),
        or(
          keys.length ? inArray(deliveries.idempotencyKey, keys) : undefined,
          eq(deliveries.source, source),
          like(deliveries.source, `${source}/%`),
        ),
      ),
    )
    .orderBy(asc(deliveries.createdAt))
    .limit(limit * 4);
  const byKey = new Map(deliveryRows.map((row) => [row.idempotencyKey, deliveryView(row)]));
  const used = new Set<string>();
  const timelineRuns: TimelineRun[] = runs.map((run) => ({
    id: run.id,
    recipeId: run.recipeId,
    recipeTitle: titleOf(run.recipeId, locale),
    trigger: timelineTrigger(run.trigger),
    outcome: run.outcome,
    reasons: run.reasons,
    at: run.createdAt.toISOString(),
    actions: run.actions.map((action) => {
      const delivery = action.key ? (byKey.get(action.key) ?? null) : null;
      if (delivery) used.add(delivery.key);
      return {
        kind: action.kind,
        channel: action.channel,
        summary: action.summary,
        status: action.status,
        reason: action.reason ?? null,
        delivery,
      };
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
      heldBack: timelineRuns.reduce(
        (n, run) => n + run.actions.filter((a) => HELD_BACK.has(a.status)).length,
        0,
      ),
    },
  };
}
