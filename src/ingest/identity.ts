// Resolve-identity step: find or create the user a unit is about, apply identify messages,
// and merge an anonymous user into the user already holding an identity.
import { sql } from "drizzle-orm";
import { LoupeError } from "../errors";
import type { EnvBatch } from "./env-batch";
import { randomId53 } from "./ids";
import type { UserState } from "./state";
import type { Subject } from "./types";
import { upsertUsers } from "./write-users";

/** Identities that would merge strangers, compared case-insensitively. */
export const JUNK_IDENTITIES = [
  "", "null", "undefined", "none", "nil", "anonymous", "guest", "0", "-1",
  "[object object]", "true", "false", "nan",
] as const;

export function isJunkIdentity(identity: string): boolean {
  return (JUNK_IDENTITIES as readonly string[]).includes(identity.trim().toLowerCase());
}

function newUser(batch: EnvBatch, id: number, identity: string | null, time: number): UserState {
  const user: UserState = {
    id, identity, stored: false, hasInitial: false, firstSeen: time, lastSeen: time, savedFirstSeen: NaN, savedLastSeen: NaN,
    lastSession: null, initialFrom: null,
  };
  batch.state.users.set(id, user);
  if (identity !== null) {
    batch.state.identities.set(identity, id);
    batch.change(id).identifiedAt = time;
  }
  batch.newUserIds.add(id);
  batch.change(id);
  return user;
}

export async function userById(batch: EnvBatch, id: number): Promise<UserState | undefined> {
  await batch.state.loadUsers(batch.tx, [id]);
  return batch.state.users.get(batch.state.canonical(id));
}

/** The user a unit's messages belong to; a user id or identity never seen before makes a new user. */
export async function resolveSubject(batch: EnvBatch, subject: Subject, time: number): Promise<UserState> {
  if ("userId" in subject) {
    return (await userById(batch, subject.userId)) ?? newUser(batch, batch.state.canonical(subject.userId), null, time);
  }
  await batch.state.loadIdentities(batch.tx, [subject.identity]);
  const holder = batch.state.identities.get(subject.identity);
  const existing = holder === undefined ? undefined : await userById(batch, holder);
  return existing ?? newUser(batch, randomId53(), subject.identity, time);
}

export interface IdentifyOutcome {
  user: UserState;
  warning: string | null;
}

/**
 * identify(identity) for `user`. Strict (server identify API): junk and a second identity are errors.
 * Otherwise they are refused with a warning and nothing changes.
 */
export async function identify(batch: EnvBatch, user: UserState, identity: string, time: number, strict: boolean): Promise<IdentifyOutcome> {
  if (isJunkIdentity(identity)) {
    const message = `identity ${JSON.stringify(identity.slice(0, 40))} looks like a placeholder and would merge strangers; refused`;
    if (strict) throw new LoupeError("junk_identity", message, { field: "identity" });
    return { user, warning: `junk_identity: ${message}` };
  }
  if (user.identity === identity) return { user, warning: null };
  if (user.identity !== null) {
    const message = `user ${user.id} already has a different identity; start a new user id (resetIdentity) to identify as someone else`;
    if (strict) throw new LoupeError("identity_conflict", message, { field: "identity" });
    return { user, warning: `identity_conflict: ${message}` };
  }
  await batch.state.loadIdentities(batch.tx, [identity]);
  const holderId = batch.state.identities.get(identity);
  const holder = holderId === undefined || holderId === user.id ? undefined : await userById(batch, holderId);
  if (holder) {
    await mergeInto(batch, user, holder, identity, strict ? "identify_api" : "identify");
    return { user: holder, warning: null };
  }
  user.identity = identity;
  batch.state.identities.set(identity, user.id);
  batch.change(user.id).identifiedAt = time;
  return { user, warning: null };
}

/**
 * Moves everything of the anonymous `from` to `into` in the batch's transaction: events, sessions and
 * aliases are rewritten, properties unioned (into's win), initial properties from the earlier user,
 * an alias so late events with the old id land on `into`, and an audit row.
 */
async function mergeInto(batch: EnvBatch, from: UserState, into: UserState, identity: string, reason: string): Promise<void> {
  const { tx, state } = batch;
  const env = state.envId;
  await batch.order.previousCommitted(); // the rewrites must see the previous group's rows
  // Both rows must exist for the SQL merge; this batch may have created either of them.
  batch.users.set(from.id, from);
  batch.users.set(into.id, into);
  await upsertUsers(batch, [from, into].filter((u) => !u.stored || batch.userChanges.has(u.id)).map((u) => u.id));
  await tx.execute(sql`update users as v set
      properties = u.properties || v.properties,
      initial = case when v.initial = '{}'::jsonb or (u.first_seen < v.first_seen and u.initial <> '{}'::jsonb) then u.initial else v.initial end,
      first_seen = least(u.first_seen, v.first_seen),
      last_seen = greatest(u.last_seen, v.last_seen)
    from users as u
    where v.env_id = ${env} and v.id = ${into.id} and u.env_id = ${env} and u.id = ${from.id}`);
  await tx.execute(sql`delete from users where env_id = ${env} and id = ${from.id}`);
  await tx.execute(sql`update events set user_id = ${into.id} where env_id = ${env} and user_id = ${from.id}`);
  await tx.execute(sql`update sessions set user_id = ${into.id} where env_id = ${env} and user_id = ${from.id}`);
  await tx.execute(sql`update user_aliases set user_id = ${into.id} where env_id = ${env} and user_id = ${from.id}`);
  await tx.execute(sql`insert into user_aliases (env_id, alias_id, user_id) values (${env}, ${from.id}, ${into.id})
    on conflict (env_id, alias_id) do update set user_id = excluded.user_id`);
  await tx.execute(sql`insert into identity_merges (env_id, from_user_id, into_user_id, identity, reason)
    values (${env}, ${from.id}, ${into.id}, ${identity}, ${reason})`);

  for (const e of batch.events) if (e.userId === from.id) e.userId = into.id;
  for (const s of [...state.sessions.values(), ...batch.sessions.values()]) if (s.userId === from.id) s.userId = into.id;
  state.users.delete(from.id);
  batch.users.delete(from.id);
  state.aliases.set(from.id, into.id);
  state.clicks.delete(from.id);
  state.clicks.delete(into.id);
  batch.newUserIds.delete(from.id);
  batch.userChanges.delete(from.id);
  batch.writtenUserIds.delete(from.id);
  batch.writtenUserIds.add(into.id);
  batch.merges++;
  batch.mergedUserIds.add(from.id);
  into.hasInitial ||= from.hasInitial;
  into.firstSeen = Math.min(into.firstSeen, from.firstSeen);
  into.lastSeen = Math.max(into.lastSeen, from.lastSeen);
  into.savedFirstSeen = into.firstSeen;
  into.savedLastSeen = into.lastSeen;
  if (from.lastSession && (!into.lastSession || from.lastSession.startedAt > into.lastSession.startedAt)) into.lastSession = from.lastSession;
  if (!into.hasInitial && !into.initialFrom) into.initialFrom = from.initialFrom;
}
