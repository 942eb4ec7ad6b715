import "../helpers/shopify";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../app/db.server";
import { createRuntime, setRuntime, type Runtime } from "../../app/runtime.server";
import { orderPayload } from "../fixtures/shopify-payloads";
import { createTestDatabase } from "../helpers/database";
import { startTcpProxy } from "../helpers/tcp-proxy";
import { deliver, waitFor } from "../helpers/webhooks";

/**
 * A PostgreSQL server that accepts TCP but never answers (a dead network path, a frozen host):
 * Shopify must hear 503 before its 5 s are up, and the app must come back by itself once the
 * database answers again, without a restart. PostgreSQL only: PGlite runs in-process.
 */
describe("when the database accepts connections but never answers [postgres]", () => {
  it("answers webhooks 503 within 3 s while it hangs, and 200 again once it answers, by itself", async () => {
    const test = await createTestDatabase("postgres");
    const target = new URL(test.url!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(test.url!);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    let runtime: Runtime | undefined;
    try {
      const database = await openDatabase({
        url: viaProxy.toString(),
        poolSize: 4,
        queryTimeoutMs: 2_000,
      });
      runtime = await createRuntime(database, { workers: false, ownsDatabase: true });
      setRuntime(runtime);
      expect(
        (
          await deliver("orders/create", orderPayload({ id: 6_900_000_001 }), {
            webhookId: "hang-before",
          })
        ).status,
      ).toBe(200);

      proxy.mode = "hang";
      const started = performance.now();
      const during = await deliver("orders/create", orderPayload({ id: 6_900_000_002 }), {
        webhookId: "hang-during",
      });
      expect(during.status).toBe(503);
      expect(during.headers.get("Retry-After")).toBe("5");
      expect(performance.now() - started).toBeLessThan(4_000);

      // The database answers again. Connections frozen by the outage time out and are
      // dropped; new ones work: Shopify's retry is taken without anyone restarting anything.
      proxy.mode = "pass";
      const retried = await waitFor(
        async () => {
          const response = await deliver("orders/create", orderPayload({ id: 6_900_000_002 }), {
            webhookId: "hang-during",
          });
          return response.status === 200 ? response : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      expect(retried.status).toBe(200);
      const { rows } = await runtime.database.executeSql(
        `select webhook_id from webhook_events where webhook_id like 'hang-%' order by id`,
        [],
      );
      expect(rows.map((r) => r.webhook_id)).toEqual(["hang-before", "hang-during"]);
    } finally {
      setRuntime(undefined);
      await runtime?.stop({ timeoutMs: 1_000 }).catch(() => undefined);
      await proxy.close();
      await test.destroy().catch(() => undefined);
    }
  }, 90_000);
});
