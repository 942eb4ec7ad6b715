import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderPayload } from "../fixtures/shopify-payloads";
import { seedInstalledShop, startApp, type RunningApp } from "../helpers/app-server";
import { signedWebhook, waitFor } from "../helpers/webhooks";

/**
 * The production server (`node server.js`) as a container host runs it: probed by the load
 * balancer, then stopped with SIGTERM while Shopify is still delivering a webhook.
 */
describe("the production server's health probes and shutdown", () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({ seed: (dataDir) => seedInstalledShop(dataDir) });
  }, 180_000);

  afterAll(() => app?.stop());

  it("answers /healthz and /readyz without a Shopify session", async () => {
    const live = await fetch(`${app.url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${app.url}/readyz`, { redirect: "manual" });
    expect(ready.status).toBe(200);
    expect(ready.headers.get("cache-control")).toBe("no-store");
    expect(await ready.json()).toEqual({ status: "ready" });
    expect((await fetch(`${app.url}/readyz`, { method: "HEAD" })).status).toBe(200);
    expect((await fetch(`${app.url}/readyz`, { method: "POST" })).status).toBe(405);
  });

  it("on SIGTERM finishes the request in flight, refuses new connections, leaves no job running and exits 0", async () => {
    const webhookId = randomUUID();
    const delivery = signedWebhook("orders/create", orderPayload({ id: 5_812_345_000_777 }), {
      shop: TEST_SHOP,
      webhookId,
    });
    const body = Buffer.from(await delivery.text());
    const headers = Object.fromEntries(delivery.headers);

    // Shopify's delivery is mid-upload when the host stops the container.
    const req = httpRequest(new URL("/webhooks/orders/create", app.url), {
      method: "POST",
      headers: { ...headers, "Content-Length": String(body.length) },
    });
    const answered = new Promise<number>((resolve, reject) => {
      req.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      req.on("error", reject);
    });
    req.write(body.subarray(0, 100));
    await new Promise((r) => setTimeout(r, 300));

    const exited = new Promise<number | null>((resolve) => app.process.once("exit", resolve));
    app.process.kill("SIGTERM");
    await waitFor(async () => app.output().includes("SIGTERM: finishing"), { timeoutMs: 5_000 });

    // The port is closed to anyone new…
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
    // …while the delivery already under way is answered, and stored.
    req.end(body.subarray(100));
    expect(await answered).toBe(200);

    const exitCode = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r("still running after 30 s"), 30_000)),
    ]);
    expect(exitCode).toBe(0);

    const { openDatabase } = await import("../../app/db.server");
    const database = await openDatabase({ dataDir: `${app.dataDir}/pglite` });
    try {
      const events = await database.executeSql(
        "select status from webhook_events where webhook_id = $1",
        [webhookId],
      );
      expect(events.rows).toHaveLength(1);
      // Every job either finished before the exit or waits, unclaimed, for the next worker;
      // none is left marked running until its lease expires.
      const jobs = await database.executeSql(
        "select name, state from pgboss.job where state = 'active'",
      );
      expect(jobs.rows).toEqual([]);
      const eventJob = await database.executeSql(
        "select state from pgboss.job where data->>'webhookId' = $1",
        [webhookId],
      );
      expect(eventJob.rows).toHaveLength(1);
      expect(["created", "retry", "completed"]).toContain(eventJob.rows[0].state);
    } finally {
      await database.close();
    }
  }, 120_000);
});
