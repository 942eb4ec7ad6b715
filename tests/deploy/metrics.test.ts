import { realFetch } from "../helpers/real-fetch";
import type { AddressInfo } from "node:net";
import { beforeAll, expect, it } from "vitest";
import { deliveries, historyImports } from "../../db/schema/index";
import { metrics, readiness, liveness } from "../../app/health.server";
import { connectKlaviyo } from "../../app/integrations/connections.server";
import { requestDelivery } from "../../app/integrations/delivery/request.server";
import { acceptPostPurchase } from "../../app/post-purchase/http.server";
import { acceptWebhook } from "../../app/webhooks/handle-webhook.server";
import { createHttpFront, createProbeServer } from "../../scripts/http-front.js";
import { orderPayload } from "../fixtures/shopify-payloads";
import { describeWithRuntime } from "../helpers/runtime";
import { KLAVIYO_KEYS, SHOP_A, withVendorFakes } from "../helpers/vendors";
import { signedWebhook, waitFor } from "../helpers/webhooks";

const fakes = withVendorFakes();

type Labels = Record<string, string>;

/** Every sample of a Prometheus text exposition: name, labels, value. */
function parse(text: string): { name: string; labels: Labels; value: number }[] {
  return text
    .split("\n")
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
      const labels: Labels = {};
      for (const [, key, value] of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
        labels[key!] = value!;
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The sum of a metric's samples whose labels include `labels` (0 when there are none). */
function value(text: string, name: string, labels: Labels = {}): number {
  return parse(text)
    .filter(
      (sample) =>
        sample.name === name &&
        Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted),
    )
    .reduce((sum, sample) => sum + sample.value, 0);
}

describeWithRuntime(
  "Prometheus /metrics",
  ({ runtime }) => {
    let url: string;
    let scrape: () => Promise<string>;

    beforeAll(async () => {
      const server = createHttpFront({
        acceptWebhook,
        acceptPostPurchase,
        probes: {
          liveness,
          readiness: () => readiness(runtime()),
          metrics: () => metrics(runtime()),
        },
        app: (_req: unknown, res: { writeHead(s: number): { end(): void } }) =>
          res.writeHead(404).end(),
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      scrape = async () => {
        const answer = await realFetch(`${url}/metrics`);
        expect(answer.status).toBe(200);
        expect(answer.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
        return answer.text();
      };
      return () => new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("reports a webhook's ack, a rate-limit wait, the queue's depth while no worker runs, and a delivery deferred by a 429 then delivered once workers drain it", async () => {
      const before = await scrape();
      // Process metrics come with every scrape.
      expect(value(before, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
      expect(value(before, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);

      const delivery = signedWebhook("orders/create", orderPayload({ id: 5_812_345_000_901 }), {
        shop: SHOP_A,
      });
      const posted = await realFetch(`${url}/webhooks/orders/create`, {
        method: "POST",
        headers: Object.fromEntries(delivery.headers),
        body: await delivery.text(),
      });
      expect(posted.status).toBe(200);
      const unsigned = await realFetch(`${url}/webhooks/orders/create`, {
        method: "POST",
        headers: { "X-Shopify-Topic": "made/up" },
        body: "{}",
      });
      expect(unsigned.status).toBe(401);

      // Two connection checks in a row: Klaviyo's account endpoint allows one a second.
      const db = runtime().database.db;
      expect(await connectKlaviyo(db, SHOP_A, KLAVIYO_KEYS[SHOP_A])).toMatchObject({ ok: true });
      expect(await connectKlaviyo(db, SHOP_A, KLAVIYO_KEYS[SHOP_A])).toMatchObject({ ok: true });

      const { key } = await requestDelivery(
        { database: runtime().database, queue: runtime().queue },
        {
          kind: "klaviyo-event",
          shop: SHOP_A,
          recipe: "shipping-delay-outreach",
          source: "fulfillment/77/delayed",
          metric: "Switchboard Shipment Delayed",
          profile: { email: "jane.doe@example.com", externalId: "7001002003" },
          properties: { OrderName: "#1042" },
          value: 129.5,
          valueCurrency: "USD",
        },
      );

      // A store's history import a quarter of the way through its orders.
      await db.insert(historyImports).values({
        shop: SHOP_A,
        importId: "import-1",
        status: "running",
        phase: "orders",
        since: runtime().clock.now(),
        objectCount: 400,
        linesLoaded: 100,
      });

      const queued = await scrape();
      const ack = { topic: "orders/create", outcome: "stored" };
      expect(value(queued, "switchboard_webhook_ack_seconds_count", ack)).toBe(
        value(before, "switchboard_webhook_ack_seconds_count", ack) + 1,
      );
      // The unsigned request's made-up topic is no label of its own.
      expect(
        value(queued, "switchboard_webhook_ack_seconds_count", {
          topic: "other",
          outcome: "rejected",
        }),
      ).toBe(
        value(before, "switchboard_webhook_ack_seconds_count", {
          topic: "other",
          outcome: "rejected",
        }) + 1,
      );
      expect(queued).not.toContain("made/up");
      expect(
        value(queued, "switchboard_rate_limit_waits_total", {
          vendor: "klaviyo",
          outcome: "waited",
        }),
      ).toBeGreaterThan(
        value(before, "switchboard_rate_limit_waits_total", {
          vendor: "klaviyo",
          outcome: "waited",
        }),
      );
      expect(value(queued, "switchboard_queue_depth", { task: "process-webhook" })).toBe(1);
      expect(value(queued, "switchboard_queue_depth", { task: "deliver-klaviyo" })).toBe(1);
      expect(
        value(queued, "switchboard_queue_oldest_job_age_seconds", { task: "process-webhook" }),
      ).toBeGreaterThanOrEqual(0);
      // Every task is reported, waiting jobs or not.
      expect(queued).toMatch(/switchboard_queue_depth\{task="deliver-gorgias"\} 0/);
      expect(value(queued, "switchboard_history_imports", { status: "running" })).toBe(1);
      expect(value(queued, "switchboard_history_imports", { status: "done" })).toBe(0);
      expect(value(queued, "switchboard_history_import_lines_loaded", { phase: "orders" })).toBe(
        100,
      );
      expect(value(queued, "switchboard_history_import_lines_expected", { phase: "orders" })).toBe(
        400,
      );

      // Klaviyo's first answer to the delivery is a 429: the job waits out its Retry-After.
      fakes().klaviyo.setFaults({
        burst429: 1,
        retryAfterSeconds: 1,
        appliesTo: (request) => request.method === "POST",
      });
      await runtime().queue.work({ concurrency: 2 });
      await waitFor(async () => {
        const [row] = await db.select().from(deliveries);
        return row?.idempotencyKey === key && row.status === "succeeded" ? row : undefined;
      });
      const drained = await waitFor(async () => {
        const text = await scrape();
        return value(text, "switchboard_queue_depth") === 0 &&
          value(text, "switchboard_jobs_running") === 0
          ? text
          : undefined;
      });
      const succeeded = { vendor: "klaviyo", outcome: "succeeded" };
      expect(value(drained, "switchboard_deliveries_total", succeeded)).toBe(
        value(before, "switchboard_deliveries_total", succeeded) + 1,
      );
      const deferred = { vendor: "klaviyo", outcome: "deferred" };
      expect(value(drained, "switchboard_deliveries_total", deferred)).toBe(
        value(before, "switchboard_deliveries_total", deferred) + 1,
      );
      // No shop anywhere in the exposition.
      expect(drained).not.toContain(SHOP_A);
      expect(drained).not.toContain("myshopify.com");
    });

    it("answers only scrapes with the bearer token when METRICS_TOKEN is set", async () => {
      const token = "scrape-token-0123456789";
      const probes = createProbeServer({
        liveness,
        readiness: () => readiness(runtime()),
        metrics: (req: { headers: { authorization?: string } }) =>
          metrics(runtime(), { token, authorization: req.headers.authorization }),
      });
      await new Promise<void>((resolve) => probes.listen(0, "127.0.0.1", resolve));
      try {
        const url = `http://127.0.0.1:${(probes.address() as AddressInfo).port}/metrics`;
        const anonymous = await realFetch(url);
        expect(anonymous.status).toBe(401);
        expect(await anonymous.text()).not.toContain("switchboard_");
        expect(
          (await realFetch(url, { headers: { authorization: "Bearer wrong-token-000000000" } }))
            .status,
        ).toBe(401);
        const scrape = await realFetch(url, { headers: { authorization: `Bearer ${token}` } });
        expect(scrape.status).toBe(200);
        expect(await scrape.text()).toContain("# TYPE switchboard_queue_depth gauge");
      } finally {
        await new Promise<void>((resolve) => probes.close(() => resolve()));
      }
    });

    it("is served on a worker's health port too, and only there besides the probes", async () => {
      const probes = createProbeServer({
        liveness,
        readiness: () => readiness(runtime()),
        metrics: () => metrics(runtime()),
      });
      await new Promise<void>((resolve) => probes.listen(0, "127.0.0.1", resolve));
      try {
        const base = `http://127.0.0.1:${(probes.address() as AddressInfo).port}`;
        const answer = await realFetch(`${base}/metrics`);
        expect(answer.status).toBe(200);
        expect(await answer.text()).toContain("# TYPE switchboard_queue_depth gauge");
        expect((await realFetch(`${base}/webhooks/orders/create`)).status).toBe(404);
      } finally {
        await new Promise<void>((resolve) => probes.close(() => resolve()));
      }
    });
  },
  { workers: false },
);
