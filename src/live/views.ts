// What a live page can subscribe to. Each kind says how to parse a subscription, whether a set of
// changes touches it, and what to read for a push (through src/users and src/filters, as the pages
// do). Turning that into HTML is the view layer's: src/routes/live-hub.ts pairs each kind with its
// presenter from views/live/, so nothing here renders.
import type { Db } from "../db/client";
import type { Principal } from "./principal";

/** The merged keys of one or more committed batches for one environment (or a catch-up since a cursor). */
export interface Changes {
  envId: string;
  userIds: Set<number>;
  newUserIds: Set<number>;
  sessionIds: Set<number>;
  newSessionIds: Set<number>;
  eventIds: Set<string>;
  rageEventIds: Set<string>;
  /** Sessions whose recording gained chunks (live batches only; a player catches up over HTTP). */
  replaySessionIds: Set<number>;
  /** Latest commit time covered, ms since epoch: the cursor a page holds after this push. */
  at: number;
  /** Earliest time covered when re-reading (catch-up); undefined for live batches. */
  since?: number;
  /** Keys are unknown: re-read everything since the cursor. */
  overflow: boolean;
}

/** What a push is made from; `followUp` is a slower extra (a re-count) sent in its own frame when ready. */
export interface Update<D> {
  data: D;
  followUp?: Promise<D | null>;
}

/** What the hub sends: the HTML fragment the page swaps, and maybe a follow-up fragment. */
export interface Push {
  html: string;
  followUp?: Promise<Push | null>;
}

export interface ViewContext {
  db: Db;
  /** Counts database round trips, for the benchmark's "queries per batch". */
  countQuery(n?: number): void;
}

export interface ViewKind<V extends { envId: string }, D> {
  kind: string;
  /** zod-validated subscription from the page; throws LoupeError on bad input. */
  parse(raw: unknown): V;
  /** Pages whose views have the same key share one read and one render per push. */
  key(view: V): string;
  /** Kiosk principals are limited to their own wall (the hub checks the environment for everyone). */
  allows(principal: Principal, view: V): boolean;
  /** Cheap, in-memory: could these changes alter what the view shows? */
  affected(view: V, changes: Changes): boolean;
  /** What changed for this view; null when there is nothing to push. */
  read(ctx: ViewContext, view: V, changes: Changes): Promise<Update<D> | null>;
  /** Read what changed since a reconnecting page's cursor (default), or show the view afresh (false). */
  catchUp?: boolean;
  /** Minimum time between two renders of one view (aggregates on the wall); 0 = every window. */
  minIntervalMs?: number;
  /** Re-render on a timer even without traffic (figures that decay with time, deferred counts). */
  tickMs?: number;
  /** On a tick: does this view need the render? (default: yes) */
  wantsTick?(view: V): boolean;
}

/** A view kind with its presenter: the HTML a page swaps for one update. */
export interface LiveKind<V extends { envId: string }, D> extends ViewKind<V, D> {
  present(view: V, data: D): string | Promise<string>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLiveKind = LiveKind<any, any>;

export function presented<V extends { envId: string }, D>(kind: ViewKind<V, D>, present: (view: V, data: D) => string | Promise<string>): LiveKind<V, D> {
  return { ...kind, present };
}

/** Reads and presents one push of a view (null: nothing to send). */
export async function renderPush<V extends { envId: string }, D>(kind: LiveKind<V, D>, ctx: ViewContext, view: V, changes: Changes): Promise<Push | null> {
  const update = await kind.read(ctx, view, changes);
  if (!update) return null;
  const followUp = update.followUp?.then(async (d) => (d === null ? null : { html: await kind.present(view, d) }));
  return { html: await kind.present(view, update.data), ...(followUp ? { followUp } : {}) };
}

export function emptyChanges(envId: string, at: number): Changes {
  return { envId, userIds: new Set(), newUserIds: new Set(), sessionIds: new Set(), newSessionIds: new Set(), eventIds: new Set(), rageEventIds: new Set(), replaySessionIds: new Set(), at, overflow: false };
}

export function mergeChanges(a: Changes, b: Changes): Changes {
  const out = emptyChanges(a.envId, Math.max(a.at, b.at));
  for (const k of ["userIds", "newUserIds", "sessionIds", "newSessionIds", "eventIds", "rageEventIds", "replaySessionIds"] as const) {
    for (const v of a[k]) (out[k] as Set<unknown>).add(v);
    for (const v of b[k]) (out[k] as Set<unknown>).add(v);
  }
  out.overflow = a.overflow || b.overflow;
  out.since = a.since !== undefined && b.since !== undefined ? Math.min(a.since, b.since) : (a.since ?? b.since);
  return out;
}
