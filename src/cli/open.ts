import type { Config } from "../config";
import { openDatabase, type Database } from "../db/client";
import { DataDirInUseError } from "../db/data-dir-lock";
import { migrate } from "../db/migrate";

/** The database could not be opened or migrated; the message is one line for the operator. */
export class OpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OpenError";
  }
}

/** The innermost message of an error chain (drizzle wraps the driver's error, which names the problem). */
function rootMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  while (e && typeof e.cause === "object" && e.cause !== null && "message" in e.cause) e = e.cause as typeof e;
  return (e?.message ?? String(err)).split("\n")[0];
}

function describe(config: Config): string {
  if (!config.databaseUrl) return `PGlite in ${config.dataDir}`;
  const url = new URL(config.databaseUrl);
  if (url.password) url.password = "***";
  return `PostgreSQL at ${url}`;
}

/** Opens the configured database (PostgreSQL if DATABASE_URL, else PGlite in the data dir) and migrates it. */
export async function openMigrated(config: Config): Promise<Database> {
  let database: Database;
  try {
    database = await openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir });
  } catch (err) {
    if (err instanceof DataDirInUseError) throw new OpenError(err.message, { cause: err });
    throw new OpenError(`cannot open ${describe(config)}: ${rootMessage(err)}`, { cause: err });
  }
  try {
    // postgres.js connects lazily, so connection problems surface here too.
    await migrate(database.db);
  } catch (err) {
    await database.close().catch(() => {});
    throw new OpenError(`cannot use ${describe(config)}: ${rootMessage(err)}`, { cause: err });
  }
  return database;
}
