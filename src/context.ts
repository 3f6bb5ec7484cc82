import type { Config } from "./config";
import type { Database, Db } from "./db/client";

/** What every area of the app is built from; made once in main.ts (or per test). */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  version: string;
  startedAt: Date;
}
