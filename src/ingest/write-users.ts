// Writes user rows: new users, identities taken, properties set, activity times, initial properties.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { JsonObject } from "../db/schema";
import type { EnvBatch } from "./env-batch";
import { chunks, iso, recordset } from "./recordset";
import type { SessionState } from "./state";

/** A user's initial properties: the first session's facts, unset ones left out. */
export function initialOf(s: SessionState): JsonObject {
  const d = s.device;
  const l = s.landing;
  const all: JsonObject = {
    source: s.source,
    referrer: l?.referrer ?? "direct",
    landing_page: l?.page ?? null,
    browser: d?.browser ?? null,
    os: d?.os ?? null,
    device_type: d?.deviceType ?? null,
    country: d?.country ?? null,
    region: d?.region ?? null,
    city: d?.city ?? null,
    utm_source: l?.utm.source ?? null,
    utm_medium: l?.utm.medium ?? null,
    utm_campaign: l?.utm.campaign ?? null,
    utm_term: l?.utm.term ?? null,
    utm_content: l?.utm.content ?? null,
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== null));
}

/** Upserts the given users from their state and pending changes; clears those changes. */
export async function upsertUsers(batch: EnvBatch, ids: number[]): Promise<void> {
  const rows = [];
  for (const id of new Set(ids)) {
    const u = batch.users.get(id) ?? batch.state.users.peek(id);
    if (!u) throw new Error(`user ${id} is not among the batch's users`);
    const change = batch.userChanges.get(id);
    const initial = !u.hasInitial && u.initialFrom ? initialOf(u.initialFrom) : {};
    const unchanged = u.stored && !change && Object.keys(initial).length === 0 && u.firstSeen >= u.savedFirstSeen && u.lastSeen <= u.savedLastSeen;
    if (unchanged) continue;
    rows.push({
      id, identity: u.identity, properties: change?.properties ?? {}, initial,
      first_seen: iso(u.firstSeen), last_seen: iso(u.lastSeen),
      identified_at: change?.identifiedAt ? iso(change.identifiedAt) : null,
    });
    u.stored = true;
    u.savedFirstSeen = Math.min(u.firstSeen, u.savedFirstSeen || u.firstSeen);
    u.savedLastSeen = Math.max(u.lastSeen, u.savedLastSeen || u.lastSeen);
    batch.writtenUserIds.add(id);
    if (Object.keys(initial).length > 0) {
      u.hasInitial = true;
      u.initialFrom = null;
    }
    batch.userChanges.delete(id);
  }
  for (const part of chunks(rows)) {
    await batch.tx.execute(sql`insert into users (env_id, id, identity, properties, initial, first_seen, last_seen, identified_at)
      select ${batch.state.envId}, x.id, x.identity, x.properties, x.initial, x.first_seen, x.last_seen, x.identified_at
      from ${recordset(part, "id bigint, identity text, properties jsonb, initial jsonb, first_seen timestamptz, last_seen timestamptz, identified_at timestamptz")}
      on conflict (env_id, id) do update set
        identity = coalesce(users.identity, excluded.identity),
        properties = users.properties || excluded.properties,
        initial = case when users.initial = '{}'::jsonb then excluded.initial else users.initial end,
        first_seen = least(users.first_seen, excluded.first_seen),
        last_seen = greatest(users.last_seen, excluded.last_seen),
        identified_at = coalesce(users.identified_at, excluded.identified_at)`);
  }
}

/**
 * A user's first session that got its first pageview only in a later batch: the initial properties
 * were written without landing page, referrer and UTM, so they are completed from the session now.
 */
export async function completeInitialLanding(batch: EnvBatch): Promise<void> {
  const ids = [...batch.landedSessions];
  if (ids.length === 0) return;
  const env = batch.state.envId;
  await batch.tx.execute(sql`update users as u set initial = u.initial || jsonb_strip_nulls(jsonb_build_object(
      'referrer', s.referrer, 'landing_page', s.landing_page, 'utm_source', s.utm_source, 'utm_medium', s.utm_medium,
      'utm_campaign', s.utm_campaign, 'utm_term', s.utm_term, 'utm_content', s.utm_content))
    from sessions as s
    where s.env_id = ${env} and s.id in ${ids} and s.landing_page is not null
      and u.env_id = s.env_id and u.id = s.user_id and u.initial->>'landing_page' is null
      and not exists (select 1 from sessions as e where e.env_id = s.env_id and e.user_id = s.user_id and e.started_at < s.started_at)`);
}

/**
 * Just before commit: makes sure no user this group wrote for was merged away by another process.
 * Users whose rows it did not update (their upsert already locks the others) are key-share locked, so
 * such a merge waits for this commit (its DELETE conflicts) and its rewrites see these events. A merge
 * that committed first left an alias (even if this group's upsert brought the row back): the group is
 * then rolled back and retried, and its events land on the surviving user.
 */
export async function lockUsers(batch: EnvBatch, ids: number[]): Promise<void> {
  const env = batch.state.envId;
  const unwritten = ids.filter((id) => !batch.writtenUserIds.has(id));
  const checks: Promise<unknown>[] = [];
  for (const part of chunks(ids)) {
    checks.push(queryRows(batch.tx, sql`select alias_id from user_aliases where env_id = ${env} and alias_id in ${part}`).then((merged) => {
      if (merged.length > 0) throw new Error("a user of this group was merged away by another writer; retrying the group");
    }));
  }
  for (const part of chunks(unwritten)) {
    checks.push(queryRows(batch.tx, sql`select id from users where env_id = ${env} and id in ${part} for key share`).then((found) => {
      if (found.length !== part.length) throw new Error("a user of this group was merged away by another writer; retrying the group");
    }));
  }
  await Promise.all(checks);
}
