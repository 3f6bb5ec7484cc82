import { createApp } from "../app";
import { survivePostgresDriverErrors } from "../db/client";
import { BATCH_WRITER } from "../ingest/batch-writer";
import { IngestService } from "../ingest/pipeline";
import { Metrics } from "../ops/metrics";
import type { Config } from "../config";
import type { AppContext } from "../context";
import { openBus } from "../live/open-bus";
import { ensureDefaultEnvironment } from "../environments/environments";
import { log } from "../log";
import { announceLocalServer } from "../ops/local-servers";
import { startServer } from "../server";
import { VERSION } from "../version";
import { snippetTag } from "../snippet";
import { countAccounts } from "../auth/accounts";
import { ensureAdminFromConfig } from "./admin";
import { openMigrated } from "./open";
import { shutdown } from "./shutdown";

/** Builds everything a running Loupe needs; tests use this too, with their own database. */
export async function buildContext(config: Config, database: AppContext["database"]): Promise<AppContext> {
  const bus = await openBus(database);
  const metrics = new Metrics();
  const groupsInFlight = database.driver === "postgres" ? BATCH_WRITER.postgresGroupsInFlight : 1;
  const ingest = new IngestService({ db: database.db, bus, config, metrics, writer: { groupsInFlight } });
  return { config, database, db: database.db, version: VERSION, startedAt: new Date(), bus, metrics, ingest };
}

/** `loupe serve`: open + migrate the database, make sure an environment exists, listen, print how to start. */
export async function serveCommand(config: Config): Promise<void> {
  const started = performance.now();
  survivePostgresDriverErrors();
  const database = await openMigrated(config);
  const ctx = await buildContext(config, database);
  const { env, created } = await ensureDefaultEnvironment(database.db);
  await ensureAdminFromConfig(database.db, config);
  const app = createApp(ctx);
  const server = startServer(app, config);
  const scheme = config.tlsCert ? "https" : "http";
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const base = config.baseUrl ?? `${scheme}://${shownHost}:${server.port}`;
  log.info(`Loupe ${VERSION} ready in ${Math.round(performance.now() - started)} ms on ${database.driver === "postgres" ? "PostgreSQL" : `PGlite (${config.dataDir})`}`);
  const firstRun = (await countAccounts(database.db)) === 0;
  console.log(`\n  Open ${base}${firstRun ? `/setup to create the admin account` : ""}\n  Environment "${env.name}"${created ? " (created)" : ""}: ${env.id}\n\n  Paste this snippet into your pages:\n\n${snippetTag(base, env.id).replace(/^/gm, "    ")}\n`);

  // Commands on this machine (loupe demo) learn from it what this Loupe holds, whatever its data dir.
  const forget = announceLocalServer(`${scheme}://${shownHost === "localhost" ? "127.0.0.1" : shownHost}:${server.port}`);
  let stopping: Promise<number> | null = null;
  const stop = (signal: string) => {
    forget();
    stopping ??= shutdown(signal, server, ctx).then((code) => process.exit(code));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}
