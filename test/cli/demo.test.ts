// `loupe demo` against a real Loupe: the real CLI process, real HTTP, the real database.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chooseEnvironment, runDemo } from "../../src/cli/demo";
import { PLACES } from "../../src/cli/demo-catalog";
import { newDevice as demoDevice, newPerson, planVisit, step, visitLength } from "../../src/cli/demo-traffic";
import { createEnvironment } from "../../src/environments/environments";
import { GeoLookup } from "../../src/ingest/geo";
import { announceLocalServer } from "../../src/ops/local-servers";
import { startTestApp, type TestApp } from "../helpers/app";
import { driver, freshPostgresUrl } from "../helpers/db";
import { childEnv, freePort, REPO_ROOT, startAndWait } from "../helpers/process";
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

test("runDemo stops by itself after --minutes, every event stored once, every session located", async () => {
  const env = await createEnvironment(t.ctx.db, "Demo minutes");
  const stats = await runDemo({ url: t.url, envId: env.id, rate: 30, minutes: 2 / 60 });
  // It ended: beside the opening history (visits already under way at start), two seconds at 30 events/s.
  expect(stats.history).toBeGreaterThan(20);
  expect(stats.events - stats.history).toBeLessThanOrEqual(30 * 2 * 2);
  expect(stats.failed).toBe(0);
  const stored = await storedEvents(t.ctx.db, env.id);
  expect(stored.length).toBe(stats.events); // every event sent was acknowledged and stored once
  // Sent from this machine on behalf of people elsewhere: a plain start (no proxy trusted) locates them.
  const sessions = (await storedSessions(t.ctx.db, env.id)).filter((x) => x.source !== "server");
  expect(sessions.length).toBeGreaterThan(3);
  expect(sessions.filter((x) => !x.country)).toEqual([]);
}, 60_000);

test("bad arguments and an unreachable Loupe are clear usage errors", async () => {
  const run = async (...args: string[]) => {
    const p = Bun.spawn([BUN, MAIN, "demo", ...args], { stdout: "pipe", stderr: "pipe" });
    return { code: await p.exited, err: await new Response(p.stderr).text() };
  };
  expect(await run("--rate", "fast", "--env", "1")).toEqual({ code: 2, err: expect.stringContaining("--rate must be a number") });
  expect(await run("--url", "ftp://x", "--env", "1")).toEqual({ code: 2, err: expect.stringContaining("--url must be an http(s):// URL") });
  expect(await run("--url", "http://127.0.0.1:9", "--env", "1")).toEqual({ code: 2, err: expect.stringContaining("no Loupe answers at http://127.0.0.1:9") });
}, 30_000);

test("demo sessions look like people: minutes long, a page viewed before its clicks, fields changed before the submit", () => {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const lengths: number[] = [];
  for (let i = 0; i < 300; i++) {
    const person = newPerson(rand, i);
    const v = planVisit(rand, person, demoDevice(rand, i % 3 === 0 ? "ios" : "web"), { signup: i % 5 === 0 }, 0);
    lengths.push(visitLength(v));
    const messages: Record<string, any>[] = [];
    while (v.next < v.actions.length) messages.push(...step(rand, v, "env").messages);
    const events = messages.filter((m) => m.kind === "event");
    for (let k = 1; k < events.length; k++) expect(events[k].time).toBeGreaterThanOrEqual(events[k - 1].time);
    if (v.device.source !== "web") continue;
    const viewed = new Set<string>();
    for (const e of events) {
      if (e.type === "pageview") viewed.add(e.page.path);
      else if (["click", "change", "submit"].includes(e.type)) expect(`${e.type} on ${e.page.path} after a view: ${viewed.has(e.page.path)}`).toEndWith("true");
    }
    const submit = events.findIndex((e) => e.type === "submit");
    if (submit >= 0) {
      const changes = events.map((e, k) => (e.type === "change" ? k : -1)).filter((k) => k >= 0);
      expect(changes.length).toBe(3);
      expect(Math.max(...changes)).toBeLessThan(submit);
      expect(events[submit].time - events[changes[0]].time).toBeGreaterThan(5000); // typing takes a while
    }
  }
  lengths.sort((a, b) => a - b);
  expect(lengths[Math.floor(lengths.length / 2)]).toBeGreaterThan(60_000);
  expect(lengths[Math.floor(lengths.length * 0.9)]).toBeGreaterThan(150_000);
});

test("every demo person's address is located in their country by the embedded database", () => {
  const geo = new GeoLookup(undefined);
  for (const place of PLACES) {
    for (let last = 1; last < 255; last++) {
      const ip = place.ip.replace(/\d+$/, String(last));
      expect(`${ip} ${geo.lookup(ip)?.country}`).toBe(`${ip} ${place.country}`);
    }
  }
});

test("the demo learns the environment from a Loupe on this machine, checks --env, and says what to do otherwise", async () => {
  const dir = await mkdtemp(join(tmpdir(), "loupe-local-"));
  try {
    await expect(chooseEnvironment(t.url, undefined, dir)).rejects.toThrow("pass --env ID");
    const forget = announceLocalServer(t.url, dir);
    const chosen = await chooseEnvironment(t.url, undefined, dir);
    expect(chosen.id).toBe(t.env.id); // the first environment; the others are listed
    expect(chosen.others.map((e) => e.name)).toContain("Demo minutes");
    forget();
    await expect(chooseEnvironment(t.url, undefined, dir)).rejects.toThrow("pass --env ID");
    expect((await chooseEnvironment(t.url, t.env.id, dir)).id).toBe(t.env.id);
    await expect(chooseEnvironment(t.url, "no-such-env", dir)).rejects.toThrow(`no environment no-such-env on ${t.url}`);
    // The route answers only the token of this process's note.
    expect((await fetch(`${t.url}/api/local/environments`)).status).toBe(401);
    expect((await fetch(`${t.url}/api/local/environments`, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 30_000);

test("`loupe demo --url` finds the environment of a Loupe serving another data dir (the real CLI, twice)", async () => {
  const home = await mkdtemp(join(tmpdir(), "loupe-demo-cli-"));
  const port = freePort();
  const pg = driver === "postgres" ? await freshPostgresUrl() : null;
  // Both processes share only the OS user's temporary folder, as two terminals of one person do.
  const common = { TMPDIR: home, HOST: "127.0.0.1", LOUPE_LOG_LEVEL: "warn" };
  const server = await startAndWait([BUN, MAIN, "serve"], { port, cwd: REPO_ROOT, timeoutMs: 120_000, env: childEnv({ ...common, PORT: String(port), LOUPE_DATA_DIR: join(home, "server-data"), DATABASE_URL: pg?.url }) });
  try {
    const demo = Bun.spawn([BUN, MAIN, "demo", "--url", server.url, "--minutes", "0.05"], { stdout: "pipe", stderr: "pipe", env: childEnv({ ...common, LOUPE_DATA_DIR: join(home, "elsewhere") }) });
    expect(await demo.exited).toBe(0);
    const out = await new Response(demo.stdout).text();
    expect(out).toMatch(/demo: sending ~5 events\/s to http:\/\/127\.0\.0\.1:\d+ \(environment "My product" \d+\)/);
    expect(out).toMatch(/demo: done: \d+ events in \d+ requests \(0 failed\)/);
  } finally {
    await server.stop();
    await pg?.drop();
    await rm(home, { recursive: true, force: true });
  }
}, 180_000);
