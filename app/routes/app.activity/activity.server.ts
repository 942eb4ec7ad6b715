import { z } from "zod";
import { RUN_OUTCOMES } from "../../../db/schema/recipes";
import type { Db } from "../../db.server";
import type { JobQueue } from "../../jobs/queue.server";
import { replayDeadLetter, ReplayError } from "../../jobs/replay.server";
import { EVENT_STATUSES } from "../../models/activity";
import { listDeadLetters, listWebhookEvents } from "../../models/activity.server";
import { deliveriesWithAttempts, listRuns } from "../../models/recipe-activity.server";
import { shopTimeSettings } from "../../components/shop-time";
import { intlLocale, type Locale } from "../../i18n/locale";
import { customerLabel, deliveryLine, runLine, shownReasons } from "../../models/activity-lines";
import { addDays, shopTime } from "../../utils/shop-time";
import { deadLetterLine, webhookLine } from "./lines";
import { findShop } from "../../models/shops.server";
import { DELIVERY_STATUSES, VIEWS } from "./query";
import { translator } from "../../i18n/messages";
import { activityMessages } from "./messages";

const optionalText = z.string().trim().min(1).max(200).optional().catch(undefined);

// Every field falls back to "unset": a stale or hand-edited link shows the screen, not an error.
const filtersSchema = z.object({
  view: z.enum(VIEWS).optional().catch(undefined),
  /** Webhook status (kept as `status` for links made before runs were listed here). */
  status: z.enum(EVENT_STATUSES).optional().catch(undefined),
  topic: z
    .string()
    .regex(/^[a-z_]+\/[a-z_]+$/)
    .optional()
    .catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
  recipe: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional()
    .catch(undefined),
  outcome: z.enum(RUN_OUTCOMES).optional().catch(undefined),
  customer: optionalText,
  order: optionalText,
  delivery: z.enum(DELIVERY_STATUSES).optional().catch(undefined),
  runsBefore: z.coerce.number().int().positive().optional().catch(undefined),
  /** Skipped runs are hidden (and counted) unless `skipped=show`. */
  skipped: z.enum(["show"]).optional().catch(undefined),
});

export type ActivityFilters = z.infer<typeof filtersSchema>;

export const parseActivityFilters = (url: URL): ActivityFilters =>
  filtersSchema.parse(Object.fromEntries(url.searchParams));

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type Delivery = Awaited<ReturnType<typeof deliveriesWithAttempts>>[number];

const deliveryView = (d: Delivery) => ({
  ...d,
  deadLetterId: d.deadLetterId === null ? null : Number(d.deadLetterId),
  createdAt: d.createdAt.toISOString(),
  completedAt: iso(d.completedAt),
  calls: d.calls.map((c) => ({ ...c, at: c.at.toISOString() })),
});

/** The first of a run's deliveries that gave up and can be retried (its dead letter). */
function retryOf(actions: { delivery: Delivery | null }[]): number | null {
  const id = actions.find((a) => a.delivery?.deadLetterId)?.delivery?.deadLetterId;
  return id ? Number(id) : null;
}

/** Everything the screen shows, as plain JSON: times as ISO strings, no payloads or emails. */
export async function loadActivity(
  db: Db,
  shop: string,
  filters: ActivityFilters,
  now: Date,
  locale: Locale = "en",
) {
  const [{ events, hasMore }, deadLetters, runs, deliveries, shopRow] = await Promise.all([
    listWebhookEvents(db, shop, filters),
    listDeadLetters(db, shop),
    listRuns(db, shop, {
      recipe: filters.recipe,
      outcome: filters.outcome,
      customer: filters.customer,
      order: filters.order,
      before: filters.runsBefore,
      hideSkipped: filters.skipped !== "show",
    }),
    deliveriesWithAttempts(db, shop, {
      status: filters.delivery,
      recipe: filters.recipe,
      limit: 50,
    }),
    findShop(db, shop),
  ]);
  const settings = shopTimeSettings(shopRow?.ianaTimezone, now, intlLocale(locale));
  const time = shopTime(settings);
  const today = time.localDate(now);
  const dayLabel = (day: string) =>
    day === today
      ? locale === "fr"
        ? "Aujourd’hui"
        : "Today"
      : day === addDays(today, -1)
        ? locale === "fr"
          ? "Hier"
          : "Yesterday"
        : time.dayLong(day);
  const when = (at: string) => time.when(at, now);
  return {
    /** The admin's language, which the lines below are in. */
    locale,
    /** Times on screen are in the shop's time zone; UTC while Shopify has not told us it. */
    shopTime: settings,
    filters,
    hasMore,
    events: events.map((e) => ({
      ...e,
      line: webhookLine(e, locale),
      receivedAt: e.receivedAt.toISOString(),
      processedAt: e.processedAt?.toISOString() ?? null,
    })),
    deadLetters: deadLetters.map((d) => ({
      ...d,
      failedAt: d.failedAt.toISOString(),
      line: deadLetterLine(d, locale),
    })),
    runs: runs.runs.map((r) => ({
      id: r.id,
      recipeId: r.recipeId,
      trigger: r.trigger,
      subject: r.subject,
      orderId: r.orderId,
      customerId: r.customerId,
      outcome: r.outcome,
      reasons: shownReasons(r.reasons, r.names, locale),
      scheduled: r.scheduled,
      durationMs: r.durationMs,
      createdAt: r.createdAt.toISOString(),
      day: time.localDate(r.createdAt),
      dayLabel: dayLabel(time.localDate(r.createdAt)),
      /** Who and what it was about, as the merchant knows them. */
      orderName: r.names.orderName,
      who: r.orderId || r.customerId ? customerLabel(r.names, locale) : null,
      line: runLine(r, when, locale),
      /** The first of its deliveries that gave up and can be retried. */
      retryId: retryOf(r.actions),
      actions: r.actions.map((a) => ({
        ...a,
        delivery: a.delivery ? deliveryView(a.delivery) : null,
      })),
    })),
    runsHaveMore: runs.hasMore,
    skippedHidden: runs.skippedHidden,
    deliveries: deliveries.map((d) => ({
      ...deliveryView(d),
      line: deliveryLine(d.recipe, d.operation, d, {}, locale),
    })),
  };
}

export type ActivityData = Awaited<ReturnType<typeof loadActivity>>;
export type DeliveryView = ReturnType<typeof deliveryView>;

const replayRequest = z.object({
  intent: z.literal("replay"),
  ids: z.array(z.coerce.number().int().positive()).min(1).max(500),
});

/** The dead letters a Retry (or Retry all) button names, or null for any other form. */
export function parseReplayRequest(form: FormData): number[] | null {
  const parsed = replayRequest.safeParse({ intent: form.get("intent"), ids: form.getAll("id") });
  return parsed.success ? [...new Set(parsed.data.ids)] : null;
}

export type ReplayResult = { ok: true } | { ok: false; error: string };

/** Retries a dead letter; why it cannot be retried comes back as the screen's message. */
export async function retryDeadLetter(
  queue: JobQueue,
  shop: string,
  id: number,
): Promise<ReplayResult> {
  try {
    await replayDeadLetter(queue, shop, id);
    return { ok: true };
  } catch (error) {
    if (error instanceof ReplayError) return { ok: false, error: error.message };
    throw error;
  }
}

/**
 * Retries dead letters that failed for one reason (Retry all): each on its own, so one that can
 * no longer be retried does not hold back the rest; the answer says how many went and why not.
 */
export async function retryDeadLetters(
  queue: JobQueue,
  shop: string,
  ids: number[],
  locale: Locale,
): Promise<ReplayResult> {
  if (ids.length === 1) return retryDeadLetter(queue, shop, ids[0]!);
  const refusals: string[] = [];
  for (const id of ids) {
    const result = await retryDeadLetter(queue, shop, id);
    if (!result.ok) refusals.push(result.error);
  }
  if (refusals.length === 0) return { ok: true };
  return {
    ok: false,
    error: translator(activityMessages, locale)("retriedSome", {
      done: ids.length - refusals.length,
      count: ids.length,
      why: refusals[0]!,
    }),
  };
}
