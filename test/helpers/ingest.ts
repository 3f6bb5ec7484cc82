// Helpers for ingest tests: build collection batches and Heap API bodies, post them over real HTTP,
// and read back what was stored.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../src/db/client";
import { BATCH_WRITER } from "../../src/ingest/batch-writer";
import type { ClientFacts } from "../../src/ingest/client";
import { randomId53 } from "../../src/ingest/ids";
import { normaliseCollect } from "../../src/ingest/normalise-collect";

export const CHROME_UA =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

export async function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url + path, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": CHROME_UA, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers };
}

export interface Device {
  envId: string;
  userId: string;
  sessionId: string;
  source?: "web" | "ios" | "android";
}

export const newDevice = (envId: string, source: Device["source"] = "web"): Device => ({
  envId, userId: String(randomId53()), sessionId: String(randomId53()), source,
});

export const T0 = Date.parse("2026-06-01T10:00:00Z");

export function pageview(time: number, url = "https://shop.example/pricing", extra: Record<string, unknown> = {}) {
  const u = new URL(url);
  return {
    kind: "event", id: crypto.randomUUID(), type: "pageview", time,
    page: { url, domain: u.host, path: u.pathname, query: u.search, hash: u.hash, title: "Pricing", ...extra },
  };
}

export function click(time: number, buttonId = "buy", id: string = crypto.randomUUID()) {
  return {
    kind: "event", id, type: "click", time,
    page: { url: "https://shop.example/pricing", domain: "shop.example", path: "/pricing" },
    target: {
      text: "Buy now", tag: "button", id: buttonId, classes: ["btn"],
      hierarchy: [{ tag: "html" }, { tag: "body" }, { tag: "button", id: buttonId, classes: ["btn"], attrs: { type: "submit" } }],
    },
  };
}

export const custom = (time: number, name: string, properties: Record<string, unknown> = {}) =>
  ({ kind: "event", id: crypto.randomUUID(), type: "custom", name, time, properties });

export const identifyMsg = (time: number, identity: string) => ({ kind: "identify", time, identity });

export function batch(d: Device, messages: unknown[], extra: Record<string, unknown> = {}) {
  return { envId: d.envId, source: d.source ?? "web", library: { name: "loupe.js", version: "test" }, userId: d.userId, sessionId: d.sessionId, messages, ...extra };
}

export const collect = (url: string, d: Device, messages: unknown[], extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  post(url, "/api/collect", batch(d, messages, extra), headers);

export async function rows<T = Record<string, any>>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return queryRows<T>(db, query);
}

export async function countOf(db: Db, table: "events" | "users" | "sessions" | "identity_merges" | "user_aliases", envId: string): Promise<number> {
  const [r] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.raw(table)} where env_id = ${envId}`);
  return Number(r.n);
}

/** BATCH_WRITER.maxEvents events ending with `tail`: one group whose INSERT runs long enough to race it. */
export const bigBatch = (start: number, tail: unknown[] = []) => [
  ...Array.from({ length: BATCH_WRITER.maxEvents - tail.length }, (_, i) => custom(start + i, "Bulk", { i })),
  ...tail,
];

/** Resolves once an events INSERT is running in the database (PostgreSQL). */
export async function eventsInsertRunning(db: Db): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const [r] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and state = 'active' and query like 'insert into events%'`);
    if (r.n > 0) return;
    await Bun.sleep(1);
  }
  throw new Error("no events INSERT seen running");
}

/** Resolves once a statement on this database has been waiting on a lock for longer than `ms`, and still is. */
export async function waitingOnLockFor(db: Db, ms: number): Promise<void> {
  for (;;) {
    const [r] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and now() - query_start > ${ms}::int * interval '1 millisecond'`);
    if (r.n > 0) return;
    await Bun.sleep(10);
  }
}

/** A device's collection batch as the pipeline receives it, for tests that submit to an IngestService directly. */
export const collectRequest = (d: Device, messages: unknown[]) =>
  normaliseCollect({ envId: d.envId, source: d.source ?? "web", userId: Number(d.userId), sessionId: Number(d.sessionId), messages: messages as never });

/** What a route tells the pipeline about the client: a desktop Chrome, no address, no Do-Not-Track. */
export const desktopClient: ClientFacts = { userAgent: CHROME_UA, ip: null, proxyGeo: null, doNotTrack: false };
