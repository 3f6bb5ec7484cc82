// What a live page can subscribe to. Each kind says how to parse a subscription, whether a set of
// changes touches it, and how to render the push (rows as htmx fragments, or figures for the wall).
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
  /** Latest commit time covered, ms since epoch: the cursor a page holds after this push. */
  at: number;
  /** Earliest time covered when re-reading (catch-up); undefined for live batches. */
  since?: number;
  /** Keys are unknown: re-read everything since the cursor. */
  overflow: boolean;
}

/** What the hub sends: an htmx fragment for the page to swap, and/or data for page scripts. */
export interface Push {
  html?: string;
  data?: unknown;
  /** Slower extras (a re-count) sent in their own frame when ready, so they never hold the rows back. */
  followUp?: Promise<Push | null>;
}

export interface ViewContext {
  db: Db;
  /** Counts database round trips, for the benchmark's "queries per batch". */
  countQuery(n?: number): void;
}

export interface ViewKind<V extends { envId: string }> {
  kind: string;
  /** zod-validated subscription from the page; throws LoupeError on bad input. */
  parse(raw: unknown): V;
  /** Pages whose views have the same key share one render per push. */
  key(view: V): string;
  /** Kiosk principals are limited to their own wall (the hub checks the environment for everyone). */
  allows(principal: Principal, view: V): boolean;
  /** Cheap, in-memory: could these changes alter what the view shows? */
  affected(view: V, changes: Changes): boolean;
  render(ctx: ViewContext, view: V, changes: Changes): Promise<Push | null>;
  /** Minimum time between two renders of one view (aggregates on the wall); 0 = every window. */
  minIntervalMs?: number;
  /** Re-render on a timer even without traffic (figures that decay with time, deferred counts). */
  tickMs?: number;
  /** On a tick: does this view need the render? (default: yes) */
  wantsTick?(view: V): boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyViewKind = ViewKind<any>;

export function emptyChanges(envId: string, at: number): Changes {
  return { envId, userIds: new Set(), newUserIds: new Set(), sessionIds: new Set(), newSessionIds: new Set(), eventIds: new Set(), rageEventIds: new Set(), at, overflow: false };
}

export function mergeChanges(a: Changes, b: Changes): Changes {
  const out = emptyChanges(a.envId, Math.max(a.at, b.at));
  for (const k of ["userIds", "newUserIds", "sessionIds", "newSessionIds", "eventIds", "rageEventIds"] as const) {
    for (const v of a[k]) (out[k] as Set<unknown>).add(v);
    for (const v of b[k]) (out[k] as Set<unknown>).add(v);
  }
  out.overflow = a.overflow || b.overflow;
  out.since = a.since !== undefined && b.since !== undefined ? Math.min(a.since, b.since) : (a.since ?? b.since);
  return out;
}
