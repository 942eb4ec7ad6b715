import "../helpers/shopify";
import { createHmac } from "node:crypto";
import { Agent, request } from "node:http";
import type { AddressInfo } from "node:net";
import { API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { expect, it } from "vitest";
import { acceptPostPurchase } from "../../app/post-purchase/http.server";
import { acceptWebhook } from "../../app/webhooks/handle-webhook.server";
import { TOPIC_SCHEMAS } from "../../app/webhooks/payloads";
import { seededRandom } from "../../sandbox/fakes/common";
import { createHttpFront } from "../../scripts/http-front.js";
import {
  appUninstalledPayload,
  checkoutPayload,
  customerPayload,
  customersDataRequestPayload,
  customersRedactPayload,
  fulfillmentEventPayload,
  fulfillmentPayload,
  inventoryLevelPayload,
  orderEditedPayload,
  orderPayload,
  shopRedactPayload,
} from "../fixtures/shopify-payloads";
import { describeWithRuntime } from "../helpers/runtime";
import { waitFor } from "../helpers/webhooks";

/**
 * Generated webhook bodies, signed, through the production server's HTTP front (the same
 * createHttpFront server.js runs) into the real ingest and workers: every one is answered 200 or
 * 4xx, none stays `received`, and the server keeps working. Deterministic: FUZZ_SEED replays a
 * run, FUZZ_BODIES changes how many bodies each topic gets.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
// 400 a topic (8,000 bodies a database) keeps the CI run to a few minutes on a busy 2-core
// machine; FUZZ_BODIES=5000 for a deeper run.
const BODIES_PER_TOPIC = Number(process.env.FUZZ_BODIES ?? 400);

const BASES: Record<string, (now: Date) => unknown> = {
  "orders/create": () => orderPayload(),
  "orders/paid": () => orderPayload(),
  "orders/updated": () => orderPayload(),
  "orders/fulfilled": () => orderPayload(),
  "orders/edited": () => orderEditedPayload(),
  "checkouts/create": (now) => checkoutPayload(now),
  "checkouts/update": (now) => checkoutPayload(now),
  "fulfillments/create": () => fulfillmentPayload(),
  "fulfillments/update": () => fulfillmentPayload(),
  "fulfillment_events/create": () => fulfillmentEventPayload(),
  "inventory_levels/update": () => inventoryLevelPayload(),
  "customers/update": () => customerPayload(),
  "app/uninstalled": () => appUninstalledPayload(),
  "app/scopes_update": () => ({
    id: 1,
    previous: ["read_orders"],
    current: ["read_orders", "write_orders"],
    updated_at: "2026-11-20T10:00:00Z",
  }),
  "app_subscriptions/update": () => ({
    app_subscription: {
      admin_graphql_api_id: "gid://shopify/AppSubscription/7001",
      name: "Growth",
      status: "ACTIVE",
      admin_graphql_api_shop_id: "gid://shopify/Shop/1",
      created_at: "2026-11-20T09:59:00Z",
      updated_at: "2026-11-20T10:00:00Z",
      currency: "USD",
      capped_amount: "200.00",
    },
  }),
  "customers/data_request": () => customersDataRequestPayload(),
  "customers/redact": () => customersRedactPayload(),
  "shop/redact": () => shopRedactPayload(),
  "bulk_operations/finish": () => ({
    admin_graphql_api_id: "gid://shopify/BulkOperation/720918",
    completed_at: "2026-11-20T10:00:00Z",
    created_at: "2026-11-20T09:59:00Z",
    error_code: null,
    status: "completed",
    type: "query",
  }),
};

function fuzzer(seed: number) {
  const next = seededRandom(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const nested = (depth: number): unknown =>
    depth === 0 ? 1 : next() < 0.5 ? [nested(depth - 1)] : { a: nested(depth - 1) };
  const strings = [
    "",
    " ",
    "ünïcödé ✓ 🚚📦",
    "مرحبا",
    "e\u0301",
    "\u202eevil",
    "a".repeat(10_000),
    "<script>alert(1)</script>",
    "'; drop table orders; --",
    "null",
    "None",
    "2026-13-45T99:99:99Z",
  ];
  const values = (): unknown =>
    pick<() => unknown>([
      () => null,
      () => pick(strings),
      () => pick([0, -1, -0, 0.5, 1e308, -1e308, 2 ** 53 + 1, 2 ** 63, 1e-320]),
      () => next() < 0.5,
      () => [],
      () => ({}),
      () => Array.from({ length: 1 + int(50) }, () => pick(strings)),
      () => Array.from({ length: 20_000 + int(30_000) }, (_, i) => i),
      () => nested(10 + int(200)),
      () => ({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }),
    ])();
  const paths = (value: unknown, prefix: string[] = []): string[][] => {
    if (!value || typeof value !== "object") return [prefix];
    const entries = Object.entries(value as Record<string, unknown>);
    return [prefix, ...entries.flatMap(([key, child]) => paths(child, [...prefix, key]))];
  };
  const setAt = (root: unknown, path: string[], value: unknown): unknown => {
    if (path.length === 0) return value;
    let node = root as Record<string, unknown>;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
    if (next() < 0.2) delete node[path.at(-1)!];
    else node[path.at(-1)!] = value;
    return root;
  };
  /** Raw-text edits JSON.stringify cannot make: escapes jsonb refuses, out-of-range numbers, broken JSON. */
  const rawEdits: ((text: string) => string)[] = [
    (t) => t.replace(/"([^"\\]{2,})"/, '"$1\\u0000x"'),
    (t) => t.replace(/"([^"\\]{2,})"/, '"\\ud83d$1"'),
    (t) => t.replace(/:(\s*)\d+/, ":$11e1000000"),
    (t) => t.replace(/:(\s*)\d+/, ":$1123456789012345678901234567890"),
    (t) => t.slice(0, int(t.length)),
    (t) => `{"id":1,"id":"two",${t.slice(1)}`,
    (t) => `{"__proto__":{"polluted":true},${t.slice(1)}`,
    (t) => `${"[".repeat(3_000)}${t}${"]".repeat(3_000)}`,
    () => pick(["", "null", "[]", '"text"', "123", "{", "\u0000", "not json at all"]),
  ];
  return (base: unknown): string => {
    let body = structuredClone(base);
    for (let edits = 1 + int(3); edits > 0; edits--) {
      const all = paths(body);
      body = setAt(body, pick(all), values());
    }
    let text = JSON.stringify(body) ?? "null";
    if (next() < 0.3) text = pick(rawEdits)(text);
    return text;
  };
}

describeWithRuntime("webhook fuzzing through the production HTTP front", ({ runtime }) => {
  it(`answers ${BODIES_PER_TOPIC} generated bodies per subscribed topic with 200 or 4xx and leaves none waiting`, async () => {
    const server = createHttpFront({
      acceptWebhook,
      acceptPostPurchase,
      app: (_req: unknown, res: { writeHead(s: number): { end(): void } }) =>
        res.writeHead(404).end(),
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const post = (topic: string, shop: string, webhookId: string, body: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port,
            method: "POST",
            path: `/webhooks/${topic}`,
            agent,
            headers: {
              "Content-Type": "application/json",
              "Content-Length": Buffer.byteLength(body),
              "X-Shopify-Topic": topic,
              "X-Shopify-Shop-Domain": shop,
              "X-Shopify-Webhook-Id": webhookId,
              "X-Shopify-API-Version": "2026-10",
              "X-Shopify-Hmac-Sha256": createHmac("sha256", API_SECRET_KEY)
                .update(body, "utf8")
                .digest("base64"),
            },
          },
          (response) => {
            response.resume();
            response.on("end", () => resolve(response.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.end(body);
      });

    const statuses = new Map<number, number>();
    try {
      const topics = Object.keys(TOPIC_SCHEMAS);
      for (const [t, topic] of topics.entries()) {
        const generate = fuzzer(SEED + t);
        // Each topic its own shop: a fuzzed app/uninstalled or shop/redact stays there.
        const shop = `fuzz-${topic.replace(/[^a-z0-9]+/g, "-")}.myshopify.com`;
        const bodies = Array.from({ length: BODIES_PER_TOPIC }, () =>
          generate(BASES[topic]!(runtime().clock.now())),
        );
        // 32 in flight at a time, as Shopify's delivery workers would.
        let nextBody = 0;
        const sender = async () => {
          for (let i = nextBody++; i < bodies.length; i = nextBody++) {
            // A 503 is a busy moment (the database did not take the body in time): Shopify sends
            // the same body again later, and so do we. A body that gets 503 every time fails.
            let status = 0;
            for (let attempt = 1; attempt <= 5; attempt++) {
              status = await post(topic, shop, `fuzz-${SEED}-${t}-${i}`, bodies[i]!);
              if (status !== 503) break;
              await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
            }
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          }
        };
        await Promise.all(Array.from({ length: 32 }, sender));
      }
      const answered = [...statuses.keys()];
      expect(
        answered.filter((status) => status !== 200 && (status < 400 || status >= 500)),
        `answers: ${JSON.stringify(Object.fromEntries(statuses))}`,
      ).toEqual([]);
      expect(statuses.get(200)).toBeGreaterThan(0);

      // Every stored event is settled (processed, rejected or ignored) by the workers.
      await waitFor(
        async () => {
          const { rows } = await runtime().database.executeSql(
            `select count(*)::int as n from webhook_events where webhook_id like 'fuzz-%' and status = 'received'`,
            [],
          );
          return Number(rows[0]!.n) === 0;
        },
        { timeoutMs: 240_000, intervalMs: 500 },
      );

      // Still healthy: a plain order is taken and processed.
      const healthy = JSON.stringify(orderPayload({ id: 6_950_000_001 }));
      expect(
        await post("orders/create", "fuzz-healthy.myshopify.com", `fuzz-${SEED}-healthy`, healthy),
      ).toBe(200);
      await waitFor(async () => {
        const { rows } = await runtime().database.executeSql(
          `select status from webhook_events where webhook_id = $1`,
          [`fuzz-${SEED}-healthy`],
        );
        return rows[0]?.status === "processed";
      });
    } finally {
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 900_000);
});
