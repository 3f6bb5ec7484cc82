import type { Config } from "../config";
import { openDatabase, type Database } from "../db/client";
import { migrate } from "../db/migrate";

/** Opens the configured database (PostgreSQL if DATABASE_URL, else PGlite in the data dir) and migrates it. */
export async function openMigrated(config: Config): Promise<Database> {
  const database = await openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir });
  await migrate(database.db);
  return database;
}
