import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { migrateDatabase, openDatabase, setDatabase, type Database } from "../../app/db.server";
import { setRuntime } from "../../app/runtime.server";

export type DatabaseKind = "pglite" | "postgres";

/**
 * The database kinds this run covers: PGlite always, PostgreSQL when TEST_DATABASE_URL is set;
 * PostgreSQL only when TEST_DATABASE_POOLER_URL is set too (the run through PgBouncer).
 */
export function databaseKinds(): DatabaseKind[] {
  if (process.env.TEST_DATABASE_URL && process.env.TEST_DATABASE_POOLER_URL) return ["postgres"];
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

/**
 * The app's view of a test database: through PgBouncer (transaction mode) when
 * TEST_DATABASE_POOLER_URL names one, with the direct URL beside it as in production.
 */
function appUrls(name: string): { url: string; directUrl?: string } {
  const direct = new URL(process.env.TEST_DATABASE_URL!);
  direct.pathname = `/${name}`;
  const pooler = process.env.TEST_DATABASE_POOLER_URL;
  if (!pooler) return { url: direct.toString() };
  const pooled = new URL(pooler);
  pooled.pathname = `/${name}`;
  return { url: pooled.toString(), directUrl: direct.toString() };
}

export interface TestDatabase {
  database: Database;
  /** postgres:// URL of this test's own database (PostgreSQL only; through PgBouncer in that run). */
  url?: string;
  /** Straight to the server when `url` goes through PgBouncer. */
  directUrl?: string;
  destroy(): Promise<void>;
}

async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database of the given kind, owned by one test file. */
export async function createTestDatabase(
  kind: DatabaseKind,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  if (kind === "pglite") {
    const database = await openDatabase({ dataDir: "memory://" });
    if (options.migrate !== false) await migrateDatabase(database);
    return { database, destroy: () => database.close() };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("TEST_DATABASE_URL is not set");
  const name = `sbtest_${process.pid}_${randomBytes(4).toString("hex")}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
  const { url, directUrl } = appUrls(name);
  const database = await openDatabase({ url, directUrl, poolSize: 5 });
  if (options.migrate !== false) await migrateDatabase(database);
  return {
    database,
    url,
    directUrl,
    async destroy() {
      await database.close();
      await withAdminClient((client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

/**
 * Runs a suite once per database kind. `use()` returns the suite's database; it is created
 * before the suite's tests and installed as the app's database (getDatabase()).
 */
export function describeEachDatabase(
  title: string,
  body: (ctx: { kind: DatabaseKind; use: () => TestDatabase }) => void,
) {
  for (const kind of databaseKinds()) {
    describe(`${title} [${kind}]`, () => {
      let current: TestDatabase | undefined;
      beforeAll(async () => {
        current = await createTestDatabase(kind);
        setDatabase(current.database);
      });
      afterAll(async () => {
        // A loader that called getRuntime() built a runtime on this suite's database: retire it with it.
        const runtime = globalThis.__switchboardRuntime;
        setRuntime(undefined);
        // Stop its queue only: the database is this suite's, closed by destroy() below.
        if (runtime) await (await runtime).queue.stop({ timeoutMs: 1_000 }).catch(() => undefined);
        setDatabase(undefined);
        await current?.destroy();
      });
      body({
        kind,
        use: () => {
          if (!current) throw new Error("database not ready");
          return current;
        },
      });
    });
  }
}
