// `npm run bench -- ingest [--runs 3] [--seconds 5] [--database-url URL] [--only postgres|pglite]`
// Sustained events/s through bulk /api/track (1000 events per request) and through single-event
// requests, against a Loupe server process, with the load client in a separate process at fixed
// concurrency; beside each, a raw COPY of the same rows into a copy of the events table
// (`CREATE TABLE … (LIKE events INCLUDING ALL)`) in the same run. Median of N runs; row counts verified.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { openDatabase } from "../../src/db/client";
import { BUN, childEnv, freePort, median, REPO_ROOT, startAndWait, type Running } from "../../test/helpers/process";

const MODES = { bulk: { concurrency: 4, batch: 1000 }, single: { concurrency: 32, batch: 1 } } as const;
type Mode = keyof typeof MODES;
const TARGET_BULK_VS_COPY = 0.5;
/** Long enough for the server's JIT, caches and connections to settle: a 1 s warm-up left run 1 lowest. */
const WARMUP_SECONDS = 3;
/** Untimed: events_copy starts each timed COPY holding the same rows as events did (indexes as large). */
const WARMUP_ROWS_TO_COPY = "insert into events_copy select * from events where name = 'warmup'";

interface ClientResult { requests: number; acknowledged: number; errors: number; lastError: string; seconds: number; p50: number; p99: number }
interface Sample { mode: Mode; name: string; run: number; client: ClientResult; eventsPerSec: number; copyRowsPerSec?: number; stored?: number }

const option = (args: string[], name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

async function startLoupe(env: Record<string, string>): Promise<{ running: Running; envId: string }> {
  const port = freePort();
  const running = await startAndWait([BUN, "src/main.ts", "serve"], {
    port, cwd: REPO_ROOT, timeoutMs: 120_000,
    env: childEnv({ ...env, PORT: String(port), HOST: "127.0.0.1", LOUPE_LOG_LEVEL: "warn", LOUPE_RATE_LIMIT: "0", LOUPE_MAX_BODY_BYTES: String(16 * 1024 * 1024) }),
  });
  for (let i = 0; i < 50; i++) {
    const m = /Environment ".*?"(?: \(created\))?: (\d+)/.exec(running.output());
    if (m) return { running, envId: m[1] };
    await Bun.sleep(20);
  }
  throw new Error(`could not read the environment id from the server output:\n${running.output()}`);
}

async function runClient(url: string, envId: string, mode: Mode, seconds: number, name: string): Promise<ClientResult> {
  const opts = { url, envId, mode, seconds, name, users: 200, ...MODES[mode] };
  const proc = Bun.spawn([BUN, join(import.meta.dir, "client.ts"), JSON.stringify(opts)], { cwd: REPO_ROOT, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`load client failed (${code}): ${err}`);
  const result = JSON.parse(out.trim().split("\n").pop()!) as ClientResult;
  if (result.errors > 0) console.warn(`  ${result.errors} failed requests (last: ${result.lastError})`);
  return result;
}

/**
 * COPY the rows one measurement stored into events_copy; rows/s of the COPY FROM alone. Server-side
 * files (needs superuser or pg_read/write_server_files, and the database on this machine): postgres.js
 * COPY FROM STDIN stalled intermittently here, and a server-side COPY is the fastest COPY there is.
 */
async function copyOnPostgres(pg: postgres.Sql, envId: string, name: string): Promise<{ rows: number; perSec: number }> {
  const file = join(tmpdir(), `loupe-bench-ingest-${process.pid}-${name}.copy`);
  await pg.unsafe(`copy (select * from events where env_id = '${envId}' and name = '${name}') to '${file}'`);
  const started = performance.now();
  await pg.unsafe(`copy events_copy from '${file}'`);
  const seconds = (performance.now() - started) / 1000;
  rmSync(file, { force: true });
  const [{ n }] = await pg.unsafe<{ n: number }[]>(`select count(*)::int as n from events where env_id = '${envId}' and name = '${name}'`);
  const [{ copied }] = await pg.unsafe<{ copied: number }[]>(`select count(*)::int as copied from events_copy where env_id = '${envId}' and name = '${name}'`);
  if (copied !== n) throw new Error(`COPY stored ${copied} of ${n} rows`);
  return { rows: n, perSec: n / seconds };
}

async function measure(label: string, url: string, envId: string, runs: number, seconds: number, afterRun: (s: Sample) => Promise<void>, afterWarmup: () => Promise<void> = async () => {}): Promise<Sample[]> {
  console.log(`\n${label}: warming up (${WARMUP_SECONDS} s per mode)…`);
  await runClient(url, envId, "bulk", WARMUP_SECONDS, "warmup");
  await runClient(url, envId, "single", WARMUP_SECONDS, "warmup");
  await afterWarmup();
  const samples: Sample[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const mode of Object.keys(MODES) as Mode[]) {
      const name = `bench-${mode}-${run}`;
      const client = await runClient(url, envId, mode, seconds, name);
      const s: Sample = { mode, name, run, client, eventsPerSec: client.acknowledged / client.seconds };
      await afterRun(s);
      samples.push(s);
      console.log(`  run ${run} ${mode.padEnd(6)} ${Math.round(s.eventsPerSec).toLocaleString("en").padStart(8)} events/s  p50 ${s.client.p50.toFixed(1)} ms  p99 ${s.client.p99.toFixed(1)} ms` +
        (s.copyRowsPerSec ? `  COPY ${Math.round(s.copyRowsPerSec).toLocaleString("en")} rows/s` : ""));
    }
  }
  return samples;
}

async function benchPostgres(baseUrl: string, runs: number, seconds: number): Promise<Sample[]> {
  const name = `loupe_bench_ingest_${Date.now().toString(36)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const { running, envId } = await startLoupe({ DATABASE_URL: url.toString() });
  const pg = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await pg.unsafe("create table events_copy (like events including all)");
    return await measure("PostgreSQL", running.url, envId, runs, seconds, async (s) => {
      const copy = await copyOnPostgres(pg, envId, s.name);
      s.stored = copy.rows;
      s.copyRowsPerSec = copy.perSec;
    }, () => pg.unsafe(WARMUP_ROWS_TO_COPY).then(() => {}));
  } finally {
    await pg.end();
    await running.stop();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function benchPglite(runs: number, seconds: number): Promise<Sample[]> {
  const dir = mkdtempSync(join(tmpdir(), "loupe-bench-ingest-"));
  try {
    const { running, envId } = await startLoupe({ LOUPE_DATA_DIR: dir });
    let samples: Sample[];
    try {
      samples = await measure("PGlite", running.url, envId, runs, seconds, async () => {});
    } finally {
      await running.stop();
    }
    // The server holds the data dir while it runs: counts and the COPY baseline come after it stops.
    const db = await openDatabase({ dataDir: dir });
    const lite = db.pglite!;
    await lite.exec("create table events_copy (like events including all)");
    await lite.exec(WARMUP_ROWS_TO_COPY);
    for (const s of samples) {
      const exported = await lite.query(`copy (select * from events where env_id = '${envId}' and name = '${s.name}') to '/dev/blob'`);
      const started = performance.now();
      await lite.query("copy events_copy from '/dev/blob'", [], { blob: exported.blob });
      const secs = (performance.now() - started) / 1000;
      const [{ n }] = (await lite.query<{ n: number }>(`select count(*)::int as n from events where env_id = '${envId}' and name = '${s.name}'`)).rows;
      s.stored = n;
      s.copyRowsPerSec = n / secs;
    }
    await db.close();
    return samples;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(driver: string, samples: Sample[]): boolean {
  let ok = true;
  for (const mode of Object.keys(MODES) as Mode[]) {
    const ss = samples.filter((s) => s.mode === mode);
    const rate = median(ss.map((s) => s.eventsPerSec));
    const copy = median(ss.map((s) => s.copyRowsPerSec ?? 0));
    // Each run's COPY is measured right after it, on the same machine state: the ratio is taken per run.
    const ratio = median(ss.map((s) => s.eventsPerSec / (s.copyRowsPerSec ?? Infinity)));
    const countsOk = ss.every((s) => s.stored === s.client.acknowledged);
    const line = `${driver.padEnd(11)}${mode.padEnd(8)}${String(MODES[mode].concurrency).padStart(5)}${Math.round(rate).toLocaleString("en").padStart(12)}` +
      `${Math.round(copy).toLocaleString("en").padStart(13)}${ratio.toFixed(2).padStart(8)}${median(ss.map((s) => s.client.p50)).toFixed(1).padStart(9)}` +
      `${median(ss.map((s) => s.client.p99)).toFixed(1).padStart(9)}   ${ss.map((s) => `${s.stored}/${s.client.acknowledged}`).join(" ")} ${countsOk ? "ok" : "MISMATCH"}`;
    console.log(line);
    if (!countsOk) ok = false;
    if (driver === "PostgreSQL" && mode === "bulk") {
      const met = ratio >= TARGET_BULK_VS_COPY;
      console.log(`${"".padEnd(19)}target: bulk ≥ ${TARGET_BULK_VS_COPY} × COPY → ${met ? "met" : "MISSED"}`);
    }
  }
  return ok;
}

export async function main(args: string[]) {
  const runs = Number(option(args, "runs") ?? 3);
  const seconds = Number(option(args, "seconds") ?? 5);
  const only = option(args, "only");
  const databaseUrl = option(args, "database-url") ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const results: [string, Sample[]][] = [];
  if (only !== "pglite") results.push(["PostgreSQL", await benchPostgres(databaseUrl, runs, seconds)]);
  if (only !== "postgres") results.push(["PGlite", await benchPglite(runs, seconds)]);
  console.log(`\ningest throughput, median of ${runs} runs of ${seconds} s (load client in its own process; COPY = raw COPY of the same rows into events_copy; ratio = median of the per-run events/s ÷ COPY rows/s)\n`);
  console.log(`${"driver".padEnd(11)}${"mode".padEnd(8)}${"conc".padStart(5)}${"events/s".padStart(12)}${"COPY rows/s".padStart(13)}${"ratio".padStart(8)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}   stored/acknowledged per run`);
  let ok = true;
  for (const [driver, samples] of results) ok = report(driver, samples) && ok;
  if (!ok) process.exitCode = 1;
}
