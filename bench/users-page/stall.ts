// PGlite is one connection: does a slow Users-page query delay ingestion acknowledgements? Measures the
// latency of small committed writes (what an ingest ack waits for) while idle and while slow list queries run.
// PGlite executes in WebAssembly on the main thread, so a running query also blocks the event loop.
import { sql } from "drizzle-orm";
import type { Database } from "../../src/db/client";
import { withWritePriority } from "../../src/db/priority";
import { DEFAULT_VIEW, type UsersView } from "../../src/filters/view";
import { listUsers, type ListEnv } from "../../src/users/list";

async function writeLatencies(database: Database, env: ListEnv, ms: number): Promise<number[]> {
  const out: number[] = [];
  const until = performance.now() + ms;
  // A write is "due" every 5 ms, like ingest requests arriving; its latency runs from when it was due to its
  // commit, so time the event loop spends blocked (PGlite runs queries synchronously in WebAssembly) counts.
  while (performance.now() < until) {
    const due = performance.now() + 5;
    await Bun.sleep(5);
    // Marked like the ingest batch writer's commits, so it goes ahead of queued reads.
    await withWritePriority(() =>
      database.db.transaction(async (tx) => {
        await tx.execute(sql`update environments set settings = settings where id = ${env.id}`);
      }),
    );
    out.push(performance.now() - due);
  }
  return out.sort((a, b) => a - b);
}

const READERS = 4;

const stats = (xs: number[]) => `n ${xs.length}, p50 ${xs[Math.floor(xs.length / 2)].toFixed(1)} ms, p95 ${xs[Math.floor(xs.length * 0.95)].toFixed(1)} ms, max ${xs[xs.length - 1].toFixed(1)} ms`;

export async function measureIngestStall(database: Database, env: ListEnv): Promise<void> {
  const idle = await writeLatencies(database, env, 2000);
  const slow: UsersView = {
    ...DEFAULT_VIEW, timeline: { kind: "all" }, sort: "events",
    groups: [[{ k: "eprop", e: { raw: "pageview" }, key: "path", op: "contains", v: "/pricing" }], [{ k: "user", s: "custom", key: "email", op: "contains", v: ".com" }]],
  };
  let running = true;
  const queryTimes: number[] = [];
  // Several readers at once, as with a few open dashboards and the live hub re-reading rows.
  const reader = async () => {
    while (running) {
      const t = performance.now();
      await listUsers(database.db, { env, view: slow });
      queryTimes.push(performance.now() - t);
      // PGlite resolves in microtasks: without a macrotask gap, back-to-back queries would starve timers.
      await Bun.sleep(1);
    }
  };
  const queries = Promise.all(Array.from({ length: READERS }, reader));
  const busy = await writeLatencies(database, env, 5000);
  running = false;
  await queries;
  console.log(`\n==== PGlite: write acknowledgements vs a slow Users-page query ====`);
  console.log(`    slow query (all time, sort by events, 2 filters) from ${READERS} concurrent readers: ${queryTimes.length} runs, mean ${(queryTimes.reduce((a, b) => a + b, 0) / queryTimes.length).toFixed(0)} ms`);
  console.log(`    committed write latency idle:        ${stats(idle)}`);
  console.log(`    committed write latency under query: ${stats(busy)}`);
}
