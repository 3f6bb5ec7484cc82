// Durability of a real Loupe process (bun src/main.ts) under ingest load, on this run's driver
// (test/ingest/durability.test.ts covers concurrency inside one process): SIGTERM answers every request
// in flight when it arrives, closes live sockets with 1001 and exits 0 within 10 s; after kill -9 and a
// restart, every acknowledged event is stored.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { SESSION } from "../../src/auth/sessions";
import { openDatabase, queryRows } from "../../src/db/client";
import { SHUTDOWN_MS } from "../../src/cli/shutdown";
import { driver, freshPostgresUrl } from "../helpers/db";
import { startLoad } from "../helpers/load";
import { BUN, childEnv, freePort, REPO_ROOT, startAndWait, type Running } from "../helpers/process";
import { liveClient } from "../helpers/ws-client";

setDefaultTimeout(120_000);

const ADMIN = { email: "admin@loupe.test", password: "correct horse battery staple" };
let folder: string;
let env: Record<string, string>;
let dropDatabase = async () => {};

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "loupe-durability-"));
  env = childEnv({ HOST: "127.0.0.1", LOUPE_LOG_LEVEL: "warn", LOUPE_DATA_DIR: join(folder, "data"), LOUPE_ADMIN_EMAIL: ADMIN.email, LOUPE_ADMIN_PASSWORD: ADMIN.password, LOUPE_RATE_LIMIT: "0" });
  if (driver === "postgres") {
    const fresh = await freshPostgresUrl();
    env.DATABASE_URL = fresh.url;
    dropDatabase = fresh.drop;
  }
});

afterAll(async () => {
  await dropDatabase();
  rmSync(folder, { recursive: true, force: true });
});

async function serve(): Promise<{ loupe: Running; envId: string }> {
  const port = freePort();
  const loupe = await startAndWait([BUN, "src/main.ts"], { port, cwd: REPO_ROOT, env: { ...env, PORT: String(port) }, timeoutMs: 90_000 });
  // The first run prints the environment it created; later runs print the same id.
  const envId = /Environment .*?: (\d+)/.exec(loupe.output())?.[1];
  if (!envId) throw new Error(`no environment id in the output:\n${loupe.output()}`);
  return { loupe, envId };
}

/** Which of `ids` the database holds (opened after Loupe exited: on PGlite, the data dir is free again). */
async function storedOf(ids: Set<string>): Promise<Set<string>> {
  const database = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL, poolSize: 1 } : { dataDir: env.LOUPE_DATA_DIR });
  try {
    const rows = await queryRows<{ id: string }>(database.db, sql`select id::text as id from events`);
    const all = new Set(rows.map((r) => r.id));
    return new Set([...ids].filter((id) => all.has(id)));
  } finally {
    await database.close();
  }
}

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/login`, { method: "POST", redirect: "manual", headers: { origin: url, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(ADMIN) });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION.cookieName}=`));
  if (!cookie) throw new Error(`login failed: ${res.status}`);
  return cookie.split(";")[0];
}

describe(`a Loupe process under load (${driver})`, () => {
  test("SIGTERM: every request in flight is answered (200 or 503), live sockets get 1001, exit 0 within 10 s", async () => {
    const { loupe, envId } = await serve();
    const socket = liveClient(`${loupe.url}/live`, { origin: loupe.url, cookie: await login(loupe.url) });
    expect(await socket.opened).toBe(true);
    const load = startLoad(loupe.url, envId, { workers: 12, stopOnRefused: true });
    await load.answered(60);
    const signalled = performance.now();
    loupe.proc.kill("SIGTERM");
    const code = await loupe.proc.exited;
    const stoppedMs = performance.now() - signalled;
    await load.stop();
    const closed = await socket.closed;
    console.log(`SIGTERM (${driver}): exit ${code} after ${Math.round(stoppedMs)} ms; ${load.answers.length} answers, ${load.acked.size} events acknowledged`);
    expect(code).toBe(0);
    expect(stoppedMs).toBeLessThan(SHUTDOWN_MS);
    expect(closed.code).toBe(1001);
    // Every request sent before the signal got an HTTP answer. One sent after it got an answer too, or
    // was refused by the connection (a connection that reached the listener as it closed is reset).
    const unanswered = load.answers.filter((a) => a.status === null && (a.sentAt < signalled || !["ECONNREFUSED", "ECONNRESET"].includes(a.error ?? "")));
    expect(unanswered).toEqual([]);
    expect(load.answers.filter((a) => a.sentAt < signalled).length).toBeGreaterThanOrEqual(60);
    expect(load.answers.every((a) => a.status === null || a.status === 200 || (a.status === 503 && a.retryAfter !== null))).toBe(true);
    expect((await storedOf(load.acked)).size).toBe(load.acked.size);
    expect(loupe.output()).not.toContain("shutdown took longer");
  });

  test("kill -9 under load, then a restart: every acknowledged event is stored", async () => {
    const { loupe, envId } = await serve();
    const load = startLoad(loupe.url, envId, { workers: 12 });
    await load.answered(80);
    loupe.proc.kill("SIGKILL");
    await loupe.proc.exited;
    await load.stop();
    expect(load.acked.size).toBeGreaterThan(0);
    // The restart replays the database's log (PGlite: the data dir, reopened) and serves again.
    const again = await serve();
    expect((await fetch(`${again.loupe.url}/readyz`)).status).toBe(200);
    expect(await again.loupe.stop()).toBe(0);
    const stored = await storedOf(load.acked);
    console.log(`kill -9 (${driver}): ${load.acked.size} events acknowledged, ${stored.size} of them stored`);
    expect(stored.size).toBe(load.acked.size);
  });
});
