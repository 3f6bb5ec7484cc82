// `npm run bench -- replay [--seconds 20] [--uploads 2000] [--runs 3]` (PGlite; DATABASE_URL=… for PostgreSQL)
// Session replay, measured on a realistic recording: Chromium browses Loupe's own dashboard (real CSS,
// tables, live updates, full page navigations) with the snippet recording it through /api/replay.
//  1. compression: the recording's JSON bytes against what is stored (gzip level 6, as stored), with
//     gzip 9 and zstd beside it; bytes stored per recorded minute.
//  2. upload throughput: chunks/s and MB/s through POST /api/replay (gzip bodies as the recorder sends,
//     8 at a time), beside a bare INSERT of the same stored bytes into a copy of replay_chunks.
//  3. time to first frame of a 30-minute recording in the player (Chromium), beside the time to read the
//     whole recording; the player streams, so the first must not wait for the second.
// One process runs Loupe and the load: on a shared 2-core machine read the ratios, not the absolutes.
import { sql } from "drizzle-orm";
import { gzipSync, zstdCompressSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { queryRows } from "../../src/db/client";
import { recordings, replayChunks } from "../../src/db/schema";
import { parseUpload } from "../../src/replay/chunk";
import { storeChunk } from "../../src/replay/store";
import { startTestApp, type TestApp } from "../../test/helpers/app";
import { driver } from "../../test/helpers/db";
import { loginAs, type LoggedIn } from "../../test/helpers/auth";
import { launchBrowser } from "../../test/helpers/browser";
import { seedScenario, seedSession, seedUser, minutesAgo } from "../../test/helpers/fixtures";
import { inflate } from "../../test/helpers/replay";
import { HUMAN_BROWSER_ARGS } from "../../test/helpers/spa-site";
import { passThroughLiveSocket } from "../../test/helpers/live-socket";
import { median } from "../../test/helpers/process";

const option = (args: string[], name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const CONCURRENCY = 8;
const LONG_RECORDING_MIN = 30;
const TTFF_TARGET_MS = 1000;
const mb = (n: number) => (n / 1e6).toFixed(2);

type RrwebEvent = { type: number; timestamp: number; data: { source?: number } & Record<string, unknown> };

/** Chromium browses the dashboard for `seconds` with the snippet recording; returns the stored chunks' events. */
async function recordDashboard(t: TestApp, login: LoggedIn, browser: Browser, seconds: number) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  await login.addToBrowser(context);
  await passThroughLiveSocket(context);
  // The dashboard's CSP allows scripts from Loupe itself: the snippet is added as a script of its own.
  await context.addInitScript((envId: string) => {
    (window as unknown as { loupe: unknown[] }).loupe = [["load", envId, { replay: true, batchInterval: 500 }]];
    document.addEventListener("DOMContentLoaded", () => {
      const s = document.createElement("script");
      s.src = "/loupe.js";
      document.head.appendChild(s);
    });
  }, t.env.id);
  const page = await context.newPage();
  const until = Date.now() + seconds * 1000;
  const users = `${t.url}/e/${t.env.id}/users`;
  await page.goto(users);
  for (let round = 0; Date.now() < until; round++) {
    for (let i = 0; i < 40; i++) await page.mouse.move(100 + ((i * 31 + round * 17) % 1100), 120 + ((i * 47) % 600), { steps: 2 });
    await page.mouse.wheel(0, 400);
    await page.mouse.wheel(0, -300);
    const expand = page.locator("button[aria-expanded]").nth(round % 5);
    if (await expand.count()) await expand.click().catch(() => {});
    if (round % 3 === 2) {
      const link = page.locator("a.btn.small", { hasText: "View sessions" }).nth(round % 4);
      if (await link.count()) {
        await link.click();
        await page.waitForLoadState("domcontentloaded");
        await page.goBack();
      }
    }
  }
  // Page hide sends the rest (beacon); then wait until nothing new arrives.
  await page.goto("about:blank");
  await context.close();
  let last = -1;
  for (;;) {
    await Bun.sleep(1500);
    const [r] = await queryRows<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from replay_chunks where env_id = ${t.env.id}`);
    if (r.n === last) break;
    last = r.n;
  }
  const rows = await t.ctx.db.select().from(replayChunks).where(sql`${replayChunks.envId} = ${t.env.id}`).orderBy(replayChunks.sessionId, replayChunks.seq);
  return rows;
}

/** A 30-minute recording: the realistic first page, then its pointer, scroll and input activity repeated in 5-s chunks. */
function longRecording(first: RrwebEvent[], activity: RrwebEvent[], start: number): RrwebEvent[][] {
  const chunks: RrwebEvent[][] = [];
  const base = first[0].timestamp;
  chunks.push(first.map((e) => ({ ...e, timestamp: start + (e.timestamp - base) })));
  const moves = activity.filter((e) => e.type === 3 && [1, 2, 3, 5, 6].includes(e.data.source ?? -1));
  const span = Math.max(1, moves[moves.length - 1].timestamp - moves[0].timestamp);
  const CHUNK = 5000;
  for (let at = CHUNK; at < LONG_RECORDING_MIN * 60_000; at += CHUNK) {
    const from = (at % span);
    const window = moves.filter((e) => e.timestamp - moves[0].timestamp >= from && e.timestamp - moves[0].timestamp < from + CHUNK);
    const use = window.length ? window : moves.slice(0, 20);
    chunks.push(use.map((e) => ({ ...e, timestamp: start + at + ((e.timestamp - use[0].timestamp) % CHUNK) })));
  }
  return chunks;
}

export async function main(args: string[]) {
  const seconds = option(args, "seconds", 20);
  const uploads = option(args, "uploads", 2000);
  const runs = option(args, "runs", 3);
  const t = await startTestApp({ LOUPE_RATE_LIMIT: "0" });
  const login = await loginAs(t);
  const browser = await launchBrowser(HUMAN_BROWSER_ARGS);
  if (!browser) throw new Error("the replay benchmark needs Chromium");
  try {
    await seedScenario(t.ctx.db, t.env.id);
    for (let i = 0; i < 60; i++) {
      const u = await seedUser(t.ctx.db, t.env.id, { identity: `user${i}@acme.test`, properties: { plan: ["free", "pro", "team"][i % 3], company: `Company ${i}` }, lastSeen: minutesAgo(i * 7) });
      await seedSession(t.ctx.db, t.env.id, { userId: u.id, startedAt: minutesAgo(i * 7 + 5), landingPage: `/docs/page-${i}` });
    }
    console.log(`driver: ${driver}; recording Loupe's dashboard in Chromium for ${seconds} s …`);
    const rows = await recordDashboard(t, login, browser, seconds);
    const events = rows.map((r) => inflate(r.data) as RrwebEvent[]);
    const all = events.flat();
    const rawBytes = rows.reduce((n, r) => n + r.rawBytes, 0);
    const stored = rows.reduce((n, r) => n + r.data.byteLength, 0);
    const json = Buffer.from(JSON.stringify(all));
    const minutes = (Math.max(...all.map((e) => e.timestamp)) - Math.min(...all.map((e) => e.timestamp))) / 60_000;
    const time = (f: () => unknown) => { const t0 = performance.now(); for (let i = 0; i < 5; i++) f(); return (performance.now() - t0) / 5; };
    const chunkTexts = events.map((e) => Buffer.from(JSON.stringify(e)));
    const g6 = time(() => chunkTexts.forEach((b) => gzipSync(b, { level: 6 })));
    const g9 = time(() => chunkTexts.forEach((b) => gzipSync(b, { level: 9 })));
    const z3 = time(() => chunkTexts.forEach((b) => zstdCompressSync(b)));
    const sum = (f: (b: Buffer) => number) => chunkTexts.reduce((n, b) => n + f(b), 0);
    console.log(`\n1. Compression (the realistic recording: ${rows.length} chunks, ${all.length} events, ${minutes.toFixed(2)} recorded minutes, ${new Set(rows.map((r) => r.windowId)).size} tab(s))`);
    console.log(`   JSON ${mb(rawBytes)} MB → stored ${mb(stored)} MB: ratio ${(rawBytes / stored).toFixed(1)}× (gzip 6, per chunk)`);
    console.log(`   same chunks: gzip 9 ${(rawBytes / sum((b) => gzipSync(b, { level: 9 }).byteLength)).toFixed(1)}× in ${(g9 / g6).toFixed(1)}× the time; zstd 3 ${(rawBytes / sum((b) => zstdCompressSync(b).byteLength)).toFixed(1)}× in ${(z3 / g6).toFixed(1)}× the time; whole recording as one gzip 6: ${(json.byteLength / gzipSync(json).byteLength).toFixed(1)}×`);
    console.log(`   bytes stored per recorded minute: ${(stored / minutes / 1024).toFixed(0)} KiB`);

    // 2. Upload throughput.
    const gzBodies: Uint8Array[] = [];
    const sessionsForUpload: { userId: number; sessionId: number }[] = [];
    for (let i = 0; i < 50; i++) {
      const u = await seedUser(t.ctx.db, t.env.id);
      const s = await seedSession(t.ctx.db, t.env.id, { userId: u.id });
      sessionsForUpload.push({ userId: u.id, sessionId: s.id });
    }
    const incremental = events.slice(1);
    const bodyFor = (i: number) => {
      const s = sessionsForUpload[i % sessionsForUpload.length];
      return gzipSync(JSON.stringify({ envId: t.env.id, userId: String(s.userId), sessionId: String(s.sessionId), windowId: "bench", chunkId: crypto.randomUUID(), sentAt: Date.now(), events: incremental[i % incremental.length] }));
    };
    for (let i = 0; i < uploads; i++) gzBodies.push(bodyFor(i));
    await queryRows(t.ctx.db, sql`create table replay_chunks_bare (like replay_chunks including all)`);
    const samples: { route: number; bare: number; mbs: number; rawMbs: number }[] = [];
    for (let run = 0; run < runs; run++) {
      let next = 0, bodyBytes = 0;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < uploads; i = next++) {
          const body = run === 0 ? gzBodies[i] : bodyFor(i); // fresh chunk ids after the first run
          bodyBytes += body.byteLength;
          const res = await fetch(`${t.url}/api/replay`, { method: "POST", body: body as Uint8Array<ArrayBuffer>, headers: { "user-agent": "bench" } });
          if (res.status !== 200) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
          await res.arrayBuffer();
        }
      }));
      const routeS = (performance.now() - t0) / 1000;
      // The bare insert: the same stored rows, one INSERT each, as many at a time.
      const data = await t.ctx.db.select().from(replayChunks).where(sql`${replayChunks.windowId} = 'bench'`).orderBy(sql`received_at desc`).limit(uploads);
      let k = 0;
      const t1 = performance.now();
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        for (let i = k++; i < data.length; i = k++) {
          const r = data[i];
          await t.ctx.db.execute(sql`insert into replay_chunks_bare (env_id, session_id, seq, started_at, ended_at, data, chunk_id, window_id, event_count, raw_bytes, full_snapshot)
            values (${r.envId}, ${r.sessionId}, ${run * uploads + i}, ${r.startedAt}, ${r.endedAt}, ${r.data}, ${crypto.randomUUID()}, ${r.windowId}, ${r.eventCount}, ${r.rawBytes}, ${r.fullSnapshot})`);
        }
      }));
      const bareS = (performance.now() - t1) / 1000;
      const rawTotal = data.reduce((n, r) => n + r.rawBytes, 0);
      samples.push({ route: uploads / routeS, bare: data.length / bareS, mbs: bodyBytes / 1e6 / routeS, rawMbs: rawTotal / 1e6 / routeS });
    }
    const m = (f: (s: (typeof samples)[number]) => number) => median(samples.map(f));
    console.log(`\n2. Upload throughput (${uploads} chunks × ${runs} runs, ${CONCURRENCY} at a time, median)`);
    console.log(`   POST /api/replay: ${m((s) => s.route).toFixed(0)} chunks/s, ${m((s) => s.mbs).toFixed(2)} MB/s sent (gzip), ${m((s) => s.rawMbs).toFixed(2)} MB/s of recording JSON`);
    console.log(`   bare INSERT of the same stored rows: ${m((s) => s.bare).toFixed(0)} chunks/s → Loupe at ${(m((s) => s.route) / m((s) => s.bare) * 100).toFixed(0)}% of it`);

    // 3. Time to first frame of a 30-minute recording.
    const u = await seedUser(t.ctx.db, t.env.id);
    const long = await seedSession(t.ctx.db, t.env.id, { userId: u.id, startedAt: minutesAgo(LONG_RECORDING_MIN + 5) });
    const start = Date.now() - (LONG_RECORDING_MIN + 5) * 60_000;
    const chunks = longRecording(events[0], all, start);
    for (const c of chunks) {
      const up = parseUpload(JSON.stringify({ envId: t.env.id, userId: String(u.id), sessionId: String(long.id), windowId: "long", chunkId: crypto.randomUUID(), sentAt: Date.now(), events: c }));
      const r = await storeChunk(t.ctx.db, up);
      if (!r.stored) throw new Error(`30-minute recording: chunk dropped (${r.dropped})`);
    }
    const [rec] = await t.ctx.db.select().from(recordings).where(sql`${recordings.sessionId} = ${long.id}`);
    const frameUrl = `${t.url}/e/${t.env.id}/sessions/${long.id}/replay`;
    const ttff: number[] = [], loaded: number[] = [], fetchAll: number[] = [];
    for (let run = 0; run < runs; run++) {
      const t0 = performance.now();
      await (await login.fetch(`/e/${t.env.id}/sessions/${long.id}/replay/chunks`)).arrayBuffer();
      fetchAll.push(performance.now() - t0);
      const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
      await login.addToBrowser(context);
      const page = await context.newPage();
      await page.goto(frameUrl);
      await page.waitForFunction(() => (window as unknown as { __loupeLoadedMs?: number }).__loupeLoadedMs, null, { timeout: 120_000 });
      const timing = await page.evaluate(() => ({ first: (window as unknown as { __loupeFirstFrameMs: number }).__loupeFirstFrameMs, all: (window as unknown as { __loupeLoadedMs: number }).__loupeLoadedMs }));
      ttff.push(timing.first);
      loaded.push(timing.all);
      await context.close();
    }
    console.log(`\n3. The player on a ${LONG_RECORDING_MIN}-minute recording (${rec.chunks} chunks, ${mb(rec.bytes)} MB stored, ${mb(rec.rawBytes)} MB JSON; median of ${runs}, from navigation start)`);
    console.log(`   first frame: ${median(ttff).toFixed(0)} ms (target < ${TTFF_TARGET_MS} ms) — whole recording in the player: ${median(loaded).toFixed(0)} ms; reading the chunk stream alone (no player): ${median(fetchAll).toFixed(0)} ms`);
    console.log(`   bytes stored per recorded minute (30-minute recording): ${(rec.bytes / LONG_RECORDING_MIN / 1024).toFixed(0)} KiB`);
    console.log("\nThe machine is shared (2 cores, other engineers' tests and benchmarks): compare the ratios, not the absolutes.");
  } finally {
    await browser.close();
    await t.close();
  }
}
