import { and, asc, eq, inArray } from "drizzle-orm";
import { expect } from "vitest";
import {
  deliveries,
  recipeRuns,
  sessions,
  shopSubscriptions,
  type Delivery,
  type RecipeRun,
} from "../../db/schema/index";
import { connectGorgias, connectKlaviyo } from "../../app/integrations/connections.server";
import { runRecipesPayload } from "../../app/jobs/contracts";
import { recipeEventOf } from "../../app/jobs/tasks/run-recipes.server";
import {
  saveGuardConfig,
  saveRecipeConfig,
  setRecipeEnabled,
} from "../../app/models/recipe-settings.server";
import { guardConfigSchema } from "../../app/recipes/engine/guards";
import { runRecipesOnEvent } from "../../app/recipes/engine/run-recipes.server";
import { engineServices } from "../../app/recipes/host.server";
import type { RecipeEvent } from "../../app/recipes/engine/define-recipe";
import type { Runtime } from "../../app/runtime.server";
import {
  createSandboxStore,
  webhookPayload,
  type SandboxStore,
  type WebhookSubjects,
  type WebhookTopic,
} from "../../sandbox/store/index";
import { GORGIAS_DOMAIN, GORGIAS_USERS, KLAVIYO_KEYS, SHOP_A } from "./vendors";
import { deliver, settledEvent, waitFor } from "./webhooks";
import { onPlan } from "./billing";
import type { PlanName } from "../../app/billing/plans";

/** The sandbox store as shop A (same data as the Admin fake serves), built once per file. */
let store: SandboxStore | undefined;
export function sandbox(): SandboxStore {
  store ??= createSandboxStore({ shopDomain: SHOP_A });
  return store;
}

/** A realistic REST payload for a topic from the sandbox store, with overrides. */
export function payload<T extends WebhookTopic>(
  topic: T,
  subject: WebhookSubjects[T],
  overrides: Record<string, unknown> = {},
) {
  return {
    ...(webhookPayload(sandbox(), topic, subject) as unknown as Record<string, unknown>),
    ...overrides,
  };
}

let webhookCounter = 0;

/**
 * What recipe tests do over and over, against the real runtime (queue, workers) and the vendor
 * fakes: connect Klaviyo and Gorgias, switch recipes on, send signed webhooks through the real
 * route, wait for runs and deliveries, and fire due follow-ups at a chosen time.
 */
export function recipeKit(
  runtime: () => Runtime,
  shop = SHOP_A,
  options: { plan?: PlanName } = {},
) {
  const db = () => runtime().database.db;
  const plan = options.plan ?? "Scale";
  /**
   * Recipe tests switch on and act on more than Free allows: their shop is on Scale (no limits)
   * unless the kit is asked for another plan. A subscription already there (a test's own) stays.
   */
  async function ensurePlan() {
    if (plan === "Free") return;
    const [existing] = await db()
      .select({ shop: shopSubscriptions.shop })
      .from(shopSubscriptions)
      .where(eq(shopSubscriptions.shop, shop));
    if (!existing) await onPlan(db(), shop, plan, runtime().clock.now());
  }
  return {
    db,
    shop,
    plan,
    async connect(vendors: ("klaviyo" | "gorgias")[] = ["klaviyo", "gorgias"]) {
      await ensurePlan();
      if (vendors.includes("klaviyo"))
        expect(
          await connectKlaviyo(db(), shop, KLAVIYO_KEYS[shop as keyof typeof KLAVIYO_KEYS]),
        ).toMatchObject({ ok: true });
      if (vendors.includes("gorgias")) {
        const user = GORGIAS_USERS[shop]!;
        expect(
          await connectGorgias(db(), runtime().queue, shop, {
            domain: GORGIAS_DOMAIN,
            email: user.email,
            apiKey: user.apiKey,
          }),
        ).toMatchObject({ ok: true });
      }
    },
    async enable(recipeId: string, config: Record<string, unknown> = {}) {
      await ensurePlan();
      await saveRecipeConfig(db(), shop, recipeId, config);
      await setRecipeEnabled(db(), shop, recipeId, true);
    },
    async disable(recipeId: string) {
      await setRecipeEnabled(db(), shop, recipeId, false);
    },
    async guards(config: Record<string, unknown>) {
      await saveGuardConfig(db(), shop, guardConfigSchema.parse(config));
    },
    /** Sends a signed webhook through the real route and waits until it is processed. */
    async send(topic: string, body: unknown, options: { webhookId?: string } = {}) {
      const webhookId = options.webhookId ?? `recipe-test-${process.pid}-${++webhookCounter}`;
      const response = await deliver(topic, body, { shop, webhookId });
      expect(response.status).toBe(200);
      const event = await settledEvent(db(), webhookId);
      expect(event.status, event.error ?? "").toBe("processed");
      return event;
    },
    async runs(recipeId?: string): Promise<RecipeRun[]> {
      return db()
        .select()
        .from(recipeRuns)
        .where(
          and(eq(recipeRuns.shop, shop), recipeId ? eq(recipeRuns.recipeId, recipeId) : undefined),
        )
        .orderBy(asc(recipeRuns.id));
    },
    /** The run of a recipe on a webhook event (waits for its job). */
    async runFor(recipeId: string, eventId: number, timeoutMs = 20_000): Promise<RecipeRun> {
      return waitFor(
        async () => {
          const [row] = await db()
            .select()
            .from(recipeRuns)
            .where(
              and(
                eq(recipeRuns.shop, shop),
                eq(recipeRuns.recipeId, recipeId),
                eq(recipeRuns.eventKey, `webhook/${eventId}`),
              ),
            );
          return row;
        },
        { timeoutMs },
      );
    },
    /** The first run of a recipe matching `check` (waits for it). */
    async waitRun(
      recipeId: string,
      check: (run: RecipeRun) => boolean,
      timeoutMs = 20_000,
    ): Promise<RecipeRun> {
      return waitFor(async () => (await this.runs(recipeId)).find(check), { timeoutMs });
    },
    async deliveries(recipeId?: string): Promise<Delivery[]> {
      return db()
        .select()
        .from(deliveries)
        .where(
          and(eq(deliveries.shop, shop), recipeId ? eq(deliveries.recipe, recipeId) : undefined),
        )
        .orderBy(asc(deliveries.id));
    },
    /** Waits until these deliveries left the queue (succeeded or dead). */
    async settled(keys: string[], timeoutMs = 20_000): Promise<Delivery[]> {
      if (keys.length === 0) return [];
      return waitFor(
        async () => {
          const rows = await db()
            .select()
            .from(deliveries)
            .where(inArray(deliveries.idempotencyKey, keys));
          return rows.length === keys.length && rows.every((r) => r.status !== "queued")
            ? rows
            : undefined;
        },
        { timeoutMs },
      );
    },
    /** Follow-up jobs a recipe scheduled and not yet run. */
    async pendingFollowUps(recipeId: string, subject?: string) {
      const { rows } = await runtime().database.executeSql(
        `select id, data, start_after from pgboss.job where name = 'run-recipes' and state = 'created'
           and data->>'type' = 'follow-up' and data->>'shop' = $1 and data->>'recipe' = $2 and ($3::text is null or data->>'subject' = $3)
         order by start_after, created_on`,
        [shop, recipeId, subject ?? null],
      );
      return rows.map((r) => ({
        id: String(r.id),
        payload: runRecipesPayload.parse(r.data),
        startAfter: new Date(r.start_after),
      }));
    },
    /** Runs the engine on an event as if at `now` (follow-ups and daily scans, without waiting days). */
    async runAt(event: RecipeEvent, now: Date, only?: string) {
      return runRecipesOnEvent(
        runtime().database,
        shop,
        event,
        engineServices(runtime().database, runtime().queue),
        { now, only },
      );
    },
    /** Fires a recipe's pending follow-ups (about `subject`, if given) at `now` (default: when each was due). */
    async fireFollowUps(recipeId: string, now?: Date, subject?: string) {
      const pending = await this.pendingFollowUps(recipeId, subject);
      const results = [];
      for (const { id, payload: job, startAfter } of pending) {
        // Taken off the queue first: the recipe may schedule a follow-up under the same subject.
        await runtime().database.executeSql(
          `delete from pgboss.job where name = 'run-recipes' and id = $1`,
          [id],
        );
        const event = await recipeEventOf(runtime().database, job);
        if (event) results.push(await this.runAt(event, now ?? startAfter, recipeId));
      }
      return results;
    },
    async hasSession() {
      return (await db().select().from(sessions).where(eq(sessions.shop, shop))).length > 0;
    },
  };
}

export type RecipeKit = ReturnType<typeof recipeKit>;
