// The per-environment state the group steps read and keep current: users, aliases, identities,
// sessions and client-session mappings. Bounded; a miss is read from the database (in the batch's
// transaction). Correct because one batch writer per process is the only writer of these rows; any
// failed transaction clears it all.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Source } from "../events/model";
import { queryRows, type Db } from "../db/client";
import type { LiveBatch } from "../live/bus";
import { userAliases, users, type JsonObject } from "../db/schema";
import { Lru } from "./lru";
import type { DeviceInfo, Landing } from "./types";

/** Per-environment bounds of the in-memory user / session / recent-click state. */
export const STATE_BOUNDS = {
  usersPerEnv: 50_000,
  sessionsPerEnv: 50_000,
  clickUsersPerEnv: 10_000,
} as const;

export interface SessionRef {
  id: number;
  source: Source;
  startedAt: number;
  lastAt: number;
}

export interface UserState {
  id: number;
  identity: string | null;
  /** A row exists in the database (or is being written by the current batch). */
  stored: boolean;
  /** Stored initial properties are non-empty. */
  hasInitial: boolean;
  firstSeen: number;
  lastSeen: number;
  /** What the stored row holds, so unchanged users are not rewritten. */
  savedFirstSeen: number;
  savedLastSeen: number;
  /** The user's most recent session, for server events and the idle rule after a restart. */
  lastSession: SessionRef | null;
  /** The first session of a user without stored initial properties: they are taken from it. */
  initialFrom: SessionState | null;
}

export interface SessionState extends SessionRef {
  userId: number;
  stored: boolean;
  hasLanding: boolean;
  /** For a session started by this batch: what it is written with. */
  device: DeviceInfo | null;
  library: string | null;
  landing: Landing | null;
}

/** A user's recent clicks, complete for [lo, hi] (loaded from the database when cold). */
export interface RecentClicks {
  lo: number;
  hi: number;
  /** `target` is the click's sameTargetKey (src/events/hierarchy.ts). */
  clicks: { id: string; time: number; target: string; rage: boolean; pending: { rage: boolean } | null }[];
}

export class EnvState {
  readonly clicks = new Lru<number, RecentClicks>(STATE_BOUNDS.clickUsersPerEnv);
  readonly users = new Lru<number, UserState>(STATE_BOUNDS.usersPerEnv);
  /** Merged-away user id → the user that absorbed it. */
  readonly aliases = new Lru<number, number>(STATE_BOUNDS.usersPerEnv);
  readonly identities = new Lru<string, number>(STATE_BOUNDS.usersPerEnv);
  readonly sessions = new Lru<number, SessionState>(STATE_BOUNDS.sessionsPerEnv);
  /** A client session id the server split (idle past the limit) → the session now in use. */
  readonly clientSessions = new Lru<number, number>(STATE_BOUNDS.sessionsPerEnv);
  /** Event ids of groups not committed yet (the batch writer removes them on commit). */
  readonly inFlightEventIds = new Set<string>();

  constructor(readonly envId: string) {}

  /** Follows aliases (the database keeps them flat; the cache may briefly hold a chain). */
  canonical(id: number): number {
    let cur = id;
    for (let i = 0; i < 16; i++) {
      const next = this.aliases.peek(cur);
      if (next === undefined) return cur;
      cur = next;
    }
    return cur;
  }

  /** Loads users (and aliases, and each user's latest session) that are not cached yet. */
  async loadUsers(tx: Db, ids: number[]): Promise<void> {
    const missing = [...new Set(ids.map((id) => this.canonical(id)))].filter((id) => !this.users.peek(id));
    if (missing.length === 0) return;
    const aliasRows = await tx
      .select({ aliasId: userAliases.aliasId, userId: userAliases.userId })
      .from(userAliases)
      .where(and(eq(userAliases.envId, this.envId), inArray(userAliases.aliasId, missing)));
    for (const a of aliasRows) this.aliases.set(a.aliasId, a.userId);
    const wanted = [...new Set(missing.map((id) => this.canonical(id)))].filter((id) => !this.users.peek(id));
    if (wanted.length === 0) return;
    const rows = await tx
      .select({ id: users.id, identity: users.identity, firstSeen: users.firstSeen, lastSeen: users.lastSeen, initial: users.initial })
      .from(users)
      .where(and(eq(users.envId, this.envId), inArray(users.id, wanted)));
    await this.remember(tx, rows);
  }

  /** Loads the users holding these identities, when not cached. */
  async loadIdentities(tx: Db, identities: string[]): Promise<void> {
    const missing = [...new Set(identities)].filter((i) => this.identities.peek(i) === undefined);
    if (missing.length === 0) return;
    const rows = await tx
      .select({ id: users.id, identity: users.identity, firstSeen: users.firstSeen, lastSeen: users.lastSeen, initial: users.initial })
      .from(users)
      .where(and(eq(users.envId, this.envId), inArray(users.identity, missing)));
    await this.remember(tx, rows.filter((r) => !this.users.peek(r.id)));
    for (const r of rows) this.identities.set(r.identity!, r.id);
  }

  private async remember(tx: Db, rows: { id: number; identity: string | null; firstSeen: Date; lastSeen: Date; initial: JsonObject }[]) {
    if (rows.length === 0) return;
    const latest = await this.latestSessions(tx, rows.map((r) => r.id));
    for (const r of rows) {
      this.users.set(r.id, {
        id: r.id, identity: r.identity, stored: true, hasInitial: Object.keys(r.initial ?? {}).length > 0,
        firstSeen: r.firstSeen.getTime(), lastSeen: r.lastSeen.getTime(), savedFirstSeen: r.firstSeen.getTime(), savedLastSeen: r.lastSeen.getTime(), lastSession: latest.get(r.id) ?? null, initialFrom: null,
      });
      if (r.identity !== null) this.identities.set(r.identity, r.id);
    }
  }

  private async latestSessions(tx: Db, userIds: number[]): Promise<Map<number, SessionRef>> {
    const rows = await queryRows<{ user_id: string | number; id: string | number; source: Source; started_at: string | Date; last_at: string | Date }>(
      tx,
      sql`select distinct on (user_id) user_id, id, source, started_at, last_at from sessions
          where env_id = ${this.envId} and user_id in ${userIds} order by user_id, started_at desc`,
    );
    return new Map(rows.map((r) => [Number(r.user_id), { id: Number(r.id), source: r.source, startedAt: new Date(r.started_at).getTime(), lastAt: new Date(r.last_at).getTime() }]));
  }

  /** Loads sessions by id that are not cached yet. */
  async loadSessions(tx: Db, ids: number[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.sessions.peek(id));
    if (missing.length === 0) return;
    const rows = await queryRows<{ id: string | number; user_id: string | number; source: Source; started_at: string | Date; last_at: string | Date; has_landing: boolean }>(
      tx,
      sql`select id, user_id, source, started_at, last_at, landing_page is not null as has_landing from sessions
          where env_id = ${this.envId} and id in ${missing}`,
    );
    for (const r of rows) {
      this.sessions.set(Number(r.id), {
        id: Number(r.id), userId: Number(r.user_id), source: r.source, startedAt: new Date(r.started_at).getTime(),
        lastAt: new Date(r.last_at).getTime(), stored: true, hasLanding: r.has_landing, device: null, library: null, landing: null,
      });
    }
  }
}

/** All environments' state of one running Loupe. */
export class IngestState {
  private envs = new Map<string, EnvState>();
  private processing = 0;
  private deferredRemote: LiveBatch[] = [];

  /**
   * Runs a group's steps; another process's changes arriving meanwhile are applied after them, so a
   * group sees one version of each user and session from start to end.
   */
  async whileProcessing<T>(steps: () => Promise<T>): Promise<T> {
    this.processing++;
    try {
      return await steps();
    } finally {
      if (--this.processing === 0) for (const b of this.deferredRemote.splice(0)) this.forgetRemote(b);
    }
  }

  env(envId: string): EnvState {
    let s = this.envs.get(envId);
    if (!s) this.envs.set(envId, (s = new EnvState(envId)));
    return s;
  }

  /**
   * Another process committed `batch`: what it changed is re-read from the database when next needed,
   * so a rage burst or a merge spread over processes is seen here too.
   */
  forgetRemote(batch: LiveBatch): void {
    if (this.processing > 0) return void this.deferredRemote.push(batch);
    if (batch.overflow) return this.clear(batch.envId === "*" ? undefined : batch.envId);
    const env = this.envs.get(batch.envId);
    if (!env) return;
    for (const id of [...batch.userIds, ...(batch.mergedUserIds ?? [])]) {
      env.users.delete(id);
      env.clicks.delete(id);
    }
    for (const id of batch.sessionIds) env.sessions.delete(id);
  }

  /** After a failed transaction (or an outside change to users/sessions), start again from the database. */
  clear(envId?: string): void {
    if (envId) this.envs.delete(envId);
    else this.envs.clear();
  }
}
