// Loads the generated data set: COPY (CSV) on PostgreSQL with secondary indexes rebuilt afterwards;
// COPY from an in-memory blob on PGlite.
import { sql } from "drizzle-orm";
import { statfsSync } from "node:fs";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type postgres from "postgres";
import { queryRows, type Database } from "../../src/db/client";
import { generate, SCALES, type GenEvent, type GenSession, type GenUser, type Scale } from "./data";

const q = (v: unknown) => (v === null || v === undefined ? "" : `"${String(v).replace(/"/g, '""')}"`);
const iso = (t: number) => new Date(t).toISOString();
const line = (cells: unknown[]) => `${cells.map(q).join(",")}\n`;

const USER_COLS = "env_id, id, identity, properties, initial, first_seen, last_seen, identified_at";
const SESSION_COLS = "env_id, id, user_id, source, browser, os, device_type, country, city, referrer, landing_page, utm_source, started_at, last_at, event_count";
const EVENT_COLS = "env_id, id, user_id, session_id, time, type, name, source, domain, path, title, target_text, target_tag, hierarchy, rage, props, received_at";

const userLine = (env: string, u: GenUser) => line([env, u.id, u.identity, JSON.stringify(u.properties), JSON.stringify(u.initial), iso(u.firstSeen), iso(u.lastSeen), u.identity ? iso(u.firstSeen) : null]);
const sessionLine = (env: string, s: GenSession) => line([env, s.id, s.userId, s.source, s.browser, s.os, s.deviceType, s.country, s.city, s.referrer, s.landingPage, s.utmSource, iso(s.startedAt), iso(s.lastAt), s.eventCount]);
const eventLine = (env: string, e: GenEvent) => line([env, e.id, e.userId, e.sessionId, iso(e.time), e.type, e.name, e.source, e.path ? "acme.test" : null, e.path, e.title, e.targetText, e.targetTag, e.hierarchy, e.rage ? "t" : "f", JSON.stringify(e.props), iso(e.time)]);

/** Refuses to start when the disk cannot hold the data set (≈ 1.2 kB per event with indexes, plus headroom). */
export function checkDisk(path: string, scale: Scale): void {
  const st = statfsSync(path);
  const free = st.bavail * st.bsize;
  const need = SCALES[scale].events * 1200 + 2 * 1024 ** 3;
  console.log(`disk: ${(free / 1024 ** 3).toFixed(1)} GiB free at ${path}, need ≈ ${(need / 1024 ** 3).toFixed(1)} GiB`);
  if (free < need) throw new Error(`Not enough free disk for scale ${scale}: ${(free / 1024 ** 3).toFixed(1)} GiB free, ${(need / 1024 ** 3).toFixed(1)} GiB needed`);
}

/** Lines joined into ~1 MB chunks: COPY streams stall on hundreds of thousands of tiny writes. */
function* chunked(lines: string[]): Generator<string> {
  let buf = "";
  for (const l of lines) {
    buf += l;
    if (buf.length > 1 << 20) {
      yield buf;
      buf = "";
    }
  }
  if (buf) yield buf;
}

/** COPY … FROM STDIN, writing chunk by chunk and waiting for the socket to drain between them. */
async function copyIn(pg: postgres.Sql, statement: string, chunks: Iterable<string>): Promise<void> {
  const stream = await pg.unsafe(statement).writable();
  for (const chunk of chunks) {
    if (!stream.write(chunk)) await once(stream, "drain");
    await new Promise((resolve) => setImmediate(resolve));
  }
  stream.end();
  await finished(stream);
}

export interface LoadResult {
  users: number;
  sessions: number;
  events: number;
  seconds: number;
}

export async function loadDataSet(database: Database, envId: string, scale: Scale, now: number): Promise<LoadResult> {
  const started = performance.now();
  const users: string[] = [];
  const sessions: string[] = [];
  let eventCount = 0;
  function* eventChunks() {
    let buf = "";
    for (const { user, sessions: ss, events } of generate(scale, now)) {
      users.push(userLine(envId, user));
      for (const s of ss) sessions.push(sessionLine(envId, s));
      for (const e of events) buf += eventLine(envId, e);
      eventCount += events.length;
      if (buf.length > 1 << 20) {
        yield buf;
        buf = "";
      }
    }
    if (buf) yield buf;
  }

  if (database.pg) {
    const pg = database.pg;
    const indexes = await pg<{ indexname: string; indexdef: string }[]>`select indexname, indexdef from pg_indexes
      where schemaname = 'public' and tablename in ('users', 'sessions', 'events') and indexname not in (select conname from pg_constraint)`;
    for (const i of indexes) await pg.unsafe(`drop index if exists "${i.indexname}"`);
    await copyIn(pg, `copy events (${EVENT_COLS}) from stdin (format csv)`, eventChunks());
    await copyIn(pg, `copy users (${USER_COLS}) from stdin (format csv)`, chunked(users));
    await copyIn(pg, `copy sessions (${SESSION_COLS}) from stdin (format csv)`, chunked(sessions));
    console.log(`copied in ${((performance.now() - started) / 1000).toFixed(0)} s; rebuilding ${indexes.length} indexes`);
    for (const i of indexes) await pg.unsafe(i.indexdef);
    // A live database is vacuumed by autovacuum; measure that steady state (visibility map set).
    await pg.unsafe("vacuum analyze users");
    await pg.unsafe("vacuum analyze sessions");
    await pg.unsafe("vacuum analyze events");
  } else {
    const pglite = database.pglite!;
    const copy = async (table: string, cols: string, text: string) => {
      await pglite.query(`copy ${table} (${cols}) from '/dev/blob' (format csv)`, [], { blob: new Blob([text]) });
    };
    let part: string[] = [];
    let size = 0;
    for (const chunk of eventChunks()) {
      part.push(chunk);
      size += chunk.length;
      if (size > 64 << 20) {
        await copy("events", EVENT_COLS, part.join(""));
        part = [];
        size = 0;
      }
    }
    if (part.length) await copy("events", EVENT_COLS, part.join(""));
    await copy("users", USER_COLS, users.join(""));
    await copy("sessions", SESSION_COLS, sessions.join(""));
    await pglite.exec("analyze users; analyze sessions; analyze events");
  }
  const [counts] = await queryRows<{ u: number; s: number; e: number }>(database.db, sql`select (select count(*) from users)::int as u, (select count(*) from sessions)::int as s, (select count(*) from events)::int as e`);
  return { users: Number(counts.u), sessions: Number(counts.s), events: Number(counts.e), seconds: (performance.now() - started) / 1000 };
}
