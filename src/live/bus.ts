// The live bus carries small messages (keys and ids, never data): after each committed ingest batch
// the pipeline publishes one LiveBatch per environment; subscribers re-read what they show.

export interface LiveBatch {
  envId: string;
  /** Users with new activity in this batch (after identity resolution). */
  userIds: number[];
  /** Users seen for the first time in this batch (subset of userIds). */
  newUserIds: number[];
  /** Sessions with new events. */
  sessionIds: number[];
  /** Sessions started in this batch (subset of sessionIds). */
  newSessionIds: number[];
  /** Ids of the events stored by this batch. */
  eventIds: string[];
  /** Ids of events flagged as rage clicks by this batch (new or back-flagged). */
  rageEventIds: string[];
  /** Commit time, ms since epoch. */
  at: number;
  /**
   * The ids did not fit (a huge batch crossing processes, or notifications missed while the LISTEN
   * connection was down): subscribers re-read everything since their cursor. envId "*" = every environment.
   */
  overflow?: boolean;
  /** Kiosk links revoked just now (ids in envId): every process closes their open walls at once. */
  revokedKioskIds?: number[];
  /** Users merged away by this batch (their events now belong to one of userIds). */
  mergedUserIds?: number[];
  /** Sessions whose recording gained a chunk (src/replay): the replay view pushes the new chunks. */
  replaySessionIds?: number[];
  /** Committed by another Loupe process (arrived through the database). */
  remote?: boolean;
}

export type LiveListener = (batch: LiveBatch) => void;

export interface LiveBus {
  publish(batch: LiveBatch): void;
  subscribe(listener: LiveListener): () => void;
  close(): Promise<void>;
}

/** One process: listeners are called synchronously-after-publish on a microtask. */
export class InProcessBus implements LiveBus {
  private listeners = new Set<LiveListener>();

  publish(batch: LiveBatch): void {
    for (const l of this.listeners) queueMicrotask(() => l(batch));
  }

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
