import type { RunActionRecord, RunOutcome } from "../../db/schema/index";
import type { Database } from "../db.server";
import { dryRunLine, plainReason, type RunNames } from "../models/activity-lines";
import { getGuardConfig } from "../models/recipe-settings.server";
import { shopTimeZoneOf } from "../models/shops.server";
import type { ShopifyId } from "../utils/shopify-id";
import { vendorName } from "../utils/vendor-names";
import { fullName } from "./actions";
import type { RecipeContext } from "./engine/context";
import { SharedContext } from "./engine/context.server";
import type { AnyRecipe, RecipeEvent, RecipeTrigger } from "./engine/define-recipe";
import { GuardLedger } from "./engine/guards.server";
import { loadReplays, type Replay, type ReplaySourceId } from "./engine/replay.server";
import {
  actionRecords,
  evaluateEvent,
  shopCurrency,
  withConfig,
  type Evaluation,
} from "./engine/run-recipes.server";
import type { EngineServices } from "./engine/services";
import { intlLocale, type Locale } from "../i18n/locale";
import { shopTime } from "../utils/shop-time";
import { translator } from "../i18n/messages";
import { actsForIn, dryRunMessages, FRENCH_SOURCES } from "./dry-run-copy";
import { DAY_MS } from "./shared";

/**
 * "What would this recipe have done lately?": each trigger the recipe declares is replayed from
 * the read model (parcel scans, ticket changes, stock changes, checkouts, orders, today's scan),
 * newest first, at most `limit` of each and, given `days`, none older, through the engine at the time it
 * happened; follow-ups that came due since are followed too. The guards are consulted, but
 * nothing is recorded, delivered or remembered (evaluateEvent alone never writes).
 */

export interface DryRunRow {
  /** The order it was about ("#1042"), else who or what ("Lena Park", "SKU MUG-1"). */
  orderName: string;
  orderId: ShopifyId | null;
  /** The customer by name or email, when the run was about one. */
  customer: string | null;
  trigger: string;
  /** What started it, in the merchant's words ("parcel scan"). */
  event: string;
  /** When it would have happened (follow-ups: their due time). */
  at: string;
  outcome: RunOutcome;
  actions: RunActionRecord[];
  /** Each action as Activity would say it, by name ("Would tag #1042 “VIP” in Shopify"). */
  lines: string[];
  /** The recipe's reasons, without ids. */
  reasons: string[];
}

/** One declared trigger's replay, in the merchant's words. */
export interface DryRunTrigger {
  source: ReplaySourceId;
  /** "Replayed the 25 most recent of 312 parcel scans of the last 14 days." */
  replayed: string;
  wouldAct: number;
  heldBack: number;
  /** "Would have written to 14 customers whose parcels were late, e.g. Lena Park about #1042." */
  sentences: string[];
}

export interface DryRunResult {
  triggers: DryRunTrigger[];
  /** What would have happened, skipped runs left out (counted in the sentences). */
  rows: DryRunRow[];
  /** Distinct orders the replayed runs were about. */
  orders: number;
  /** What today's daily scan would do (scanning recipes). */
  scan: DryRunRow[];
  notes: string[];
  /** The window in days; null: the most recent of each trigger, however old. */
  days: number | null;
  limit: number;
}

const FOLLOW_UP_DEPTH = 3;
const ROWS_SHOWN = 50;
const PASSED = new Set<RunActionRecord["status"]>(["would-request", "decided", "waiting"]);
const HELD = new Set<RunActionRecord["status"]>(["capped", "suppressed"]);
/** Channels whose actions reach the customer ("written to"); the rest update the merchant's tools. */
const WRITES = new Set(["marketing", "service", "upsell"]);

/** Whom a source's runs are about when no customer is named ("1 item whose stock ran low"). */
const SUBJECT_NOUNS: Record<ReplaySourceId, readonly [string, string]> = {
  orders: ["order", "orders"],
  "parcel-scans": ["parcel", "parcels"],
  "shipment-updates": ["shipment", "shipments"],
  "stock-changes": ["item", "items"],
  checkouts: ["checkout", "checkouts"],
  "tickets-opened": ["ticket", "tickets"],
  "tickets-closed": ["ticket", "tickets"],
  "daily-scan": ["customer", "customers"],
};

/** What the trigger is, when the recipe does not say whom it acts for. */
const DEFAULT_ACTS_FOR: Record<ReplaySourceId, string> = {
  orders: "after their order",
  "parcel-scans": "after a parcel scan",
  "shipment-updates": "after a shipment update",
  "stock-changes": "after a stock change",
  checkouts: "after a checkout",
  "tickets-opened": "whose support ticket opened",
  "tickets-closed": "whose support ticket closed",
  "daily-scan": "in today's scan",
};

function actsFor(trigger: RecipeTrigger, source: ReplaySourceId, locale: Locale): string {
  const words =
    trigger.type === "ticket"
      ? source === "tickets-closed"
        ? trigger.actsFor?.closed
        : trigger.actsFor?.opened
      : trigger.actsFor;
  if (words) return actsForIn(words, locale);
  return locale === "fr" ? FRENCH_SOURCES[source].actsFor : DEFAULT_ACTS_FOR[source];
}

interface Named {
  evaluation: Evaluation;
  /** A stable key for "how many customers" (id, else email). */
  personKey: string | null;
  customer: string | null;
  orderName: string | null;
}

/** Names what a run was about from the read model: the customer by name or email, the order by #name. */
async function nameOf(e: Evaluation, ctx: RecipeContext): Promise<Named> {
  const subject = e.result.subject;
  const orderId = subject?.orderId ?? null;
  const order = orderId ? await ctx.order(orderId) : undefined;
  const ref = e.actions.find((a) => a.action.customer)?.action.customer;
  const customerId = subject?.customerId ?? order?.customerId ?? ref?.id ?? null;
  const email = ref?.email ?? order?.email ?? null;
  const customer = customerId
    ? await ctx.customer(customerId)
    : email
      ? await ctx.customerByEmail(email)
      : undefined;
  const name = (customer && fullName(customer)) || customer?.email || email || null;
  return {
    evaluation: e,
    personKey: customerId ? `id:${customerId}` : email ? `email:${email.toLowerCase()}` : null,
    customer: name,
    orderName: order?.name ?? null,
  };
}

/** Each action's sentence, naming its own customer (a run may write to several) and product. */
async function rowLines(
  recipeId: string,
  n: Named,
  ctx: RecipeContext,
  locale: Locale,
): Promise<string[]> {
  const base: RunNames = {
    orderName: n.orderName,
    firstName: n.customer,
    lastName: null,
    email: null,
    ticketNumber: null,
    offerProduct: null,
    stockProduct: null,
  };
  const lines: string[] = [];
  for (const a of n.evaluation.actions) {
    const data = (a.action.data ?? {}) as Record<string, unknown>;
    const text = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : null);
    const ref = a.action.customer;
    const customer = ref?.id
      ? await ctx.customer(ref.id)
      : ref?.email
        ? await ctx.customerByEmail(ref.email)
        : undefined;
    const who = (customer && fullName(customer)) || customer?.email || ref?.email || null;
    const variantId = a.action.kind === "offer" ? text("variantId") : null;
    const variant = variantId ? await ctx.variant(variantId) : undefined;
    const product = variant?.productId
      ? (await ctx.productFacts([variant.productId])).get(variant.productId)?.title
      : undefined;
    const names: RunNames = {
      ...base,
      firstName: who ?? base.firstName,
      offerProduct: product
        ? [product, variant?.title].filter((t) => t && t !== "Default Title").join(" – ")
        : null,
      currency: ctx.shopCurrency,
    };
    lines.push(
      dryRunLine(
        recipeId,
        {
          kind: a.action.kind,
          summary: a.action.summary,
          status: a.status,
          reason: a.reason,
          delivery: {
            status: "queued",
            list: text("list"),
            metric: text("metric"),
            tags: Array.isArray(data.tags) ? (data.tags as string[]) : null,
            resource: text("resource"),
            lastError: null,
            vendor: a.action.requires ?? "shopify",
          },
        },
        names,
        locale,
      ),
    );
  }
  return lines;
}
type DryRunText = ReturnType<typeof translator<(typeof dryRunMessages)["en"]>>;

/** The vendors the passing actions go to, for "updated 3 customers in Klaviyo". */
function vendorsOf(named: Named[], t: DryRunText): string {
  const vendors = new Set(
    named.flatMap((n) =>
      n.evaluation.actions
        .filter((a) => PASSED.has(a.status as RunActionRecord["status"]) && a.action.requires)
        .map((a) => vendorName(a.action.requires!)),
    ),
  );
  return vendors.size ? t("inVendors", { vendors: [...vendors].join(t("and")) }) : "";
}

function example(n: Named, t: DryRunText): string {
  const who = n.customer ?? n.orderName ?? n.evaluation.result.subject?.label ?? "";
  return n.customer && n.orderName ? t("about", { who, order: n.orderName }) : who;
}

/** The sentences for one trigger: what would have acted, what the guards held back, what waited. */
const UNNAMED: RunNames = {
  orderName: null,
  firstName: null,
  lastName: null,
  email: null,
  ticketNumber: null,
  offerProduct: null,
  stockProduct: null,
};

export function triggerSentences(
  source: ReplaySourceId,
  because: string,
  named: Named[],
  formatDateTime: (at: Date) => string,
  locale: Locale = "en",
): string[] {
  const t = translator(dryRunMessages, locale);
  const sentences: string[] = [];
  const acted = named.filter((n) => n.evaluation.outcome === "acted");
  if (acted.length) {
    const people = new Set(acted.map((n) => n.personKey).filter(Boolean));
    const writes = acted.some((n) =>
      n.evaluation.actions.some((a) => PASSED.has(a.status) && WRITES.has(a.action.channel)),
    );
    const first = acted.find((n) => n.customer) ?? acted[0]!;
    const customers = t("customers", { count: people.size });
    const tools = vendorsOf(acted, t);
    const e = { customers, because, example: example(first, t) };
    if (people.size)
      sentences.push(
        writes ? t("wroteTo", e) : tools ? t("updated", { ...e, tools }) : t("actedFor", e),
      );
    else {
      const [one, many] = locale === "fr" ? FRENCH_SOURCES[source].subject : SUBJECT_NOUNS[source];
      const subjects = new Set(acted.map((n) => n.evaluation.result.subject?.label ?? ""));
      const count = subjects.size;
      sentences.push(
        t("actedOn", {
          ...e,
          subjects: `${count.toLocaleString(intlLocale(locale))} ${count === 1 || (locale === "fr" && count === 0) ? one : many}`,
        }),
      );
    }
  }
  // Held back by the engine's guards (an action's verdict) or by the recipe itself (deferred).
  // Stored reasons are English; a French dry run reads them in French (without names: counted).
  const said = (reason: string) =>
    locale === "en" ? reason : plainReason(reason, UNNAMED, locale);
  const held = new Map<string, number>();
  const hold = (reason: string) => held.set(said(reason), (held.get(said(reason)) ?? 0) + 1);
  for (const n of named) {
    if (n.evaluation.result.heldBack) hold(n.evaluation.result.heldBack);
    for (const a of n.evaluation.actions) if (HELD.has(a.status)) hold(a.reason ?? t("aGuard"));
  }
  for (const [reason, count] of held) sentences.push(t("heldBack", { count, reason }));
  const later = named
    .filter((n) => n.evaluation.outcome === "scheduled" && !n.evaluation.result.heldBack)
    .flatMap((n) => n.evaluation.result.followUps ?? [])
    .map((f) => f.at)
    .sort((a, b) => a.getTime() - b.getTime());
  if (later.length)
    sentences.push(t("checkLater", { count: later.length, at: formatDateTime(later[0]!) }));
  const failed = named.filter((n) => n.evaluation.outcome === "failed");
  if (failed.length)
    sentences.push(
      t("failed", {
        count: failed.length,
        reason: said(failed[0]!.evaluation.reasons[0] ?? ""),
      }),
    );
  const skipped = new Map<string, number>();
  for (const n of named)
    if (n.evaluation.outcome === "skipped") {
      const stored = n.evaluation.reasons[0];
      const reason = stored ? said(stored) : t("nothingToDo");
      skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
    }
  const top = [...skipped].sort((a, b) => b[1] - a[1]).slice(0, 2);
  if (top.length)
    sentences.push(
      t("nothing", {
        count: [...skipped.values()].reduce((a, b) => a + b, 0),
        reasons: top
          .map(([reason, count]) => `${reason} (${count})`)
          .join(locale === "fr" ? " ; " : "; "),
      }),
    );
  return sentences;
}

function replayedSentence(replay: Replay, days: number | null, locale: Locale): string {
  const t = translator(dryRunMessages, locale);
  if (replay.source === "daily-scan") return t("dailyScan");
  const french = locale === "fr" ? FRENCH_SOURCES[replay.source] : null;
  const [one, many] = french ? [french.one, french.many] : replay.noun;
  const none = french?.none ?? "";
  const shown = replay.events.length;
  const when = days ? t("ofLastDays", { days }) : "";
  if (replay.total === 0)
    return days ? t("noneInDays", { many, none, days }) : t("noneYet", { many, none });
  if (shown < replay.total)
    return t(replay.more ? "mostRecentOfMore" : "mostRecent", {
      shown,
      total: replay.total,
      many,
      when,
      recent: french?.recent ?? "",
    });
  return shown === 1 ? t("replayedOne", { one, when }) : t("replayedAll", { shown, many, when });
}

export async function dryRunRecipe(
  database: Database,
  shop: string,
  recipe: AnyRecipe,
  config: Record<string, unknown>,
  services: EngineServices,
  options: { now: Date; days?: number; limit?: number; locale?: Locale },
): Promise<DryRunResult> {
  const now = options.now;
  const locale = options.locale ?? "en";
  const t = translator(dryRunMessages, locale);
  const days = options.days ? Math.min(30, Math.max(1, options.days)) : null;
  const limit = Math.min(100, Math.max(1, options.limit ?? 25));
  const loaded = withConfig(recipe, config);
  const actual = await services.connections(shop);
  // Preview as if connected: the point is to see what it would do before connecting.
  const connected = new Set([...actual, ...recipe.requires]);
  const notes = recipe.requires
    .filter((r) => !actual.has(r))
    .map((r) => t("notConnected", { vendor: vendorName(r) }));
  const [guards, currency, timeZone] = await Promise.all([
    getGuardConfig(database.db, shop),
    shopCurrency(database, shop),
    shopTimeZoneOf(database.db, shop),
  ]);
  const shared = new SharedContext(database, shop, {
    now,
    dryRun: true,
    guards,
    connected,
    shopCurrency: currency,
    shopTimeZone: timeZone,
    services,
    ledger: new GuardLedger(database.executeSql, shop, guards, now),
  });
  const ctx = shared.forRecipe(recipe.id);
  const { replays, unreplayable } = await loadReplays(database.db, shop, recipe, {
    since: days ? new Date(now.getTime() - days * DAY_MS) : null,
    now,
    today: ctx.time.localDate(now),
    limit,
  });
  if (unreplayable.length) notes.push(t("notReplayed", { topics: unreplayable.join(", ") }));

  const evaluate = (event: RecipeEvent, at: Date) =>
    evaluateEvent(database, shop, event, [loaded], services, {
      now: at,
      dryRun: true,
      guards,
      connected,
      currency,
      timeZone,
    });

  const triggers: DryRunTrigger[] = [];
  const rows: DryRunRow[] = [];
  const scan: DryRunRow[] = [];
  const orderIds = new Set<string>();
  for (const replay of replays) {
    const named: Named[] = [];
    let queue = replay.events.map((e) => ({
      event: e.event,
      at: e.at > now ? now : e.at,
      depth: 0,
    }));
    while (queue.length > 0) {
      const next: typeof queue = [];
      for (const item of queue) {
        for (const e of await evaluate(item.event, item.at)) {
          const followUps = e.result.followUps ?? [];
          const follows = item.depth + 1 < FOLLOW_UP_DEPTH;
          // Follow-ups that came due by now are followed (and tell the story); later ones say
          // when they would check.
          const told = follows && followUps.length > 0 && followUps.every((f) => f.at <= now);
          if (!(told && e.outcome === "scheduled")) named.push(await nameOf(e, ctx));
          if (!follows) continue;
          for (const f of followUps) {
            if (f.at > now) continue;
            next.push({
              event: {
                type: "follow-up",
                name: f.name,
                subject: f.subject,
                data: f.data ?? {},
                dueAt: f.at,
                attempt: f.attempt ?? 1,
              },
              at: f.at,
              depth: item.depth + 1,
            });
          }
        }
      }
      queue = next;
    }
    const shown = named.filter((n) => n.evaluation.outcome !== "skipped");
    for (const n of named) {
      const orderId = n.evaluation.result.subject?.orderId;
      if (orderId) orderIds.add(orderId);
    }
    const target = replay.source === "daily-scan" ? scan : rows;
    for (const n of shown)
      target.push({
        orderName:
          n.orderName ?? n.customer ?? n.evaluation.result.subject?.label ?? replay.noun[0],
        orderId: n.evaluation.result.subject?.orderId ?? null,
        customer: n.customer,
        trigger: n.evaluation.trigger,
        event: locale === "fr" ? FRENCH_SOURCES[replay.source].one : replay.noun[0],
        at: n.evaluation.at.toISOString(),
        outcome: n.evaluation.outcome,
        actions: actionRecords(n.evaluation.actions),
        lines: await rowLines(recipe.id, n, ctx, locale),
        reasons: n.evaluation.reasons.map((r) =>
          plainReason(
            r,
            {
              orderName: n.orderName,
              firstName: n.customer,
              lastName: null,
              email: null,
              ticketNumber: null,
              offerProduct: null,
              stockProduct: null,
            },
            locale,
          ),
        ),
      });
    triggers.push({
      source: replay.source,
      replayed: replayedSentence(replay, days, locale),
      wouldAct: named.filter((n) => n.evaluation.outcome === "acted").length,
      heldBack: named.filter(
        (n) => n.evaluation.result.heldBack || n.evaluation.actions.some((a) => HELD.has(a.status)),
      ).length,
      sentences: triggerSentences(
        replay.source,
        actsFor(replay.trigger, replay.source, locale),
        named,
        (at) => shopTime({ timeZone: ctx.time.timeZone, locale: intlLocale(locale) }).dateTime(at),
        locale,
      ),
    });
  }
  for (const list of [rows, scan])
    if (list.length > ROWS_SHOWN) {
      notes.push(t("rowsCut", { count: list.length, shown: ROWS_SHOWN }));
      list.splice(ROWS_SHOWN);
    }
  return { triggers, rows, orders: orderIds.size, scan, notes, days, limit };
}
