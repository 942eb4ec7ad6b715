import { performance } from "node:perf_hooks";
import { eq } from "drizzle-orm";
import { shops, type RunActionRecord, type RunOutcome } from "../../../db/schema/index";
import { jsonValue, withTransaction, type Database, type ExecuteSql } from "../../db.server";
import { errorMessage, isTerminal } from "../../jobs/errors";
import { getGuardConfig } from "../../models/recipe-settings.server";
import { shopTimeZoneOf } from "../../models/shops.server";
import { shopTime } from "../../utils/shop-time";
import {
  canProcessOrder,
  effectivePlan,
  PAID_PLANS,
  pausedByPlan,
  PLAN_NAMES,
  PLANS,
  recipeNotInPlan,
  recipesUnderPlan,
  type EffectivePlan,
  type SubscriptionStatus,
} from "../../billing/plans";
import { SharedContext } from "./context.server";
import { PREFETCH_COLUMNS, type Prefetched } from "./prefetch.server";
import {
  eventKey,
  listensTo,
  triggerLabel,
  type AnyRecipe,
  type FollowUp,
  type FollowUpEvent,
  type RecipeAction,
  type RecipeEvent,
  type RecipeResult,
  type StateWrite,
} from "./define-recipe";
import {
  capOf,
  DEFAULT_GUARDS,
  guardConfigSchema,
  isSuppressible,
  type GuardConfig,
} from "./guards";
import { customerKey, GuardLedger } from "./guards.server";
import type { EngineServices } from "./services";
import { idTextOrNull, isShopifyId, type ShopifyId } from "../../utils/shopify-id";
import { vendorName } from "../../utils/vendor-names";

/**
 * The engine: for one event, run every enabled recipe that listens to it, pass each action
 * through the shared guards, and record it all — runs, frequency-cap touches, recipe memory,
 * follow-ups and delivery requests — in one transaction. Idempotent: an event evaluated twice
 * (a retried job, a replayed webhook) requests nothing new, because every action's key is
 * derived from shop + source + recipe and the run row is keyed by recipe + event.
 */

export interface LoadedRecipe {
  recipe: AnyRecipe;
  config: Record<string, unknown>;
  /** The stored settings no longer parse: the run is recorded as failed with this. */
  configError?: string;
}

export interface EvaluatedAction {
  action: RecipeAction;
  key: string;
  status: RunActionRecord["status"];
  reason?: string;
  /** Suppression found while evaluating (applied when persisting). */
  suppressed?: string;
  /** The integration it needs and the shop has not connected: held when it passes the guards. */
  waitsFor?: string;
}

/** What a held action waits for, in Activity's words. */
export function waitingReason(vendor: string): string {
  return `Waiting for ${vendorName(vendor)} to be connected`;
}

export interface Evaluation {
  recipe: AnyRecipe;
  eventKey: string;
  trigger: string;
  result: RecipeResult;
  actions: EvaluatedAction[];
  outcome: RunOutcome;
  reasons: string[];
  durationMs: number;
  /** When the dry run or evaluation happened, in the recipe's time (follow-ups move it). */
  at: Date;
  error?: { message: string; retry: boolean };
}

export interface EvaluateOptions {
  /** The run's time (the runtime clock's, or a dry run's simulated time). */
  now: Date;
  dryRun?: boolean;
  /** Guard settings (default: the shop's). */
  guards?: GuardConfig;
  /** Connected integrations (default: asked of the services). */
  connected?: Set<string>;
  /** The shop's currency (default: read from the shops table); null while it is not known. */
  currency?: string | null;
  /** The shop's IANA time zone (default: read from the shops table); null while not known. */
  timeZone?: string | null;
  /** Read up front with the shop's settings (loadShopSetup with the event). */
  prefetched?: Prefetched;
}

export interface ShopSetup {
  /** The recipes switched on that run under the shop's plan. */
  loaded: LoadedRecipe[];
  /** Switched on past the plan's recipe limit: kept on, not run (see recipesUnderPlan). */
  paused: LoadedRecipe[];
  plan: EffectivePlan;
  /**
   * Set when the event is about an order the recipes have not acted on this billing period and
   * the plan's orders are used up: why the recipes leave it alone (canProcessOrder).
   */
  orderRefusal: string | null;
  guards: GuardConfig;
  /** Null until the install's shop lookup has succeeded (never guessed). */
  currency: string | null;
  /** The shop's IANA time zone; null until the install's shop lookup has succeeded. */
  timeZone: string | null;
  /** Integrations the shop has connected (rows in `integrations`). */
  connected: Set<string>;
  /** The event's order, customer, fulfillment and recipe memory, when an event was given. */
  prefetched?: Prefetched;
}

/** The order a follow-up is about (its data carries the id as digits; older jobs as a number). */
function followUpOrderId(event: FollowUpEvent): ShopifyId | null {
  const orderId = idTextOrNull(event.data.orderId);
  return isShopifyId(orderId) ? orderId : null;
}

/** The ids an event is about, for the prefetch: order, customer, fulfillment, inventory item. */
function eventIds(
  event: RecipeEvent | undefined,
): [ShopifyId | null, ShopifyId | null, ShopifyId | null, ShopifyId | null] {
  if (!event) return [null, null, null, null];
  if (event.type === "follow-up") return [followUpOrderId(event), null, null, null];
  if (event.type !== "webhook") return [null, null, null, null];
  const data = event.data as Record<string, any>;
  switch (event.topic) {
    case "orders/create":
    case "orders/paid":
    case "orders/updated":
    case "orders/fulfilled":
      return [data.id, data.customer?.id ?? null, null, null];
    case "fulfillments/create":
    case "fulfillments/update":
      return [data.order_id, null, data.id, null];
    case "fulfillment_events/create":
      return [data.order_id, null, data.fulfillment_id, null];
    case "inventory_levels/update":
      return [null, null, null, data.inventory_item_id];
    case "customers/update":
      return [null, data.id, null, null];
    case "checkouts/create":
    case "checkouts/update":
      return [null, data.customer?.id ?? null, null, null];
    default:
      return [null, null, null, null];
  }
}

/** Plans with an orders limit, and the limit: the count below is only made for them. */
const ORDER_LIMITS = JSON.stringify(
  Object.fromEntries(
    PLAN_NAMES.filter((name) => PLANS[name].limits.ordersPerPeriod !== null).map((name) => [
      name,
      PLANS[name].limits.ordersPerPeriod,
    ]),
  ),
);

/**
 * The plan's standing in the same round trip ($1 shop, $2 the event's order, $6 now, $7 paid
 * plan names, $8 ORDER_LIMITS): the subscription, and for a plan with an orders limit this
 * period's orders acted on and whether the event's order is one of them. The period is
 * billingPeriod's: 30 days from an active paid subscription's creation, else from the install
 * (limitsPeriod in app/models/billing.server.ts); whole seconds, as Postgres interval arithmetic
 * over days would follow the session's time zone.
 */
const PLAN_SQL = `
  with sub as (select plan, status, created_at as "createdAt" from shop_subscriptions where shop = $1),
  anchor as (
    select coalesce((select plan from sub where status = 'ACTIVE' and plan = any($7::text[])), 'Free') as plan,
      coalesce((select "createdAt" from sub where status = 'ACTIVE' and plan = any($7::text[])),
               (select installed_at from shops where domain = $1), $6::timestamptz) as at
  ),
  plan_use as (
    select ($8::jsonb ->> plan)::int as order_limit,
      at + interval '1 second' * (2592000 * floor(greatest(0, extract(epoch from $6::timestamptz - at)) / 2592000)) as period_start
    from anchor
  )`;
const PLAN_COLUMNS = `
  (select row_to_json(s) from sub s) as subscription,
  (select case when u.order_limit is null then null else
     (select count(distinct r.order_id)::int from recipe_runs r
       where r.shop = $1 and r.outcome = 'acted' and r.created_at >= u.period_start) end from plan_use u) as orders_acted_on,
  (select case when u.order_limit is null or $2::bigint is null then null else
     exists(select 1 from recipe_runs r where r.shop = $1 and r.order_id = $2::bigint and r.outcome = 'acted'
              and r.created_at >= u.period_start) end from plan_use u) as order_acted_on`;

/**
 * The shop's enabled recipes, guard settings, currency, connections and plan — and, given an
 * event, what it is about (see PREFETCH_COLUMNS) — in one query: the job's first round trip.
 */
export async function loadShopSetup(
  database: Database,
  shop: string,
  recipes: readonly AnyRecipe[],
  event: RecipeEvent | undefined,
  now: Date,
): Promise<ShopSetup> {
  const ids = eventIds(event);
  const { rows } = await database.executeSql(
    `${PLAN_SQL}
     select
       coalesce((select json_agg(json_build_object('id', recipe_id, 'config', config, 'enabledAt', enabled_at)) from recipe_settings where shop = $1 and enabled), '[]'::json) as recipes,
       (select config from recipe_guard_settings where shop = $1) as guards,
       (select currency from shops where domain = $1) as currency,
       (select iana_timezone from shops where domain = $1) as time_zone,
       coalesce((select json_agg(vendor) from integrations where shop = $1), '[]'::json) as connected,
       ${PLAN_COLUMNS},
       ${PREFETCH_COLUMNS}`,
    [shop, ...ids, now.toISOString(), PAID_PLANS, ORDER_LIMITS],
  );
  const row = rows[0] ?? {};
  const switchedOn = (
    jsonValue(row.recipes) as { id: string; config: unknown; enabledAt: string | null }[]
  ).filter((r) => recipes.some((known) => known.id === r.id));
  const enabled = new Map(switchedOn.map((r) => [r.id, jsonValue(r.config)]));
  const subscription = jsonValue<{ plan: string; status: SubscriptionStatus } | null>(
    row.subscription,
  );
  const plan = effectivePlan(
    subscription ? { name: subscription.plan, status: subscription.status } : null,
  );
  const { running } = recipesUnderPlan(
    plan.plan,
    switchedOn.map((r) => ({ recipeId: r.id, enabledAt: r.enabledAt })),
  );
  const runs = new Set(running);
  const orders = canProcessOrder(plan.plan, Number(row.orders_acted_on ?? 0));
  // An order acted on earlier this period is not a new one: its later events carry on.
  const orderRefusal =
    !orders.ok && ids[0] !== null && row.order_acted_on === false ? orders.reason : null;
  const guards = guardConfigSchema.safeParse(jsonValue(row.guards) ?? {});
  const variants = jsonValue<{ id: number | string }[] | null>(row.p_variants) ?? [];
  return {
    loaded: recipes
      .filter((r) => runs.has(r.id))
      .map((r) => withConfig(r, enabled.get(r.id) ?? {})),
    paused: recipes
      .filter((r) => enabled.has(r.id) && !runs.has(r.id))
      .map((r) => withConfig(r, enabled.get(r.id) ?? {})),
    plan,
    orderRefusal,
    guards: guards.success ? guards.data : DEFAULT_GUARDS,
    currency: (row.currency as string | null) ?? null,
    timeZone: (row.time_zone as string | null) || null,
    connected: new Set(jsonValue(row.connected) as string[]),
    prefetched: event
      ? {
          orderId: ids[0],
          customerId: ids[1],
          fulfillmentId: ids[2],
          order: jsonValue(row.p_order) ?? null,
          customer: jsonValue(row.p_customer) ?? null,
          fulfillment: jsonValue(row.p_fulfillment) ?? null,
          state: jsonValue(row.p_state) ?? [],
          subjects: [
            ...(ids[0] !== null ? [`order:${ids[0]}`] : []),
            ...(ids[2] !== null ? [`fulfillment:${ids[2]}`] : []),
            ...variants.map((v) => `variant:${v.id}`),
          ],
          inventoryItemId: ids[3],
          variants,
          itemLevel: jsonValue(row.p_item_level) ?? null,
          guard: jsonValue(row.p_guard) ?? null,
        }
      : undefined,
  };
}

export function withConfig(recipe: AnyRecipe, raw: unknown): LoadedRecipe {
  const parsed = recipe.configSchema.safeParse(raw ?? {});
  if (parsed.success) return { recipe, config: parsed.data as Record<string, unknown> };
  return {
    recipe,
    config: {},
    configError: `its settings are no longer valid (${errorMessage(parsed.error)}); open the recipe and save them again`,
  };
}

/** The shop's currency, or null while the install's shop lookup has not succeeded (never guessed). */
export async function shopCurrency(database: Database, shop: string): Promise<string | null> {
  const [row] = await database.db
    .select({ currency: shops.currency })
    .from(shops)
    .where(eq(shops.domain, shop));
  return row?.currency ?? null;
}

/** Who or what an event is about, for runs whose recipe said nothing (skips, failures). */
export function subjectOf(event: RecipeEvent): RecipeResult["subject"] {
  switch (event.type) {
    case "webhook": {
      const data = event.data as Record<string, unknown>;
      if (event.topic.startsWith("orders/")) {
        const customer = data.customer as { id?: ShopifyId } | null | undefined;
        return {
          label: `Order ${String(data.name)}`,
          orderId: data.id as ShopifyId,
          customerId: customer?.id ?? null,
        };
      }
      if (typeof data.order_id === "string")
        return { label: `Order ${data.order_id}`, orderId: data.order_id };
      if (event.topic === "inventory_levels/update")
        return { label: `Inventory item ${String(data.inventory_item_id)}` };
      if (event.topic === "customers/update")
        return { label: `Customer ${String(data.id)}`, customerId: data.id as ShopifyId };
      if (event.topic === "checkouts/create" || event.topic === "checkouts/update") {
        const customer = data.customer as { id?: ShopifyId } | null | undefined;
        return { label: `Checkout ${String(data.id)}`, customerId: customer?.id ?? null };
      }
      return undefined;
    }
    case "ticket":
      return { label: `Ticket ${event.ticketId}` };
    case "daily":
      // The date is the shop's (the scan is scheduled by its calendar): no zone to convert.
      return { label: `Daily scan of ${shopTime({ timeZone: null }).dayLong(event.date)}` };
    case "follow-up": {
      const orderId = followUpOrderId(event);
      return orderId !== null ? { label: `Order ${orderId}`, orderId } : { label: event.subject };
    }
  }
}

function outcomeOf(actions: EvaluatedAction[], result: RecipeResult): RunOutcome {
  const passed = actions.filter(
    (a) =>
      a.status === "requested" ||
      a.status === "decided" ||
      a.status === "already-requested" ||
      a.status === "would-request",
  );
  if (passed.length > 0) return "acted";
  if (actions.some((a) => a.status === "waiting")) return "waiting";
  if (actions.length > 0) return "blocked";
  if (result.followUps?.length) return "scheduled";
  if (!result.skip && result.state?.length) return "acted";
  return "skipped";
}

function reasonsOf(actions: EvaluatedAction[], result: RecipeResult): string[] {
  const reasons = [result.skip, ...(result.notes ?? [])].filter((r): r is string => Boolean(r));
  for (const a of actions) if (a.reason && !reasons.includes(a.reason)) reasons.push(a.reason);
  return reasons;
}

/**
 * Runs the recipes on one event and returns what each decided, with guard verdicts for a dry
 * run; nothing is written except caches (live stock and product reads).
 */
export async function evaluateEvent(
  database: Database,
  shop: string,
  event: RecipeEvent,
  loaded: readonly LoadedRecipe[],
  services: EngineServices,
  options: EvaluateOptions,
): Promise<Evaluation[]> {
  const now = options.now;
  const dryRun = options.dryRun ?? false;
  const listening = loaded.filter((l) => listensTo(l.recipe, event));
  if (listening.length === 0) return [];
  const [guards, connected, currency, timeZone] = await Promise.all([
    options.guards ?? getGuardConfig(database.db, shop),
    options.connected ?? services.connections(shop),
    options.currency !== undefined ? options.currency : shopCurrency(database, shop),
    options.timeZone !== undefined ? options.timeZone : shopTimeZoneOf(database.db, shop),
  ]);
  const ledger = new GuardLedger(database.executeSql, shop, guards, now);
  const shared = new SharedContext(database, shop, {
    now,
    dryRun,
    guards,
    connected,
    shopCurrency: currency,
    shopTimeZone: timeZone,
    services,
    ledger,
  });
  if (options.prefetched)
    shared.seed(
      options.prefetched,
      listening.map((l) => l.recipe.id),
    );
  const baseKey = eventKey(event);
  const trigger = triggerLabel(event);
  const fallbackSubject = subjectOf(event);

  // Recipes read independently (lookups are shared and memoized), so they run together; their
  // actions then pass the guards in registry order, which decides who gets a shared cap first.
  const ran = await Promise.all(
    listening.map(async ({ recipe, config, configError }) => {
      const started = performance.now();
      const done = (outcome: { results?: RecipeResult[]; error?: Evaluation["error"] }) => ({
        recipe,
        started,
        elapsed: performance.now() - started,
        ...outcome,
      });
      if (configError) return done({ error: { message: configError, retry: false } });
      // A recipe whose integration is not connected still runs: its Klaviyo and Gorgias actions
      // are held (status `waiting`) and delivered when the merchant reconnects, never skipped.
      try {
        const returned = await recipe.run(event, shared.forRecipe(recipe.id), config);
        return done({
          results: returned === null ? [] : Array.isArray(returned) ? returned : [returned],
        });
      } catch (error) {
        return done({ error: { message: errorMessage(error), retry: !isTerminal(error) } });
      }
    }),
  );

  const evaluations: Evaluation[] = [];
  for (const { recipe, elapsed, results, error } of ran) {
    const checking = performance.now();
    const finish = (
      given: RecipeResult,
      actions: EvaluatedAction[],
      key = baseKey,
      failure?: Evaluation["error"],
    ) => {
      const result = given.subject ? given : { ...given, subject: fallbackSubject };
      evaluations.push({
        recipe,
        eventKey: key,
        trigger,
        result,
        actions,
        outcome: failure ? "failed" : outcomeOf(actions, result),
        reasons: failure ? [`the recipe failed: ${failure.message}`] : reasonsOf(actions, result),
        durationMs: elapsed + (performance.now() - checking),
        at: now,
        error: failure,
      });
    };
    if (error) {
      finish({}, [], baseKey, error);
      continue;
    }
    for (const result of results ?? []) {
      const actions: EvaluatedAction[] = [];
      for (const action of result.actions ?? []) {
        const prepared = services.executor.prepare(shop, recipe.id, action);
        const evaluated: EvaluatedAction = {
          action,
          key: "key" in prepared ? prepared.key : "",
          status: "requested",
        };
        if ("error" in prepared) {
          evaluated.status = "skipped";
          evaluated.reason = prepared.error;
        } else if (isSuppressible(action.channel) && action.customer) {
          const reason = await shared.suppression(action.customer);
          if (reason) evaluated.suppressed = reason;
        }
        // Held, not skipped: it passes the guards like any other, then waits for the integration.
        const waitsFor =
          action.requires && !connected.has(action.requires) ? action.requires : undefined;
        if (waitsFor && evaluated.status !== "skipped") evaluated.waitsFor = waitsFor;
        if (dryRun && evaluated.status !== "skipped") {
          const verdict = evaluated.suppressed
            ? ({ ok: false, status: "suppressed", reason: evaluated.suppressed } as const)
            : await ledger.verdict(action.customer, action.channel, async () => null);
          if (verdict.ok) {
            evaluated.status = services.executor.delivers(action) ? "would-request" : "decided";
            if (evaluated.waitsFor) {
              evaluated.status = "waiting";
              evaluated.reason = waitingReason(evaluated.waitsFor);
            }
          } else {
            evaluated.status = verdict.status;
            evaluated.reason = verdict.reason;
          }
        }
        actions.push(evaluated);
      }
      finish(result, actions, result.key ? `${baseKey}#${result.key}` : baseKey);
    }
  }
  return evaluations;
}

/**
 * Writes one event's evaluations in one transaction: final cap verdicts under a per-customer
 * lock, touches, delivery requests, recipe memory, follow-ups and the run rows.
 */
export async function persistEvaluations(
  database: Database,
  shop: string,
  evaluations: Evaluation[],
  services: EngineServices,
  now: Date,
  knownGuards?: GuardConfig,
): Promise<void> {
  if (evaluations.length === 0) return;
  const guards = knownGuards ?? (await getGuardConfig(database.db, shop));
  await withTransaction(database, async (executeSql) => {
    await lockCustomers(executeSql, shop, evaluations, guards);
    const allKeys = evaluations.flatMap((e) => e.actions.filter((a) => a.key).map((a) => a.key));
    const existing = new Set<string>();
    if (allKeys.length > 0) {
      const { rows } = await executeSql(
        `select action_key from recipe_touches where action_key = any($1::text[])`,
        [allKeys],
      );
      for (const row of rows) existing.add(row.action_key);
      for (const key of await services.executor.requested(executeSql, allKeys)) existing.add(key);
    }
    const ledger = new GuardLedger(executeSql, shop, guards, now);
    for (const evaluation of evaluations) {
      const passing: RecipeAction[] = [];
      const held: RecipeAction[] = [];
      for (const a of evaluation.actions) {
        if (a.status === "skipped") continue;
        if (existing.has(a.key)) {
          a.status = "already-requested";
          continue;
        }
        const verdict = a.suppressed
          ? ({ ok: false, status: "suppressed", reason: a.suppressed } as const)
          : await ledger.verdict(a.action.customer, a.action.channel, async () => null);
        if (!verdict.ok) {
          a.status = verdict.status;
          a.reason = verdict.reason;
          continue;
        }
        a.status = services.executor.delivers(a.action) ? "requested" : "decided";
        if (a.waitsFor && a.status === "requested") {
          a.status = "waiting";
          a.reason = waitingReason(a.waitsFor);
        }
        const key = customerKey(a.action.customer);
        if (key && capOf(a.action.channel, guards)) {
          await executeSql(
            `insert into recipe_touches (shop, customer_key, customer_id, channel, recipe_id, action_key, at) values ($1, $2, $3, $4, $5, $6, $7) on conflict (action_key) do nothing`,
            [
              shop,
              key,
              a.action.customer?.id ?? null,
              a.action.channel,
              evaluation.recipe.id,
              a.key,
              now.toISOString(),
            ],
          );
        }
        if (a.status === "requested") passing.push(a.action);
        if (a.status === "waiting") held.push(a.action);
      }
      if (evaluation.error) continue;
      evaluation.outcome = outcomeOf(evaluation.actions, evaluation.result);
      evaluation.reasons = reasonsOf(evaluation.actions, evaluation.result);
      if (passing.length > 0)
        await services.executor.request(executeSql, shop, evaluation.recipe.id, passing);
      if (held.length > 0)
        await services.executor.hold(executeSql, shop, evaluation.recipe.id, held, evaluation.at);
      for (const write of evaluation.result.state ?? [])
        await writeState(executeSql, shop, evaluation.recipe.id, write, now);
      for (const followUp of evaluation.result.followUps ?? [])
        await services.scheduleFollowUp(executeSql, shop, evaluation.recipe.id, followUp);
    }
    for (const evaluation of evaluations) await insertRun(executeSql, shop, evaluation);
  });
}

/** Serializes concurrent evaluations touching the same customers' caps (sorted: no deadlocks). */
async function lockCustomers(
  executeSql: ExecuteSql,
  shop: string,
  evaluations: Evaluation[],
  guards: GuardConfig,
) {
  const keys = new Set<string>();
  for (const e of evaluations) {
    for (const a of e.actions) {
      const key = capOf(a.action.channel, guards) ? customerKey(a.action.customer) : null;
      if (key) keys.add(`${shop}|${key}`);
    }
  }
  for (const key of [...keys].sort())
    await executeSql(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [key]);
}

async function writeState(
  executeSql: ExecuteSql,
  shop: string,
  recipeId: string,
  write: StateWrite,
  now: Date,
) {
  if (write.value === null) {
    await executeSql(
      `delete from recipe_state where shop = $1 and recipe_id = $2 and subject = $3`,
      [shop, recipeId, write.subject],
    );
    return;
  }
  await executeSql(
    `insert into recipe_state (shop, recipe_id, subject, customer_id, value, updated_at) values ($1, $2, $3, $4, $5::jsonb, $6)
     on conflict (shop, recipe_id, subject) do update set value = excluded.value, customer_id = excluded.customer_id, updated_at = excluded.updated_at`,
    [
      shop,
      recipeId,
      write.subject,
      write.customerId ?? null,
      JSON.stringify(write.value),
      now.toISOString(),
    ],
  );
}

export function actionRecords(actions: EvaluatedAction[]): RunActionRecord[] {
  return actions.map((a) => ({
    kind: a.action.kind,
    channel: a.action.channel,
    summary: a.action.summary,
    status: a.status,
    ...(a.reason ? { reason: a.reason } : {}),
    key: a.key,
  }));
}

async function insertRun(executeSql: ExecuteSql, shop: string, e: Evaluation) {
  const subject = e.result.subject;
  const scheduled = (e.result.followUps ?? []).map((f: FollowUp) => ({
    name: f.name,
    at: f.at.toISOString(),
  }));
  // A failed run is replaced by the retry's outcome; any other first record stands.
  await executeSql(
    `insert into recipe_runs (shop, recipe_id, trigger, event_key, subject, order_id, customer_id, outcome, actions, reasons, scheduled, duration_ms, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::text[], $11::jsonb, $12, $13)
     on conflict (shop, recipe_id, event_key) do update set
       outcome = excluded.outcome, actions = excluded.actions, reasons = excluded.reasons, scheduled = excluded.scheduled,
       duration_ms = excluded.duration_ms, subject = excluded.subject, order_id = excluded.order_id, customer_id = excluded.customer_id, created_at = excluded.created_at
     where recipe_runs.outcome = 'failed'`,
    [
      shop,
      e.recipe.id,
      e.trigger,
      e.eventKey,
      subject?.label ?? null,
      subject?.orderId ?? null,
      subject?.customerId ?? null,
      e.outcome,
      JSON.stringify(actionRecords(e.actions)),
      e.reasons,
      JSON.stringify(scheduled),
      Math.round(e.durationMs * 1000) / 1000,
      e.at.toISOString(),
    ],
  );
}

/** Skipped runs, with the reason, of the recipes that listen to an event the plan keeps them from. */
function notRun(
  loaded: readonly LoadedRecipe[],
  event: RecipeEvent,
  reason: string,
  now: Date,
): Evaluation[] {
  return loaded
    .filter((l) => listensTo(l.recipe, event))
    .map(({ recipe }) => ({
      recipe,
      eventKey: eventKey(event),
      trigger: triggerLabel(event),
      result: { skip: reason, subject: subjectOf(event) },
      actions: [],
      outcome: "skipped" as const,
      reasons: [reason],
      durationMs: 0,
      at: now,
    }));
}

export interface EventRunSummary {
  evaluations: Evaluation[];
  /** Recipes that threw something worth retrying. */
  retryable: Evaluation[];
}

/** Evaluates and records one event for a shop's enabled recipes. */
export async function runRecipesOnEvent(
  database: Database,
  shop: string,
  event: RecipeEvent,
  services: EngineServices,
  options: { now: Date; only?: string },
): Promise<EventRunSummary> {
  const now = options.now;
  const setup = await loadShopSetup(database, shop, services.recipes, event, now);
  const only = (list: LoadedRecipe[]) =>
    options.only ? list.filter((l) => l.recipe.id === options.only) : list;
  const plan = setup.plan.plan;
  const loaded = only(setup.loaded).filter((l) => !recipeNotInPlan(plan, l.recipe.id));
  // Recipes the plan leaves out (the upsell recipe on Free) say so in Activity.
  const notInPlan = only(setup.loaded).filter((l) => recipeNotInPlan(plan, l.recipe.id));
  // A follow-up of a recipe paused by the plan is recorded as such (not as "switched off").
  const paused = options.only ? only(setup.paused) : [];
  const evaluations =
    setup.orderRefusal !== null
      ? notRun(loaded, event, setup.orderRefusal, now)
      : await evaluateEvent(database, shop, event, loaded, services, {
          now,
          guards: setup.guards,
          connected: setup.connected,
          currency: setup.currency,
          timeZone: setup.timeZone,
          prefetched: setup.prefetched,
        });
  for (const l of notInPlan)
    evaluations.push(...notRun([l], event, recipeNotInPlan(plan, l.recipe.id)!, now));
  evaluations.push(...notRun(paused, event, pausedByPlan(plan), now));
  await persistEvaluations(database, shop, evaluations, services, now, setup.guards);
  return { evaluations, retryable: evaluations.filter((e) => e.error?.retry) };
}
