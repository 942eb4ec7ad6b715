import { getDatabase } from "./db.server";
import { env } from "./env.server";

export interface BootResult {
  database: Awaited<ReturnType<typeof getDatabase>>;
  stop(): Promise<void>;
}

/**
 * Everything the web process needs before it takes traffic: a valid environment and a
 * migrated database. Called by server.js (production) before it listens.
 */
export async function boot(): Promise<BootResult> {
  const config = env();
  const database = await getDatabase();
  console.log(
    `[boot] database: ${database.kind === "postgres" ? "PostgreSQL" : `PGlite at ${config.PGLITE_DATA_DIR}`} (migrated)`,
  );
  return {
    database,
    async stop() {
      await database.close();
    },
  };
}
