// What one Users-list row shows, for a set of users and a window: first session (with where and how),
// sessions/events/rage clicks in the window, last activity, every source the user was seen on.
import { sql, type SQL } from "drizzle-orm";
import type { JsonObject } from "../db/schema";
import { queryRows, type Db } from "../db/client";
import { eventWindow } from "../filters/compile";
import type { TimeWindow } from "../filters/timeline";

export interface UserListRow {
  id: number;
  identity: string | null;
  properties: JsonObject;
  firstSeen: Date;
  lastSeen: Date;
  /** Last event in the window (falls back to last_seen for users with sessions but no events). */
  lastActivity: Date;
  firstSession: { startedAt: Date; source: string; country: string | null; region: string | null; city: string | null } | null;
  sessions: number;
  events: number;
  rage: number;
  sources: string[];
}

interface Raw {
  id: string; identity: string | null; properties: JsonObject | string; first_seen: Date | string; last_seen: Date | string;
  fs_started: Date | string | null; fs_source: string | null; fs_country: string | null; fs_region: string | null; fs_city: string | null;
  sessions: number; events: number; rage: number; last_activity: Date | string | null; sources: string[] | string | null;
}

const date = (v: Date | string) => (v instanceof Date ? v : new Date(v));
const json = <T>(v: T | string): T => (typeof v === "string" ? (JSON.parse(v) as T) : v);

/** Rows for the given user ids, in the order of `ids` (missing users are skipped). */
export async function userListRows(db: Db, envId: string, window: TimeWindow, ids: number[]): Promise<UserListRow[]> {
  if (ids.length === 0) return [];
  const idList = sql.join(ids.map((id) => sql`${id}::bigint`), sql`, `);
  const raw = await queryRows<Raw>(db, rowsQuery(window, sql`select u.* from users u where u.env_id = ${envId} and u.id in (${idList})`));
  const byId = new Map(raw.map((r) => [Number(r.id), r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toRow(r)] : [];
  });
}

/**
 * Rows for the users `picked` selects (a `select u.* from users u …` with its own filter, order and limit),
 * most recently seen first. One statement: the per-user counts run only for the users picked.
 */
export async function pickedUserListRows(db: Db, window: TimeWindow, picked: SQL): Promise<UserListRow[]> {
  const raw = await queryRows<Raw>(db, rowsQuery(window, picked, sql` order by u.last_seen desc, u.id desc`));
  return raw.map(toRow);
}

function rowsQuery(window: TimeWindow, picked: SQL, order: SQL = sql``): SQL {
  const sessionWindow = window.from
    ? sql`s.started_at <= ${window.end.toISOString()}::timestamptz and s.last_at >= ${window.from.toISOString()}::timestamptz`
    : sql`s.started_at <= ${window.end.toISOString()}::timestamptz`;
  return sql`with picked as materialized (${picked})
      select u.id::text as id, u.identity, u.properties, u.first_seen, u.last_seen,
        fs.started_at as fs_started, fs.source as fs_source, fs.country as fs_country, fs.region as fs_region, fs.city as fs_city,
        (select count(*) from sessions s where s.env_id = u.env_id and s.user_id = u.id and ${sessionWindow})::int as sessions,
        ev.n::int as events, ev.rage::int as rage, ev.last as last_activity,
        (select coalesce(json_agg(distinct s.source), '[]'::json) from sessions s where s.env_id = u.env_id and s.user_id = u.id) as sources
      from picked u
      left join lateral (select s.started_at, s.source, s.country, s.region, s.city from sessions s
        where s.env_id = u.env_id and s.user_id = u.id order by s.started_at asc limit 1) fs on true
      left join lateral (select count(*) as n, count(*) filter (where e.rage) as rage, max(e.time) as last from events e
        where e.env_id = u.env_id and e.user_id = u.id and ${eventWindow(window)}) ev on true${order}`;
}

function toRow(r: Raw): UserListRow {
  const lastSeen = date(r.last_seen);
  return {
    id: Number(r.id),
    identity: r.identity,
    properties: json(r.properties) ?? {},
    firstSeen: date(r.first_seen),
    lastSeen,
    lastActivity: r.last_activity ? date(r.last_activity) : lastSeen,
    firstSession: r.fs_started
      ? { startedAt: date(r.fs_started), source: r.fs_source ?? "web", country: r.fs_country, region: r.fs_region, city: r.fs_city }
      : null,
    sessions: Number(r.sessions),
    events: Number(r.events ?? 0),
    rage: Number(r.rage ?? 0),
    sources: json(r.sources) ?? [],
  };
}
