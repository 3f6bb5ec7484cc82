// A fresh, migrated database per caller, on the driver the run is for: PGlite by default,
// PostgreSQL when DATABASE_URL is set. Never a mock.
import postgres from "postgres";
import { openDatabase, type Database } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";

export const driver: "pglite" | "postgres" = process.env.DATABASE_URL ? "postgres" : "pglite";

let migratedDump: Promise<Blob> | undefined;

/** initdb + migrate once per test process, then every database starts from the dump (~1 s). */
function pgliteDump(): Promise<Blob> {
  migratedDump ??= (async () => {
    const first = await openDatabase({});
    await migrate(first.db);
    const dump = await first.pglite!.dumpDataDir("none");
    await first.close();
    return dump;
  })();
  return migratedDump;
}

/** URL of a brand-new database named for this test, created beside DATABASE_URL's. */
export async function freshPostgresUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(process.env.DATABASE_URL!);
  const name = `loupe_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = postgres(base.toString(), { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export interface TestDatabase extends Database {
  /** For PostgreSQL runs: the URL of this test's own database (for a second process). */
  url?: string;
}

/** A fresh migrated database; close() also drops it on PostgreSQL. */
export async function testDatabase(): Promise<TestDatabase> {
  if (driver === "postgres") {
    const { url, drop } = await freshPostgresUrl();
    const database = await openDatabase({ databaseUrl: url, poolSize: 5 });
    await migrate(database.db);
    return { ...database, url, close: async () => { await database.close(); await drop(); } };
  }
  const database = await openDatabase({ loadDataDir: await pgliteDump() });
  return database;
}

