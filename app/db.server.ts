import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import pg from "pg";
import { log } from "./utils/log.server";
import * as schema from "../db/schema/index";
import { env } from "./env.server";
import { parseJsonLosslessly } from "./utils/shopify-id";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface SqlOptions {
  /**
   * Plan once per connection and reuse it (a named prepared statement): for hot statements whose
   * text never varies, where planning costs more than running (see docs/benchmarks.md).
   */
  prepare?: boolean;
}

/** A raw SQL runner with pg's `{ rows }` shape, used by pg-boss and by tests. */
export type ExecuteSql = (
  text: string,
  values?: unknown[],
  options?: SqlOptions,
) => Promise<{ rows: any[] }>;

const statementNames = new Map<string, string>();

/** A stable prepared-statement name per SQL text (the same text is the same statement on every connection). */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `sb_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * node-postgres query config: named when asked to prepare, unless a transaction-mode pooler
 * (PgBouncer) stands between us and the server — there each transaction may run on another
 * server connection, which never saw the statement prepared.
 */
const pgQuery = (
  text: string,
  values: unknown[] | undefined,
  options: SqlOptions | undefined,
  pooled: boolean,
) =>
  options?.prepare && !pooled
    ? { name: statementName(text), text, values: values as any[] }
    : { text, values: values as any[] };

export type Database =
  | { kind: "pglite"; db: Db; client: PGlite; executeSql: ExecuteSql; close(): Promise<void> }
  | {
      kind: "postgres";
      db: Db;
      client: pg.Pool;
      /**
       * A direct connection to the server for what needs a session (pg-boss's LISTEN/NOTIFY,
       * the migration lock): DATABASE_DIRECT_URL when DATABASE_URL is a transaction-mode
       * pooler, else DATABASE_URL itself.
       */
      directUrl: string;
      /** DATABASE_URL is a transaction-mode pooler: no named prepared statements on it. */
      pooled: boolean;
      /**
       * Connections kept for webhook acks (Shopify gives us 5 s): jobs holding every connection
       * of the main pool must not leave a webhook waiting for one.
       */
      ackClient: pg.Pool;
      executeSql: ExecuteSql;
      close(): Promise<void>;
    };

export interface OpenDatabaseOptions {
  /** postgres://… to use a PostgreSQL server; otherwise PGlite. */
  url?: string;
  /**
   * postgres://… straight to the server when `url` goes through a transaction-mode pooler
   * such as PgBouncer (docs/deploy.md).
   */
  directUrl?: string;
  /** PGlite data directory, or "memory://" for an in-memory store. */
  dataDir?: string;
  poolSize?: number;
  /** Connections reserved for webhook acks (PostgreSQL). */
  ackPoolSize?: number;
  /**
   * How long a PostgreSQL query may wait for the server's answer before its connection is
   * given up (a server that accepts TCP but never answers, a dead network path).
   */
  queryTimeoutMs?: number;
}

/** A new connection that does not complete its handshake in this time fails (webhooks have 5 s). */
export const CONNECT_TIMEOUT_MS = 2_000;

const MIGRATIONS_FOLDER = path.resolve(process.cwd(), "db/migrations");

/**
 * json and jsonb come back with integers beyond 2^53 as their digits (a Shopify id inside a
 * payload, or a bigint column in row_to_json), not rounded. node-postgres keeps type parsers
 * process-wide (Drizzle and pg-boss read them from there); PGlite takes them per instance.
 */
function parseJsonColumnsLosslessly(): void {
  pg.types.setTypeParser(pg.types.builtins.JSON, parseJsonLosslessly);
  pg.types.setTypeParser(pg.types.builtins.JSONB, parseJsonLosslessly);
}
const PGLITE_PARSERS = {
  [pgliteTypes.JSON]: parseJsonLosslessly,
  [pgliteTypes.JSONB]: parseJsonLosslessly,
};

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) {
    parseJsonColumnsLosslessly();
    const pooled = Boolean(options.directUrl) && options.directUrl !== options.url;
    const poolOptions = (max: number): pg.PoolConfig => ({
      connectionString: options.url,
      max,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // Client-side, so it works through PgBouncer (which refuses startup parameters such as
      // statement_timeout); a timed-out connection is destroyed, not reused.
      query_timeout: options.queryTimeoutMs ?? 15_000,
      // Finds a silently dead connection (no FIN, no RST) instead of keeping it forever.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    const pool = new pg.Pool(poolOptions(options.poolSize ?? 10));
    const ackPool = new pg.Pool(poolOptions(options.ackPoolSize ?? 4));
    // An idle client's error (server restart) must not crash the process; the pool reconnects.
    for (const p of [pool, ackPool])
      p.on("error", (error) => log.error(`[db] idle PostgreSQL client error: ${error.message}`));
    const db = drizzlePg({ client: pool, schema }) as unknown as Db;
    return {
      kind: "postgres",
      db,
      client: pool,
      ackClient: ackPool,
      directUrl: options.directUrl ?? options.url,
      pooled,
      executeSql: async (text, values, sqlOptions) =>
        pool.query(pgQuery(text, values, sqlOptions, pooled)),
      close: async () => {
        await Promise.all([pool.end(), ackPool.end()]);
      },
    };
  }
  const dataDir = options.dataDir ?? "memory://";
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir, { parsers: PGLITE_PARSERS });
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    kind: "pglite",
    db,
    client,
    executeSql: async (text, values) => {
      if (values?.length) return client.query(text, values);
      // Parameterless SQL may hold several statements, which only exec() accepts.
      const results = await client.exec(text);
      return { rows: results.flatMap((r) => r.rows ?? []) };
    },
    close: () => client.close(),
  };
}

/**
 * The advisory lock key every process takes around schema changes (Drizzle's migrations, the job
 * queue's schema and queues): any fixed bigint, the same in every release.
 */
const SCHEMA_LOCK_KEY = "7305116811274531";

/**
 * Runs `fn` while holding the schema lock, so web and worker processes booting together on an
 * empty or outdated PostgreSQL database change it one at a time: the first does the work, the
 * others wait, then find nothing to do. The lock is transaction-level on a connection of its own
 * (so it also holds through PgBouncer in transaction mode, and a crashed holder's lock goes with
 * its connection); `fn` runs on the database's other connections. PGlite is one process: no lock.
 * Not reentrant: `fn` must not take it again.
 */
export async function withSchemaLock<T>(database: Database, fn: () => Promise<T>): Promise<T> {
  if (database.kind === "pglite") return fn();
  const holder = new pg.Client({
    connectionString: database.directUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // No query timeout: waiting for the lock lasts as long as another process's migrations.
  });
  holder.on("error", (error) => log.error(`[db] schema lock connection error: ${error.message}`));
  await holder.connect();
  try {
    await holder.query("BEGIN");
    await holder.query("SELECT pg_advisory_xact_lock($1::bigint)", [SCHEMA_LOCK_KEY]);
    const result = await fn();
    await holder.query("COMMIT");
    return result;
  } finally {
    // Closing the connection ends its transaction (rolled back if fn failed), releasing the lock.
    await holder.end().catch(() => undefined);
  }
}

/**
 * Applies every committed migration in db/migrations that this database lacks (tests may name
 * another folder, e.g. the migrations up to one point), under the schema lock.
 */
export async function migrateDatabase(
  database: Database,
  migrationsFolder = MIGRATIONS_FOLDER,
): Promise<void> {
  if (database.kind === "pglite") {
    await migratePglite(database.db as any, { migrationsFolder });
    return;
  }
  // On its own direct connection: DDL and the migrator's bookkeeping belong to one session,
  // not to whichever server connection a pooler lends each statement.
  await withSchemaLock(database, async () => {
    const client = new pg.Client({
      connectionString: database.directUrl,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    await client.connect();
    try {
      await migratePg(drizzlePg({ client, schema }) as any, { migrationsFolder });
    } finally {
      await client.end();
    }
  });
}

declare global {
  // Survives Vite's module reloads in development so one PGlite instance owns the data directory.
  var __switchboardDatabase: Promise<Database> | undefined;
}

/** The process-wide database, opened from the environment and migrated on first use. */
export function getDatabase(): Promise<Database> {
  globalThis.__switchboardDatabase ??= (async () => {
    const config = env();
    const database = await openDatabase({
      url: config.DATABASE_URL,
      directUrl: config.DATABASE_DIRECT_URL,
      dataDir: config.PGLITE_DATA_DIR,
      poolSize: config.DATABASE_POOL_SIZE,
      queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS,
    });
    await migrateDatabase(database);
    return database;
  })();
  return globalThis.__switchboardDatabase;
}

/** For tests: make getDatabase() return this database. */
export function setDatabase(database: Database | undefined): void {
  globalThis.__switchboardDatabase = database ? Promise.resolve(database) : undefined;
}

export async function db(): Promise<Db> {
  return (await getDatabase()).db;
}

/** A json/jsonb value read by raw SQL: node-postgres hands it over parsed, PGlite sometimes as text. */
export function jsonValue<T = unknown>(value: unknown): T {
  return (typeof value === "string" ? parseJsonLosslessly(value) : value) as T;
}

/**
 * Runs `fn` in one transaction on a raw SQL runner (commits if it resolves, rolls back if it
 * throws). Used where a Drizzle transaction would be slower or where pg-boss must join it.
 */
export async function withTransaction<T>(
  database: Database,
  fn: (executeSql: ExecuteSql) => Promise<T>,
  options: { lane?: "ack" } = {},
): Promise<T> {
  if (database.kind === "pglite") {
    return database.client.transaction(async (tx) =>
      fn(async (text, values) => {
        if (values?.length) return tx.query(text, values);
        const results = await tx.exec(text);
        return { rows: results.flatMap((r) => r.rows ?? []) };
      }),
    );
  }
  const client = await (options.lane === "ack" ? database.ackClient : database.client).connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await fn(async (text, values, options) =>
      client.query(pgQuery(text, values, options, database.pooled)),
    );
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A connection that cannot even roll back (timed out, reset) is destroyed, not pooled.
    await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
