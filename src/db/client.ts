import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { existsSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { PGLITE } from "../constants";
import { lockDataDir } from "./data-dir-lock";
import { pgliteAssets } from "./pglite-assets";
import { prioritiseWrites } from "./priority";
import { schema } from "./schema";

/** One type for both drivers; code outside this file never asks which one it has. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  driver: "pglite" | "postgres";
  /** The postgres.js client (for LISTEN/NOTIFY and COPY), when on PostgreSQL. */
  pg?: postgres.Sql;
  /** The PostgreSQL URL, when on PostgreSQL (the live bus opens its own LISTEN connection to it). */
  url?: string;
  pglite?: PGlite;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data folder; undefined keeps the database in memory. */
  dataDir?: string;
  /** A dumped PGlite data dir to start from (tests start from a migrated dump). */
  loadDataDir?: Blob;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pg = postgres(opts.databaseUrl, { max: opts.poolSize ?? 10, onnotice: () => {}, connection: { application_name: "loupe" } });
    const db = drizzlePostgres(pg, { schema }) as unknown as Db;
    return { db, driver: "postgres", pg, url: opts.databaseUrl, close: () => pg.end({ timeout: 5 }) };
  }
  const needInitdb = !opts.loadDataDir && !(opts.dataDir && existsSync(join(opts.dataDir, "PG_VERSION")));
  const unlock = opts.dataDir ? lockDataDir(opts.dataDir) : () => {};
  let pglite: PGlite;
  try {
    pglite = new PGlite({
      dataDir: opts.dataDir,
      loadDataDir: opts.loadDataDir,
      startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${PGLITE.sharedBuffers}`],
      ...(await pgliteAssets(needInitdb)),
    });
    await pglite.waitReady;
  } catch (err) {
    unlock();
    throw err;
  }
  prioritiseWrites(pglite);
  const db = drizzlePglite(pglite, { schema }) as unknown as Db;
  return { db, driver: "pglite", pglite, close: () => pglite.close().finally(unlock) };
}

/** `db.execute` returns an array on postgres.js and `{ rows }` on PGlite; this evens them out. */
export async function queryRows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** How many rows a write changed (`count` on postgres.js, `affectedRows` on PGlite). */
export async function affectedRows(db: Db, query: SQL): Promise<number> {
  const result = (await db.execute(query)) as unknown as { count?: number; affectedRows?: number };
  return Number(result.count ?? result.affectedRows ?? 0);
}
