import "../helpers/shopify";
import { describe, expect, it } from "vitest";
import { createRuntime, setRuntime } from "../../app/runtime.server";
import { orderPayload } from "../fixtures/shopify-payloads";
import { createTestDatabase, databaseKinds } from "../helpers/database";
import { deliver } from "../helpers/webhooks";

describe.each(databaseKinds())("when the database is unavailable [%s]", (kind) => {
  it("answers 503 with Retry-After so Shopify retries, never 200 for an event it could not keep", async () => {
    const test = await createTestDatabase(kind);
    const runtime = await createRuntime(test.database, { workers: false });
    setRuntime(runtime);
    try {
      await runtime.queue.stop({ timeoutMs: 500 });
      // The database goes away under a running web process.
      if (test.database.kind === "postgres")
        await Promise.all([test.database.client.end(), test.database.ackClient.end()]);
      else await test.database.client.close();
      const response = await deliver("orders/create", orderPayload(), {
        webhookId: `down-${kind}`,
      });
      expect(response.status).toBe(503);
      expect(response.headers.get("Retry-After")).toBe("5");
    } finally {
      setRuntime(undefined);
      if (test.url) {
        const { default: pg } = await import("pg");
        const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await admin.connect();
        await admin.query(
          `DROP DATABASE IF EXISTS ${new URL(test.url).pathname.slice(1)} WITH (FORCE)`,
        );
        await admin.end();
      }
    }
  });
});
