import type { Config } from "./config";
import type { Database, Db } from "./db/client";
import type { LiveBus } from "./live/bus";

/** What every area of the app is built from; made once in main.ts (or per test). */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  version: string;
  startedAt: Date;
  /** Committed ingest batches are announced here (in-process; LISTEN/NOTIFY across processes on PostgreSQL). */
  bus: LiveBus;
}
