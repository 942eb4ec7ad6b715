import "../helpers/shopify";
import { describe, expect, it } from "vitest";
import { liveness, readiness } from "../../app/health.server";
import { createRuntime } from "../../app/runtime.server";
import { createTestDatabase, databaseKinds } from "../helpers/database";

const body = (answer: { body: string }) => JSON.parse(answer.body);

describe.each(databaseKinds())("health probes [%s]", (kind) => {
  it("are ready while the database and the queue answer, and 503 with the reason when either does not", async () => {
    const test = await createTestDatabase(kind);
    const runtime = await createRuntime(test.database, { workers: false });
    try {
      expect(liveness()).toMatchObject({ status: 200 });
      const ready = await readiness(runtime);
      expect(ready.status).toBe(200);
      expect(ready.headers["Cache-Control"]).toBe("no-store");
      expect(body(ready)).toEqual({ status: "ready" });

      // A database that accepts the query but never answers: the probe answers anyway, in time.
      const hung = await readiness(
        { ...runtime, database: { ...runtime.database, executeSql: () => new Promise(() => {}) } },
        { timeoutMs: 100 },
      );
      expect(hung.status).toBe(503);
      expect(body(hung)).toEqual({
        status: "unavailable",
        reason: "database: no answer within 100 ms",
      });

      // The queue's own schema gone (a wrong database, a half-applied install).
      await test.database.executeSql("DROP SCHEMA pgboss CASCADE");
      const noQueue = await readiness(runtime);
      expect(noQueue.status).toBe(503);
      expect(body(noQueue).reason).toMatch(/^queue: /);
    } finally {
      await runtime.queue.stop({ timeoutMs: 500 }).catch(() => {});
      await test.destroy();
    }
    // The database closed under the process.
    const closed = await readiness(runtime);
    expect(closed.status).toBe(503);
    expect(body(closed).reason).toMatch(/^database: /);
  });
});
