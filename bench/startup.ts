// `npm run bench -- startup [--runs N] [--database-url URL]`: time from spawn to /readyz answering,
// and idle memory, for dist/loupe on PGlite and PostgreSQL, beside baselines measured in the same run.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { ensureBinary } from "../test/helpers/binary";
import { BUN, childEnv, freePort, median, REPO_ROOT, rssMb, startAndWait } from "../test/helpers/process";

const TARGETS = { pgliteReadyMs: 3000, postgresReadyMs: 500, pgliteRssMb: 300, postgresRssMb: 100 };
const IDLE_MS = 2000;

interface Row { name: string; readyMs: number[]; rssMb: number[]; target?: string; ok?: boolean }

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Starts `cmd` `runs` times (fresh port each), waits for `path`, idles, reads RSS, stops. */
async function measure(name: string, runs: number, cmd: string[], cwd: string, env: Record<string, string>, path = "/readyz"): Promise<Row> {
  const row: Row = { name, readyMs: [], rssMb: [] };
  for (let i = 0; i < runs; i++) {
    const port = freePort();
    const running = await startAndWait(cmd, { port, cwd, env: { ...env, PORT: String(port) }, path });
    row.readyMs.push(running.readyMs);
    await Bun.sleep(IDLE_MS);
    row.rssMb.push(rssMb(running.proc.pid));
    const code = await running.stop();
    if (code !== 0) throw new Error(`${name}: exited with ${code} on SIGTERM:\n${running.output()}`);
  }
  return row;
}

function print(rows: Row[], runs: number, binaryMb: number) {
  const fmt = (xs: number[], unit: string) => (xs.length ? `${Math.round(median(xs))} ${unit}` : "—");
  console.log(`\nstart-up to /readyz (median of ${runs}) and RSS after ${IDLE_MS / 1000} s idle; dist/loupe is ${binaryMb.toFixed(1)} MB\n`);
  console.log(`${"".padEnd(44)}${"ready".padStart(10)}${"idle RSS".padStart(11)}   target`);
  for (const r of rows) {
    const verdict = r.target ? `${r.target}  ${r.ok ? "ok" : "MISSED"}` : "";
    console.log(`${r.name.padEnd(44)}${fmt(r.readyMs, "ms").padStart(10)}${fmt(r.rssMb, "MB").padStart(11)}   ${verdict}`);
  }
  console.log(`\nall runs: ${rows.map((r) => `${r.name}: ${r.readyMs.map((t) => Math.round(t)).join("/")} ms`).join("; ")}`);
}

export async function main(args: string[]) {
  const runs = Number(option(args, "runs") ?? 3);
  const databaseUrl = option(args, "database-url") ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const binary = await ensureBinary();
  const work = mkdtempSync(join(tmpdir(), "loupe-bench-startup-"));
  const rows: Row[] = [];
  try {
    // The binary alone in an empty folder, as a user would run it.
    const binDir = join(work, "bin");
    mkdirSync(binDir);
    copyFileSync(binary, join(binDir, "loupe"));
    const loupe = [join(binDir, "loupe")];
    const base = { HOST: "127.0.0.1", LOUPE_LOG_LEVEL: "warn" };

    // Baselines: a compiled hello-world Bun.serve, and PGlite opening the same data dir with nothing else.
    writeFileSync(join(work, "hello.ts"), `Bun.serve({ hostname: "127.0.0.1", port: Number(process.env.PORT), fetch: () => new Response("ok") });\nprocess.on("SIGTERM", () => process.exit(0));\n`);
    const built = await Bun.build({ entrypoints: [join(work, "hello.ts")], compile: { outfile: join(work, "hello") }, minify: true });
    if (!built.success) throw new Error(`building the hello-world baseline failed: ${built.logs.join("\n")}`);
    rows.push(await measure("baseline: Bun.serve hello world (compiled)", runs, [join(work, "hello")], work, childEnv(base), "/"));

    const dataDir = join(work, "loupe-data");
    // Once per data dir; initdb's memory is returned some seconds later, so its RSS here is a peak.
    rows.push(await measure("loupe binary, PGlite, new data dir (initdb)", 1, loupe, work, childEnv({ ...base, LOUPE_DATA_DIR: dataDir })));

    writeFileSync(join(work, "pglite-open.ts"), [
      `import { PGlite } from ${JSON.stringify(join(REPO_ROOT, "node_modules/@electric-sql/pglite/dist/index.js"))};`,
      `const db = new PGlite({ dataDir: ${JSON.stringify(dataDir)} });`,
      `await db.query("select 1");`,
      `Bun.serve({ hostname: "127.0.0.1", port: Number(process.env.PORT), fetch: () => new Response("ok") });`,
      `process.on("SIGTERM", async () => { await db.close(); process.exit(0); });`,
    ].join("\n"));
    rows.push(await measure("baseline: bare PGlite open (bun, defaults)", runs, [BUN, join(work, "pglite-open.ts")], work, childEnv(base), "/"));

    const pglite = await measure("loupe binary, PGlite, reopen", runs, loupe, work, childEnv({ ...base, LOUPE_DATA_DIR: dataDir }));
    pglite.target = `< ${TARGETS.pgliteReadyMs} ms, < ${TARGETS.pgliteRssMb} MB`;
    pglite.ok = median(pglite.readyMs) < TARGETS.pgliteReadyMs && median(pglite.rssMb) < TARGETS.pgliteRssMb;
    rows.push(pglite);

    rows.push(await measure("npm start (bun src/main.ts), PGlite, reopen", runs, [BUN, "src/main.ts"], REPO_ROOT, childEnv({ ...base, LOUPE_DATA_DIR: dataDir })));

    // PostgreSQL: a database of its own, migrated by a first run that is not counted.
    const name = `loupe_bench_${Date.now().toString(36)}`;
    const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`CREATE DATABASE ${name}`);
    } catch (err) {
      console.error(`PostgreSQL at ${databaseUrl} unavailable (${(err as Error).message}); skipping the PostgreSQL rows`);
      await admin.end();
      print(rows, runs, statSync(binary).size / 2 ** 20);
      process.exitCode = rows.every((r) => r.ok !== false) ? 0 : 1;
      return;
    }
    try {
      const url = new URL(databaseUrl);
      url.pathname = `/${name}`;
      const env = childEnv({ ...base, DATABASE_URL: url.toString() });
      await measure("(first run on PostgreSQL: migrate)", 1, loupe, work, env);
      const pg = await measure("loupe binary, PostgreSQL", runs, loupe, work, env);
      pg.target = `< ${TARGETS.postgresReadyMs} ms, < ${TARGETS.postgresRssMb} MB`;
      pg.ok = median(pg.readyMs) < TARGETS.postgresReadyMs && median(pg.rssMb) < TARGETS.postgresRssMb;
      rows.push(pg);
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
    print(rows, runs, statSync(binary).size / 2 ** 20);
    process.exitCode = rows.every((r) => r.ok !== false) ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
