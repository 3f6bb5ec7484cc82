// `npm run bench -- users-page --scale small|medium|full [--driver postgres|pglite] [--reuse] [--iterations N] [--load-only|--stall-only]`
// Generates (or reuses) a data set, then measures the Users-page queries beside hand-written SQL.
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, queryRows, type Database } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";
import { createEnvironment } from "../../src/environments/environments";
import { SCALES, type Scale } from "./data";
import { checkDisk, loadDataSet } from "./load";
import { measureAll } from "./measure";
import { measureIngestStall } from "./stall";

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
}

export async function main(args: string[]): Promise<void> {
  const scale = (arg(args, "scale") ?? "small") as Scale;
  if (!SCALES[scale]) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(", ")}`);
  const driver = arg(args, "driver") ?? (process.env.DATABASE_URL ? "postgres" : "pglite");
  const iterations = Number(arg(args, "iterations") ?? (scale === "small" ? 20 : 30));
  const reuse = args.includes("--reuse");
  const loadOnly = args.includes("--load-only");
  console.log(`users-page benchmark: scale ${scale} (${SCALES[scale].users.toLocaleString()} users, ≈${SCALES[scale].events.toLocaleString()} events) on ${driver}`);

  let database: Database;
  let tempDir: string | undefined;
  if (driver === "postgres") {
    const base = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
    const name = `loupe_bench_${scale}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    const exists = (await admin`select 1 from pg_database where datname = ${name}`).length > 0;
    if (!reuse || !exists) {
      checkDisk("/", scale);
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.unsafe(`create database ${name}`);
    }
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    database = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
    if (!reuse || !exists) await prepare(database, scale);
  } else {
    const dir = mkdtempSync(join(tmpdir(), "loupe-bench-"));
    tempDir = dir;
    checkDisk(dir, scale);
    database = await openDatabase({ dataDir: dir });
    await prepare(database, scale);
  }
  if (!loadOnly) {
    const [env] = await queryRows<{ id: string; time_zone: string }>(database.db, sql`select id, time_zone from environments order by created_at limit 1`);
    if (!args.includes("--stall-only")) await measureAll(database, { id: env.id, timeZone: env.time_zone }, iterations);
    if (driver === "pglite") await measureIngestStall(database, { id: env.id, timeZone: env.time_zone });
  }
  await database.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}

async function prepare(database: Database, scale: Scale) {
  await migrate(database.db);
  const env = await createEnvironment(database.db, `Bench ${scale}`);
  const result = await loadDataSet(database, env.id, scale, Date.now());
  console.log(`loaded ${result.users.toLocaleString()} users, ${result.sessions.toLocaleString()} sessions, ${result.events.toLocaleString()} events in ${result.seconds.toFixed(0)} s`);
}
