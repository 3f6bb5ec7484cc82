// Property keys, event names and top values discovered from the data, for the filter builder. Work is
// bounded by sampling the most recently active users / newest events, and answers are cached briefly,
// so suggestions stay fast (p95 < 100 ms) however large an environment grows.
import { sql, type SQL } from "drizzle-orm";
import { USERS_LIST } from "../users/limits";
import { queryRows, type Db } from "../db/client";
import { eventMatch, eventValue } from "./compile";
import type { EventRef, UserScope } from "./model";

const cache = new Map<string, { at: number; value: unknown }>();
const MAX_ENTRIES = 500;

async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < USERS_LIST.suggestionCacheMs) return hit.value as T;
  const value = await load();
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, { at: Date.now(), value });
  return value;
}

/** Forget cached suggestions (tests, and after data is known to have changed shape). */
export function clearSuggestionCache(): void {
  cache.clear();
}

export interface UserKeys {
  custom: string[];
  initial: string[];
}

/** Custom and initial property keys of the most recently active users. */
export function userPropertyKeys(db: Db, envId: string): Promise<UserKeys> {
  return cached(`ukeys:${envId}`, async () => {
    const rows = await queryRows<{ scope: string; key: string }>(
      db,
      sql`with recent as (select properties, initial from users where env_id = ${envId} order by last_seen desc limit ${USERS_LIST.suggestionSampleUsers})
        select distinct 'custom' as scope, jsonb_object_keys(properties) as key from recent
        union select distinct 'initial', jsonb_object_keys(initial) from recent
        order by 1, 2 limit 2000`,
    );
    return {
      custom: rows.filter((r) => r.scope === "custom").map((r) => r.key),
      initial: rows.filter((r) => r.scope === "initial").map((r) => r.key),
    };
  });
}

export interface EventKinds {
  raw: string[];
  custom: string[];
}

/** Raw event types and custom event names present, by a skip scan of the (env_id, type, name) index. */
export function eventKinds(db: Db, envId: string): Promise<EventKinds> {
  return cached(`ekinds:${envId}`, async () => {
    const types = await queryRows<{ type: string }>(
      db,
      sql`with recursive t(type) as (
          (select type from events where env_id = ${envId} order by type limit 1)
          union all
          select (select e.type from events e where e.env_id = ${envId} and e.type > t.type order by e.type limit 1) from t where t.type is not null)
        select type from t where type is not null`,
    );
    const names = await queryRows<{ name: string }>(
      db,
      sql`with recursive n(name) as (
          (select name from events where env_id = ${envId} and type = 'custom' and name is not null order by name limit 1)
          union all
          select (select e.name from events e where e.env_id = ${envId} and e.type = 'custom' and e.name > n.name order by e.name limit 1) from n where n.name is not null)
        select name from n where name is not null limit 1000`,
    );
    return { raw: types.map((t) => t.type).filter((t) => t !== "custom"), custom: names.map((n) => n.name) };
  });
}

/** Custom event-property keys of the newest events (optionally of one event). */
export function eventPropertyKeys(db: Db, envId: string, ref?: EventRef): Promise<string[]> {
  return cached(`ekeys:${envId}:${JSON.stringify(ref ?? null)}`, async () => {
    const match = ref && !("defined" in ref) ? sql` and ${eventMatch(ref, { envId, window: { from: null, end: new Date() } })}` : sql``;
    const rows = await queryRows<{ key: string }>(
      db,
      sql`select distinct jsonb_object_keys(props) as key from (select e.props from events e where e.env_id = ${envId}${match}
          order by e.time desc limit ${USERS_LIST.suggestionSampleEvents}) recent order by 1 limit 1000`,
    );
    return rows.map((r) => r.key);
  });
}

export interface ValueCount {
  value: string;
  count: number;
}

function userValueExpr(scope: UserScope, key: string): SQL {
  switch (scope) {
    case "identity": return sql`identity`;
    case "id": return sql`id::text`;
    case "custom": return sql`(properties ->> ${key}::text)`;
    case "initial": return sql`(initial ->> ${key}::text)`;
  }
}

const containsTyped = (typed: string) => (typed ? sql` and strpos(lower(v), lower(${typed}::text)) > 0` : sql``);

/** The 20 most common values of a user property among recent users, containing what was typed. */
export function userPropertyValues(db: Db, envId: string, scope: UserScope, key: string, typed: string): Promise<ValueCount[]> {
  return cached(`uvals:${envId}:${scope}:${key}:${typed}`, async () => {
    const rows = await queryRows<{ value: string; count: number }>(
      db,
      sql`select v as value, count(*)::int as count from (select ${userValueExpr(scope, key)} as v from users
          where env_id = ${envId} order by last_seen desc limit ${USERS_LIST.suggestionSampleUsers}) recent
        where v is not null${containsTyped(typed)} group by v order by count(*) desc, v limit ${USERS_LIST.suggestions}`,
    );
    return rows.map((r) => ({ value: r.value, count: Number(r.count) }));
  });
}

/** The 20 most common values of an event property among the newest events (of one event, if given). */
export function eventPropertyValues(db: Db, envId: string, key: string, typed: string, ref?: EventRef): Promise<ValueCount[]> {
  return cached(`evals:${envId}:${key}:${typed}:${JSON.stringify(ref ?? null)}`, async () => {
    const match = ref && !("defined" in ref) ? sql` and ${eventMatch(ref, { envId, window: { from: null, end: new Date() } })}` : sql``;
    const rows = await queryRows<{ value: string; count: number }>(
      db,
      sql`select v as value, count(*)::int as count from (select ${eventValue(key)} as v from events e
          where e.env_id = ${envId}${match} order by e.time desc limit ${USERS_LIST.suggestionSampleEvents}) recent
        where v is not null${containsTyped(typed)} group by v order by count(*) desc, v limit ${USERS_LIST.suggestions}`,
    );
    return rows.map((r) => ({ value: r.value, count: Number(r.count) }));
  });
}
