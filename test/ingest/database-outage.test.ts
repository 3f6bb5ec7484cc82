// PostgreSQL going away under load, on a cluster of this test's own (test/helpers/pg-cluster.ts; the
// suite's shared server is never touched): ingest answers 503 + Retry-After within ~2 s and never
// acknowledges what it did not store, /readyz says 503 at once, dashboard pages get an HTML 503, the
// process keeps serving, and everything recovers by itself once the database is back. Runs in the
// PostgreSQL run only (PGlite lives inside the process: it cannot go away on its own).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import postgres from "postgres";
import { driver } from "../helpers/db";
import { startLoad } from "../helpers/load";
import { clusterAvailable, startCluster, type Cluster } from "../helpers/pg-cluster";
import { BUN, childEnv, freePort, REPO_ROOT, startAndWait, type Running } from "../helpers/process";

setDefaultTimeout(120_000);
const run = driver === "postgres" && clusterAvailable();

let cluster: Cluster;
let loupe: Running;
let envId: string;
beforeAll(async () => {
  if (!run) return;
  cluster = await startCluster();
  const port = freePort();
  loupe = await startAndWait([BUN, "src/main.ts"], { port, cwd: REPO_ROOT, env: childEnv({ DATABASE_URL: cluster.url, PORT: String(port), HOST: "127.0.0.1", LOUPE_LOG_LEVEL: "warn", LOUPE_RATE_LIMIT: "0" }) });
  envId = /Environment .*?: (\d+)/.exec(loupe.output())![1];
});
afterAll(async () => {
  if (!run) return;
  await loupe?.stop();
  await cluster?.destroy();
});

const timed = async (path: string, headers: Record<string, string> = {}) => {
  const started = performance.now();
  const res = await fetch(`${loupe.url}${path}`, { headers, redirect: "manual", signal: AbortSignal.timeout(10_000) });
  return { res, body: await res.text(), ms: performance.now() - started };
};

describe.if(run)("PostgreSQL stops under load (a cluster of the test's own)", () => {
  test("503 + Retry-After within ~2 s, nothing unstored acknowledged, the process survives and recovers", async () => {
    const load = startLoad(loupe.url, envId, { workers: 12, timeoutMs: 15_000 });
    await load.answered(100);
    const stoppedAt = performance.now();
    await cluster.stop("fast");
    const downAt = performance.now();
    // Sentinel: the first 503 of a request sent after the database was down.
    while (!load.answers.some((a) => a.sentAt > downAt && a.status === 503)) await load.answered(1);

    const ready = await timed("/readyz");
    expect(ready.res.status).toBe(503);
    expect(ready.res.headers.get("retry-after")).toBeTruthy();
    expect(ready.ms).toBeLessThan(2000);
    const page = await timed("/login", { accept: "text/html" });
    expect(page.res.status).toBe(503);
    expect(page.res.headers.get("content-type")).toContain("text/html");
    expect(page.body).toContain("Database unavailable");
    expect((await timed("/healthz")).res.status).toBe(200);

    // A while down under load: every answer is 200 (committed before) or 503 with Retry-After, promptly.
    await load.answered(200);
    const during = load.answers.filter((a) => a.sentAt > downAt);
    expect(during.length).toBeGreaterThan(100);
    for (const a of during) {
      expect(a.status).toBe(503);
      expect(a.retryAfter).not.toBeNull();
      expect(a.doneAt - a.sentAt).toBeLessThan(2500);
    }
    expect(loupe.proc.exitCode).toBeNull();

    const restartedAt = performance.now();
    await cluster.start();
    const upAt = performance.now();
    while (!load.answers.some((a) => a.sentAt > upAt && a.status === 200)) await load.answered(1);
    const firstOk = load.answers.find((a) => a.sentAt > upAt && a.status === 200)!;
    const recoveryMs = firstOk.doneAt - upAt;
    await load.stop();
    console.log(`outage: stop took ${Math.round(downAt - stoppedAt)} ms; ${during.length} answers while down (all 503, slowest ${Math.round(Math.max(...during.map((a) => a.doneAt - a.sentAt)))} ms); restart took ${Math.round(upAt - restartedAt)} ms; first 200 ${Math.round(recoveryMs)} ms after the database was back`);
    expect(recoveryMs).toBeLessThan(10_000);
    expect((await timed("/readyz")).res.status).toBe(200);

    const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
    const stored = new Set((await sql`select id::text as id from events`).map((r) => r.id as string));
    await sql.end();
    const missing = [...load.acked].filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    // No request ended in a 500 (app.onError logs each as "unhandled error").
    expect(loupe.output()).not.toContain("unhandled error");
  });
});
