// What one environment's part of a group commit accumulates before the write step.
import type { Db } from "../db/client";
import type { JsonObject } from "../db/schema";
import type { GroupOrder } from "./group-order";
import type { EnvState, SessionState, UserState } from "./state";
import type { IngestEvent } from "./types";

export interface UserChange {
  /** Properties to set (last write wins), null-prototype. */
  properties: JsonObject | null;
  /** The identity was taken by this batch. */
  identifiedAt: number | null;
}

export class EnvBatch {
  readonly events: IngestEvent[] = [];
  /**
   * The users and sessions this batch works with, as it saw them: the writes take them from here, not
   * from the shared cache, which may drop an entry meanwhile (size bound, another process's change).
   */
  readonly users = new Map<number, UserState>();
  readonly sessions = new Map<number, SessionState>();
  /** Users whose row this batch writes (new, identified, properties set). */
  readonly userChanges = new Map<number, UserChange>();
  /** Users and sessions this batch created (for the live bus). */
  readonly newUserIds = new Set<number>();
  readonly newSessionIds = new Set<number>();
  /** Stored sessions that took their first pageview (landing page, referrer, UTM) in this batch. */
  readonly landedSessions = new Set<number>();
  /** Stored events that became part of a rage burst. */
  readonly backflaggedRage = new Set<string>();
  /** Events in this batch by id (in-batch duplicates are dropped before they get here). */
  readonly eventIds = new Set<string>();
  /** Users whose rows this batch wrote. */
  readonly writtenUserIds = new Set<number>();
  /** Users merged away by this batch. */
  readonly mergedUserIds = new Set<number>();
  merges = 0;

  constructor(readonly tx: Db, readonly state: EnvState, readonly order: GroupOrder) {}

  change(userId: number): UserChange {
    let c = this.userChanges.get(userId);
    if (!c) this.userChanges.set(userId, (c = { properties: null, identifiedAt: null }));
    return c;
  }
}
