import type { Database } from "../db/client";
import { InProcessBus, type LiveBus } from "./bus";
import { PgBus } from "./pg-bus";

/** PostgreSQL: processes share batches through LISTEN/NOTIFY. PGlite is one process: in memory. */
export async function openBus(database: Database): Promise<LiveBus> {
  if (database.driver !== "postgres" || !database.pg || !database.url) return new InProcessBus();
  const bus = new PgBus(database.url, database.pg);
  await bus.start();
  return bus;
}
