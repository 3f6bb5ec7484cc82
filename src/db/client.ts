import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { existsSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { log } from "../log";
import { lockDataDir } from "./data-dir-lock";
import { pgliteAssets } from "./pglite-assets";
import { prioritiseWrites } from "./priority";
import { schema } from "./schema";

/**
 * Embedded PGlite. Postgres touches all of shared_buffers at start, so this sets idle memory:
 * 128MB (its default) idles near 290 MB RSS, 64MB near 200 MB. The OS page cache still caches
 * the data files on top of it.
 */
export const PGLITE = { sharedBuffers: "64MB" } as const;

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

/**
 * postgres.js waits, bounded (the defaults are a 30 s connect timeout and reconnect backoff growing to
 * 20 s: with the database down, requests hung for seconds and recovery after it came back took up to 12 s).
 * Every Loupe connection to PostgreSQL uses these; src/live/pg-bus.ts too.
 */
export const BOUNDED_WAITS = {
  /** Seconds to establish a connection (TCP + startup + authentication). */
  connect_timeout: 2,
  /** Seconds before a failed connection is tried again: 50 ms doubling, at most 0.5 s. */
  backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
  /** TCP keepalive (seconds): a peer that vanished without closing is noticed. */
  keep_alive: 10,
} as const;

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pg = postgres(opts.databaseUrl, { max: opts.poolSize ?? 10, onnotice: () => {}, connection: { application_name: "loupe" }, ...BOUNDED_WAITS });
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

/**
 * postgres.js can throw from its own timers when a connection dies mid-write (seen under Bun: `TypeError:
 * null is not an object (evaluating 'socket.write')` from a write scheduled after the socket closed). The
 * query concerned has already failed (the caller answers 503); such an error must not end the process.
 * Anything else uncaught still does, as it would without this handler.
 */
export function survivePostgresDriverErrors(): void {
  const fromDriver = (err: unknown) => {
    const e = err as { message?: string; stack?: string } | null;
    return !!e && (/[\\/]postgres[\\/](src|cjs)[\\/]/.test(e.stack ?? "") || /evaluating '(socket|x)\.(write|end|destroy|setKeepAlive)'/.test(e.message ?? ""));
  };
  const handle = (kind: string) => (err: unknown) => {
    if (fromDriver(err)) return log.warn(`PostgreSQL driver: ${kind} survived`, { error: String((err as Error)?.stack ?? err).slice(0, 500) });
    console.error(err);
    process.exit(1);
  };
  process.on("uncaughtException", handle("uncaught exception"));
  process.on("unhandledRejection", handle("unhandled rejection"));
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
