// `loupe demo` against a real Loupe: the real CLI process, real HTTP, the real database.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { firstEnvironmentId, runDemo } from "../../src/cli/demo";
import { loadConfig } from "../../src/config";
import { openDatabase } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";
import { createEnvironment } from "../../src/environments/environments";
import { startTestApp, type TestApp } from "../helpers/app";
import { driver } from "../helpers/db";
import { eventually } from "../helpers/spa-site";
import { storedEvents, storedSessions, storedUsers } from "../helpers/stored";
import { queryRows } from "../../src/db/client";
import { sql } from "drizzle-orm";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const BUN = process.execPath;

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); }, 60_000);
afterAll(async () => { await t?.close(); }, 60_000);

async function living(envId: string) {
  const [events, sessions, users] = await Promise.all([storedEvents(t.ctx.db, envId), storedSessions(t.ctx.db, envId), storedUsers(t.ctx.db, envId)]);
  const merges = await queryRows<{ into_user_id: string }>(t.ctx.db, sql`select into_user_id::text from identity_merges where env_id = ${envId}`);
  const sourcesOf = (userId: number) => new Set(sessions.filter((s) => s.userId === userId).map((s) => s.source));
  return {
    eventSources: [...new Set(events.map((e) => e.source))].sort(),
    sessionSources: [...new Set(sessions.map((s) => s.source))].sort(),
    types: new Set(events.map((e) => e.type)),
    anonymous: users.filter((u) => !u.identity).length,
    /** Identified users who were merged into and now have sessions from more than one device kind. */
    mergedAcrossDevices: users.filter((u) => u.identity && merges.some((m) => m.into_user_id === String(u.id)) && sourcesOf(u.id).size >= 2).length,
  };
}
// (Server events join the user's open session, so "server" sessions appear only for users without one.)
const alive = (l: Awaited<ReturnType<typeof living>>) =>
  l.eventSources.join() === "android,ios,server,web" && ["android", "ios", "web"].every((x) => l.sessionSources.includes(x)) && l.mergedAcrossDevices >= 1 && l.anonymous >= 1 &&
  ["pageview", "click", "change", "submit", "custom", "screen_view", "touch", "app_open"].every((x) => l.types.has(x));

test("`loupe demo` brings a Loupe to life within seconds and stops cleanly on Ctrl-C", async () => {
  const proc = Bun.spawn([BUN, MAIN, "demo", "--url", t.url, "--env", t.env.id, "--rate", "20"], { stdout: "pipe", stderr: "pipe", env: { ...process.env, LOUPE_LOG_LEVEL: "warn" } });
  try {
    const state = await eventually(() => living(t.env.id), alive, "web, iOS, Android and server traffic with a user merged across devices", 25_000, (l) => ({ ...l, types: [...l.types] }));
    expect(state.mergedAcrossDevices).toBeGreaterThanOrEqual(1);
  } finally {
    proc.kill("SIGINT");
  }
  expect(await proc.exited).toBe(0);
  const out = await new Response(proc.stdout).text();
  expect(out).toContain(`demo: sending ~20 events/s to ${t.url} (environment ${t.env.id}) until Ctrl-C`);
  expect(out).toMatch(/demo: done: \d+ events in \d+ requests \(0 failed\)/);
}, 60_000);

test("runDemo stops by itself after --minutes and reports what it sent", async () => {
  const env = await createEnvironment(t.ctx.db, "Demo minutes");
  const stats = await runDemo({ url: t.url, envId: env.id, rate: 30, minutes: 2 / 60 });
  // It ended: two seconds at 30 events/s, not a demo that kept going.
  expect(stats.events).toBeLessThanOrEqual(30 * 2 * 2);
  expect(stats.failed).toBe(0);
  expect(stats.events).toBeGreaterThan(20);
  const stored = await storedEvents(t.ctx.db, env.id);
  expect(stored.length).toBe(stats.events); // every event sent was acknowledged and stored once
}, 30_000);

test("bad arguments and an unreachable Loupe are clear usage errors", async () => {
  const run = async (...args: string[]) => {
    const p = Bun.spawn([BUN, MAIN, "demo", ...args], { stdout: "pipe", stderr: "pipe" });
    return { code: await p.exited, err: await new Response(p.stderr).text() };
  };
  expect(await run("--rate", "fast", "--env", "1")).toEqual({ code: 2, err: expect.stringContaining("--rate must be a number") });
  expect(await run("--url", "ftp://x", "--env", "1")).toEqual({ code: 2, err: expect.stringContaining("--url must be an http(s):// URL") });
  expect(await run("--url", "http://127.0.0.1:9", "--env", "1")).toEqual({ code: 2, err: expect.stringContaining("no Loupe answers at http://127.0.0.1:9") });
}, 30_000);

test("without --env the demo picks the first environment from the configured database", async () => {
  if (driver === "postgres") {
    const id = await firstEnvironmentId(loadConfig({ DATABASE_URL: t.database.url! }));
    expect(id).toBe(t.env.id);
    return;
  }
  // PGlite: a data dir a running Loupe may hold; the demo reads a copy, never the live folder.
  const dir = await mkdtemp(join(tmpdir(), "loupe-demo-test-"));
  try {
    const db = await openDatabase({ dataDir: dir });
    await migrate(db.db);
    const env = await createEnvironment(db.db, "First");
    await createEnvironment(db.db, "Second");
    const id = await firstEnvironmentId(loadConfig({ LOUPE_DATA_DIR: dir }));
    await db.close();
    expect(id).toBe(env.id);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
