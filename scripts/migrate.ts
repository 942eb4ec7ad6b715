import { migrateDatabase, openDatabase } from "../app/db.server";
import { env } from "../app/env.server";

// `npm run db:migrate`: applies committed migrations to the configured database.
const config = env();
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.PGLITE_DATA_DIR });
try {
  await migrateDatabase(database);
  console.log(
    `Migrations applied to ${database.kind === "postgres" ? "PostgreSQL" : config.PGLITE_DATA_DIR}.`,
  );
} finally {
  await database.close();
}
