import type { Config } from "./config";
import type { Database, Db } from "./db/client";
import type { IngestService } from "./ingest/pipeline";
import type { LiveBus } from "./live/bus";
import type { Metrics } from "./ops/metrics";

/** What every area of the app is built from; made once in main.ts (or per test). */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  version: string;
  startedAt: Date;
  /** Committed ingest batches are announced here (in-process; LISTEN/NOTIFY across processes on PostgreSQL). */
  bus: LiveBus;
  /** Prometheus counters and histograms of this running Loupe (GET /metrics). */
  metrics: Metrics;
  /** The collection pipeline (caches + group-commit writer); routes/ingest-*.ts hand requests to it. */
  ingest: IngestService;
}
