/**
 * `npm run bench -- recipes`: what the recipe engine adds per event with all nine recipes on.
 *
 * A shop's read model is loaded from the sandbox store (350 orders, 200 customers, 329
 * shipments with their carrier events, 64 variants with stock at two locations, product tags
 * and collections), 5 % of customers have an open Gorgias ticket, and the nine recipes are on
 * with realistic settings. Then a stream of that store's webhooks — orders created, paid and
 * updated, carrier events, shipment updates, inventory changes — is evaluated one at a time,
 * as the run-recipes job does: load the shop's enabled recipes and guards, run every recipe
 * that listens, apply the guards. Measured twice: evaluation alone (the target: p95 < 5 ms),
 * and evaluation plus recording (runs, touches, memory, delivery rows and jobs in one
 * transaction). No vendor is called. On PGlite, and on PostgreSQL when one answers.
 * Results: bench/results/recipes.json.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { machine, progress, summarize, writeResult } from "./lib";

const POSTGRES_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
const SHOP = "switchboard-sandbox.myshopify.com";
const TARGET_P95_MS = 5;

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export async function recipesBenchmark(): Promise<void> {
  // The app reads its environment on first use: set it before loading any app module.
  process.env.SHOPIFY_API_KEY ??= "bench-recipes-key";
  process.env.SHOPIFY_API_SECRET ??= "bench-recipes-secret";
  process.env.LOG_LEVEL ??= "error";
  const { migrateDatabase, openDatabase, setDatabase } = await import("../app/db.server");
  const { createRuntime, setRuntime } = await import("../app/runtime.server");
  const readModel = await import("../app/models/read-model.server");
  const { TOPIC_SCHEMAS } = await import("../app/webhooks/payloads");
  const { recordTicketState } = await import("../app/models/gorgias-tickets.server");
  const { saveRecipeConfig, setRecipeEnabled } =
    await import("../app/models/recipe-settings.server");
  const { RECIPES } = await import("../app/recipes/registry");
  const { recordSubscriptionUpdate } = await import("../app/models/billing.server");
  const { evaluateEvent, loadShopSetup, persistEvaluations } =
    await import("../app/recipes/engine/run-recipes.server");
  const { engineServices } = await import("../app/recipes/host.server");
  const { integrations, productFacts, shops } = await import("../db/schema/index");
  const store = await import("../sandbox/store/index");

  const sandbox = store.createSandboxStore({ shopDomain: SHOP });
  const kinds: ("pglite" | "postgres")[] = ["pglite"];
  if (await postgresReachable()) kinds.push("postgres");
  const results = [];

  for (const kind of kinds) {
    let database;
    let dropDatabase: (() => Promise<void>) | undefined;
    if (kind === "postgres") {
      const name = `sbbench_recipes_${randomBytes(4).toString("hex")}`;
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`create database ${name}`);
      const url = new URL(POSTGRES_URL);
      url.pathname = `/${name}`;
      database = await openDatabase({ url: url.toString(), poolSize: 5 });
      dropDatabase = async () => {
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      };
    } else {
      database = await openDatabase({ dataDir: "memory://" });
    }
    await migrateDatabase(database);
    const runtime = await createRuntime(database, { workers: false });
    setDatabase(database);
    setRuntime(runtime);
    try {
      const db = database.db;
      console.log(`  [${kind}] loading the sandbox store into the read model…`);
      await db.insert(shops).values({ domain: SHOP, name: sandbox.shop.name, currency: "USD" });
      const parse = <T extends keyof typeof TOPIC_SCHEMAS>(topic: T, payload: unknown) =>
        TOPIC_SCHEMAS[topic].parse(payload) as any;
      for (const order of sandbox.orders)
        await readModel.upsertOrder(
          db,
          SHOP,
          parse("orders/create", store.ordersCreatePayload(sandbox, order.id)),
        );
      for (const f of sandbox.fulfillments) {
        await readModel.upsertFulfillment(
          db,
          SHOP,
          parse("fulfillments/create", store.fulfillmentsCreatePayload(sandbox, f.id)),
        );
        for (const e of f.events)
          await readModel.recordFulfillmentEvent(
            db,
            SHOP,
            parse("fulfillment_events/create", store.fulfillmentEventsCreatePayload(sandbox, e.id)),
          );
      }
      for (const v of sandbox.variants) {
        await readModel.linkVariantToInventoryItem(db, SHOP, {
          id: String(v.id),
          productId: String(v.productId),
          inventoryItemId: String(v.inventoryItemId),
          sku: v.sku,
          title: v.title,
          price: v.price,
        });
      }
      for (const level of sandbox.inventoryLevels) {
        await readModel.upsertInventoryLevel(
          db,
          SHOP,
          parse(
            "inventory_levels/update",
            store.inventoryLevelsUpdatePayload(sandbox, level.inventoryItemId, level.locationId),
          ),
        );
      }
      await db.insert(productFacts).values(
        sandbox.products.map((p) => ({
          shop: SHOP,
          productId: String(p.id),
          title: p.title,
          tags: p.tags,
          collectionIds: sandbox.collections
            .filter((c) => c.productIds.includes(p.id))
            .map((c) => String(c.id)),
        })),
      );
      // Both vendors connected (the credentials are never read: no vendor is called).
      await db.insert(integrations).values(
        ["klaviyo", "gorgias"].map((vendor) => ({
          shop: SHOP,
          vendor: vendor as "klaviyo" | "gorgias",
          credentials: "not-used",
          credentialsKeyId: "bench",
          secretHint: "…",
        })),
      );
      for (const [i, customer] of sandbox.customers.entries()) {
        if (i % 20 === 3 && customer.email)
          await recordTicketState(db, SHOP, {
            ticketId: 800_000 + i,
            email: customer.email,
            status: "open",
            updatedAt: new Date(),
          });
      }

      const coffee = sandbox.products.filter((p) => p.productType === "Coffee");
      const drinkware = sandbox.variants.filter(
        (v) => sandbox.products.find((p) => p.id === v.productId)?.productType === "Drinkware",
      );
      const configs: Record<string, Record<string, unknown>> = {
        "post-purchase-upsell": {
          rules: [
            {
              name: "Coffee → mug",
              productIds: coffee.slice(0, 6).map((p) => p.id),
              offerVariantId: drinkware[0]!.id,
              fallbackVariantId: drinkware[1]!.id,
              discount: { type: "percentage", value: 15 },
            },
            { name: "Best sellers", tags: ["bestseller"], offerVariantId: drinkware[2]!.id },
            {
              name: "Gear",
              collectionIds: [sandbox.collections[1]!.id],
              offerVariantId: drinkware[3]!.id,
              discount: { type: "fixed_amount", value: 5 },
            },
          ],
        },
        "high-value-white-glove": { threshold: 300 },
        "replenishment-reminder": {
          items: sandbox.variants
            .filter((v) => v.sku)
            .slice(0, 20)
            .map((v) => ({ sku: v.sku, days: 30 })),
        },
      };
      for (const recipe of RECIPES) {
        await saveRecipeConfig(db, SHOP, recipe.id, configs[recipe.id] ?? {});
        await setRecipeEnabled(db, SHOP, recipe.id, true);
      }
      // Every recipe on a busy store: the Scale plan, whose limits never stop a run.
      await recordSubscriptionUpdate(
        db,
        SHOP,
        {
          admin_graphql_api_id: "gid://shopify/AppSubscription/1",
          name: "Scale",
          status: "ACTIVE",
          created_at: new Date(),
        },
        new Date(),
      );
      await database.executeSql("analyze");

      // A store's webhook stream, in the proportions a store sends them.
      const orders = [...sandbox.orders].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const events = sandbox.fulfillments.flatMap((f) => f.events);
      const levels = sandbox.inventoryLevels;
      let nextId = 1;
      const stream = Array.from({ length: WARMUP + EVENTS }, (_, i) => {
        const pick = i % 20;
        const order = orders[i % orders.length]!;
        const make = (topic: keyof typeof TOPIC_SCHEMAS, payload: unknown) => ({
          type: "webhook" as const,
          topic,
          eventId: nextId++,
          data: parse(topic, payload),
        });
        if (pick < 5) return make("orders/create", store.ordersCreatePayload(sandbox, order.id));
        if (pick < 8) return make("orders/paid", store.ordersPaidPayload(sandbox, order.id));
        if (pick < 11) return make("orders/updated", store.ordersUpdatedPayload(sandbox, order.id));
        if (pick < 16) {
          const e = events[i % events.length]!;
          return make(
            "fulfillment_events/create",
            store.fulfillmentEventsCreatePayload(sandbox, e.id),
          );
        }
        if (pick < 18)
          return make(
            "fulfillments/update",
            store.fulfillmentsUpdatePayload(
              sandbox,
              sandbox.fulfillments[i % sandbox.fulfillments.length]!.id,
            ),
          );
        const level = levels[i % levels.length]!;
        return make(
          "inventory_levels/update",
          store.inventoryLevelsUpdatePayload(sandbox, level.inventoryItemId, level.locationId),
        );
      });

      // Vendors are never called: stock and product facts come from the read model (kept fresh).
      const services = { ...engineServices(database, runtime.queue), catalog: undefined };
      const evaluateMs: number[] = [];
      const recordMs: number[] = [];
      const byTopic: Record<string, number[]> = {};
      const outcomes: Record<string, number> = {};
      let actions = 0;
      let runs = 0;
      const loadAverage = os.loadavg().map((n) => Math.round(n * 100) / 100);
      const tick = progress(`  [${kind}] ${EVENTS} events (+${WARMUP} warm-up)`, stream.length);
      for (const [i, event] of stream.entries()) {
        const started = performance.now();
        // What the run-recipes job does for one event.
        const now = new Date();
        const setup = await loadShopSetup(database, SHOP, services.recipes, event as never, now);
        const evaluations = await evaluateEvent(
          database,
          SHOP,
          event as never,
          setup.loaded,
          services,
          {
            now,
            guards: setup.guards,
            connected: setup.connected,
            currency: setup.currency,
            timeZone: setup.timeZone,
            prefetched: setup.prefetched,
          },
        );
        const evaluated = performance.now();
        await persistEvaluations(database, SHOP, evaluations, services, now, setup.guards);
        const recorded = performance.now();
        if (i >= WARMUP) {
          evaluateMs.push(evaluated - started);
          recordMs.push(recorded - started);
          (byTopic[event.topic] ??= []).push(evaluated - started);
          runs += evaluations.length;
          for (const e of evaluations) {
            outcomes[e.outcome] = (outcomes[e.outcome] ?? 0) + 1;
            actions += e.actions.filter(
              (a) => a.status === "requested" || a.status === "decided",
            ).length;
          }
        }
        tick(i + 1);
      }
      const evaluate = summarize(evaluateMs);
      const record = summarize(recordMs);
      results.push({
        database: kind,
        events: EVENTS,
        runs,
        actionsRequested: actions,
        outcomes,
        evaluateMs: evaluate,
        evaluateAndRecordMs: record,
        evaluateP95ByTopicMs: Object.fromEntries(
          Object.entries(byTopic).map(([topic, values]) => [topic, summarize(values).p95]),
        ),
        loadAverageBefore: loadAverage,
        pass: evaluate.p95 < TARGET_P95_MS,
      });
      console.log(
        `  [${kind}] evaluation p50 ${evaluate.p50} ms, p95 ${evaluate.p95} ms, p99 ${evaluate.p99} ms; with recording p95 ${record.p95} ms; ${runs} runs, ${actions} actions`,
      );
    } finally {
      setRuntime(undefined);
      setDatabase(undefined);
      await runtime.stop({ timeoutMs: 2_000 });
      await database.close();
      await dropDatabase?.();
    }
  }
  writeResult("recipes", {
    benchmark: "recipes",
    machine: machine(),
    recipesEnabled: RECIPES.length,
    targets: { evaluateP95Ms: TARGET_P95_MS },
    results,
    pass: results.every((r) => r.pass),
  });
}
