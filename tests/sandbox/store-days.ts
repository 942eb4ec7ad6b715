import { realFetch } from "../helpers/real-fetch";
import "../helpers/shopify";
import { API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { expect } from "vitest";
import type { Enqueuer, TaskContract } from "../../app/jobs/contracts";
import { connectGorgias, connectKlaviyo } from "../../app/integrations/connections.server";
import {
  runHistoryImportStep,
  shopifyBulkOperations,
  startHistoryImport,
  type HistoryStepResult,
} from "../../app/integrations/shopify-admin/history-import.server";
import { getHistoryImport } from "../../app/models/history-imports.server";
import { recordInstall } from "../../app/models/shops.server";
import { findRecipe } from "../../app/recipes/registry";
import { engineServices } from "../../app/recipes/host.server";
import { saveRecipeConfig } from "../../app/models/recipe-settings.server";
import { switchRecipe } from "../../app/recipes/settings.server";
import type { Runtime } from "../../app/runtime.server";
import type { Clock } from "../../app/utils/clock";
import type { AdminMutationEvent } from "../../sandbox/store/admin-graphql";
import { StoreDaySimulator } from "../../sandbox/simulator";
import { createSandboxStore, type SandboxStore } from "../../sandbox/store/index";
import { onPlan } from "../helpers/billing";
import { storeOfflineSession, withShopifyAdminFake } from "../helpers/shopify-admin";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../helpers/time";
import { GORGIAS_DOMAIN, GORGIAS_USERS, KLAVIYO_KEYS, withVendorFakes } from "../helpers/vendors";
import { waitFor } from "../helpers/webhooks";

/**
 * The sandbox store living through the days after the app's install, end to end: its history
 * imported into the read model by the app's bulk-operation import (against the Admin fake),
 * Klaviyo and Gorgias connected through the app's own connect functions (against their fakes),
 * recipes switched on as the Recipes screen does, then the store-day simulator's signed webhooks
 * fed through the app's webhook routes to the runtime's real workers.
 *
 * The runtime's clock follows the simulator's: recipes stamp and schedule in simulated time, and
 * follow-ups that come due in simulated time are handed to the workers then (the queue itself
 * only knows the database's wall clock).
 */

/** A clock the test moves; it starts at this machine's now, to the minute. */
export class SimulatedClock implements Clock {
  private ms = 0;
  constructor() {
    this.restart();
  }
  /** Back to this machine's now: each database's suite starts its stores afresh. */
  restart() {
    this.ms = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
  }
  now() {
    return new Date(this.ms);
  }
  set(ms: number) {
    this.ms = ms;
  }
}

export interface StoreDaysOptions {
  clock: SimulatedClock;
  /** The shops, each its own sandbox store (same seed, so the same history and the same days). */
  shops: string[];
  /** Klaviyo keys of shops beyond the two the vendor helpers know. */
  extraKlaviyoKeys?: Record<string, string>;
  seed?: number;
  customerCount?: number;
  ordersPerDay?: number;
  /** Days of history the import reads. */
  historyDays?: number;
}

export interface OpenedStore {
  shop: string;
  store: SandboxStore;
  /** The simulated now (the runtime clock's). */
  now(): Date;
  /**
   * Switches recipes on through switchRecipe, as the Recipes screen does; fails on refusal.
   * `settings`: what the merchant saved first, per recipe (validated by its schema).
   */
  switchOn(recipeIds: string[], settings?: Record<string, Record<string, unknown>>): Promise<void>;
  /** Lives through `days` more days; resolves once every webhook and job they caused settled. */
  runDays(days: number): Promise<{ delivered: number; now: Date }>;
}

/** Simulated hours delivered before the app's workers catch up; the next chunk waits for them. */
const CHUNK_MS = 12 * HOUR_MS;

function stepQueue(): Enqueuer & { last: () => { shop: string; importId: string; step: number } } {
  const jobs: { shop: string; importId: string; step: number }[] = [];
  return {
    last: () => jobs.at(-1)!,
    async enqueue(_task: TaskContract, payload: unknown) {
      jobs.push(payload as (typeof jobs)[number]);
      return String(jobs.length);
    },
    async enqueueMany() {
      return [];
    },
  } as Enqueuer & { last: () => (typeof jobs)[number] };
}

/**
 * Registers, in the calling suite, the Admin fake serving one sandbox store per shop (dated at
 * the clock's now when the suite starts) and the vendor fakes; returns `open(shop)`, which
 * installs the app for that shop, imports its history and connects both vendors.
 */
export function withStoreDays(runtime: () => Runtime, options: StoreDaysOptions) {
  const { clock } = options;
  const stores = new Map<string, SandboxStore>();
  const simulators = new Map<string, StoreDaySimulator>();
  const storesAtClock = () => {
    if (stores.size === 0) {
      clock.restart();
      for (const shop of options.shops)
        stores.set(
          shop,
          createSandboxStore({
            seed: options.seed ?? 7,
            shopDomain: shop,
            baseDate: clock.now(),
            customerCount: options.customerCount ?? 30,
          }),
        );
    }
    return [...stores.values()];
  };
  const admin = withShopifyAdminFake(() => storesAtClock(), {
    // Shopify's orders/updated after a recipe tagged an order reaches the app from the store's day.
    onMutation: (event: AdminMutationEvent) =>
      simulators.get(event.shop)?.handleAdminMutation(event),
  });
  withVendorFakes({
    extraKlaviyoKeys: Object.fromEntries(
      Object.values(options.extraKlaviyoKeys ?? {}).map((key) => [key, { accountName: key }]),
    ),
  });
  const database = () => runtime().database;
  const klaviyoKey = (shop: string) =>
    (KLAVIYO_KEYS as Record<string, string>)[shop] ?? options.extraKlaviyoKeys?.[shop];

  /** No webhook left unprocessed and no job due now (follow-ups later in simulated time wait). */
  async function settled(shop: string) {
    await waitFor(
      async () => {
        const { rows } = await database().executeSql(
          `select
             (select count(*)::int from webhook_events where shop = $1 and status = 'received') as webhooks,
             (select count(*)::int from pgboss.job where name not like '\\_\\_%'
                and state in ('created', 'retry', 'active') and start_after < now() + interval '10 seconds') as jobs`,
          [shop],
        );
        return rows[0]!.webhooks === 0 && rows[0]!.jobs === 0;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  }

  /**
   * Work the app scheduled for later (recipe follow-ups, the next daily scan, retries) that is
   * due by the simulated now goes to the workers now: the queue only knows the wall clock.
   */
  async function releaseDueWork(shop: string) {
    await database().executeSql(
      `update pgboss.job set start_after = now() where name not like '\\_\\_%' and state in ('created', 'retry')
         and data->>'shop' = $1 and start_after <= $2 and start_after > now()`,
      [shop, clock.now().toISOString()],
    );
  }

  async function open(shop: string): Promise<OpenedStore> {
    const store = stores.get(shop);
    if (!store) throw new Error(`${shop} is not one of this suite's stores`);
    const db = database().db;
    clock.set(Date.parse(store.baseDate));
    await storeOfflineSession(shop);
    await recordInstall(db, shop, clock.now(), {
      name: store.shop.name,
      currency: store.shop.currency,
      ianaTimezone: store.shop.ianaTimezone,
      plan: store.shop.planDisplayName,
    });
    // More recipes than Free allows may be switched on.
    await onPlan(db, shop, "Scale", clock.now());

    const queue = stepQueue();
    await startHistoryImport(db, queue, shop, clock.now(), { days: options.historyDays ?? 90 });
    const api = shopifyBulkOperations(realFetch);
    const results: HistoryStepResult[] = [];
    for (let i = 0; i < 2_000 && results.at(-1) !== "done" && results.at(-1) !== "failed"; i++) {
      results.push(
        await runHistoryImportStep(database(), queue, queue.last(), { api, orderBatch: 200 }),
      );
      if (results.at(-1) === "waiting") await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const imported = await getHistoryImport(db, shop);
    expect(imported, imported?.lastError ?? "").toMatchObject({ status: "done" });

    const gorgiasUser = GORGIAS_USERS[shop] ?? Object.values(GORGIAS_USERS)[0]!;
    expect(await connectKlaviyo(db, shop, klaviyoKey(shop)!)).toMatchObject({ ok: true });
    expect(
      await connectGorgias(db, runtime().queue, shop, {
        domain: GORGIAS_DOMAIN,
        email: gorgiasUser.email,
        apiKey: gorgiasUser.apiKey,
      }),
    ).toMatchObject({ ok: true });
    await settled(shop);

    let delivered = 0;
    const simulator = new StoreDaySimulator({
      store,
      seed: options.seed ?? 7,
      apiSecret: API_SECRET_KEY,
      ordersPerDay: options.ordersPerDay ?? 4,
      duplicateRate: 0,
      // The app's route for the topic, fed the exact request Shopify would make, at the
      // simulated moment the store sent it.
      transport: async (delivery, headers) => {
        clock.set(simulator.now());
        const route = await import(
          `../../app/routes/webhooks.${delivery.topic.replace("/", ".")}.ts`
        );
        const request = new Request(`https://app.test/webhooks/${delivery.topic}`, {
          method: "POST",
          headers,
          body: delivery.body,
        });
        const response: Response = await route.action({ request, params: {}, context: {} });
        delivered++;
        return response.status;
      },
    });
    simulators.set(shop, simulator);

    return {
      shop,
      store,
      now: () => clock.now(),
      async switchOn(recipeIds, settings = {}) {
        const services = engineServices(database(), runtime().queue);
        for (const id of recipeIds) {
          const recipe = findRecipe(id);
          if (!recipe) throw new Error(`no recipe ${id}`);
          if (settings[id])
            await saveRecipeConfig(
              database().db,
              shop,
              id,
              recipe.configSchema.parse(settings[id]) as Record<string, unknown>,
            );
          expect(
            await switchRecipe(
              database(),
              runtime().queue,
              shop,
              recipe,
              true,
              services,
              clock.now(),
            ),
          ).toMatchObject({ ok: true });
        }
        await settled(shop);
      },
      async runDays(days) {
        const until = simulator.now() + days * DAY_MS;
        while (simulator.now() < until) {
          await simulator.advanceTo(Math.min(until, simulator.now() + CHUNK_MS));
          await simulator.deliverQueued({ all: true });
          clock.set(simulator.now());
          await settled(shop);
          await releaseDueWork(shop);
          await settled(shop);
        }
        return { delivered, now: clock.now() };
      },
    };
  }

  /**
   * A store's days after the install from start to end: opened, `enableRecipes` switched on,
   * `days` lived through. `start` is the simulated now the days began at.
   */
  async function runStoreDays(shop: string, run: { days: number; enableRecipes?: string[] }) {
    const opened = await open(shop);
    const start = opened.now();
    if (run.enableRecipes?.length) await opened.switchOn(run.enableRecipes);
    await opened.runDays(run.days);
    return { db: database().db, shop, start, now: opened.now() };
  }

  return { open, runStoreDays, admin };
}
