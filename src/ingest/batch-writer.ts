// Group commit: requests queue here; every few milliseconds (or at once when enough are waiting) all
// queued requests are processed in ONE transaction, and each request is answered only after it commits.
// On PostgreSQL the next group starts while the previous one is still writing (see group-order.ts).
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { LiveBus } from "../live/bus";
import { withWritePriority } from "../db/priority";
import { isDatabaseUnavailable } from "../db/unavailable";
import { log } from "../log";
import { publish, tally } from "./committed";
import { processGroup, type WrittenBatch } from "./group";
import { GroupOrder, PreviousGroupFailed } from "./group-order";
import type { IngestMetrics } from "./metrics";
import type { IngestState } from "./state";
import type { Job } from "./types";

/**
 * Group commit: concurrent ingest requests share one transaction. An idle writer waits `maxWaitMs` to
 * gather what arrives together; requests arriving while a group is in flight form the next group at once.
 */
export const BATCH_WRITER = {
  maxWaitMs: 2,
  maxEvents: 5000,
  /**
   * Groups in flight at once on PostgreSQL: the next group is prepared and starts its events INSERT on
   * another connection while the previous one finishes (src/ingest/group-order.ts). PGlite is one
   * backend, so there it is always 1.
   */
  postgresGroupsInFlight: 2,
  /**
   * A pipelined group's statement waiting this long for a row lock gives up, and the group is retried
   * request by request. Normal waits (on the previous group's commit) take milliseconds; this only ends
   * a lock cycle PostgreSQL cannot see, one that runs through two processes' writers.
   */
  lockTimeoutMs: 5000,
} as const;

interface Waiting {
  job: Job;
  size: number;
  done: (err?: unknown) => void;
}

interface InFlight {
  group: Waiting[];
  order: GroupOrder;
  /** The group's steps have run (the shared state is up to date); its writes may still be running. */
  processed: Promise<void>;
  /** Committed and answered, or rolled back (committed stays false). */
  settled: Promise<void>;
  done: boolean;
  committed: boolean;
  error: unknown;
}

export interface WriterOptions {
  /** How many groups may overlap: BATCH_WRITER.postgresGroupsInFlight on PostgreSQL, 1 on PGlite. */
  groupsInFlight?: number;
  /** Overlapping groups give up on a lock wait after this long (default BATCH_WRITER.lockTimeoutMs). */
  lockTimeoutMs?: number;
}

const jobSize = (job: Job) => job.request.units.reduce((n, u) => n + u.messages.length, 0);

export class BatchWriter {
  private queue: Waiting[] = [];
  private queuedSize = 0;
  private running = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private arrival: PromiseWithResolvers<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly state: IngestState,
    private readonly bus: LiveBus,
    private readonly metrics: IngestMetrics,
    private readonly options: WriterOptions = {},
  ) {}

  private get groupsInFlight(): number {
    return this.options.groupsInFlight ?? 1;
  }

  /** Resolves once the job's transaction committed (job.result / job.error filled in). */
  write(job: Job): Promise<void> {
    return new Promise((resolve, reject) => {
      const size = jobSize(job);
      this.queue.push({ job, size, done: (err) => (err === undefined ? resolve() : reject(err)) });
      this.queuedSize += size;
      this.arrival?.resolve();
      this.arrival = null;
      if (this.running) return;
      if (this.queuedSize >= BATCH_WRITER.maxEvents) void this.run();
      else this.timer ??= setTimeout(() => void this.run(), BATCH_WRITER.maxWaitMs);
    });
  }

  private async run(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.running) return;
    this.running = true;
    let previous: InFlight | null = null;
    try {
      for (;;) {
        if (previous && (this.queue.length === 0 || this.groupsInFlight === 1)) {
          // Wait for the group in flight, or (when groups may overlap) for a request to start the next one with.
          const waits: Promise<unknown>[] = [previous.settled];
          if (this.groupsInFlight > 1) waits.push((this.arrival ??= Promise.withResolvers()).promise);
          await Promise.race(waits);
          if (!previous.done) continue;
          if (!previous.committed) await this.recover([previous]);
          previous = null;
          continue;
        }
        if (this.queue.length === 0) break;
        // Requests that arrive during a commit have already waited: the next group starts right away.
        const current = this.begin(this.take(), previous);
        await current.processed;
        if (previous) {
          await previous.settled;
          if (!previous.committed) {
            await current.settled; // it rolls back: it was built on the failed group's state
            await this.recover([previous, current]);
            previous = null;
            continue;
          }
        }
        previous = current;
      }
    } finally {
      this.running = false;
    }
  }

  private take(): Waiting[] {
    const group: Waiting[] = [];
    let size = 0;
    while (this.queue.length > 0 && (group.length === 0 || size + this.queue[0].size <= BATCH_WRITER.maxEvents)) {
      const w = this.queue.shift()!;
      size += w.size;
      group.push(w);
    }
    this.queuedSize -= size;
    return group;
  }

  private begin(group: Waiting[], previous: InFlight | null): InFlight {
    if (previous) this.metrics.overlapped.inc();
    const processed = Promise.withResolvers<void>();
    const flight: InFlight = { group, order: new GroupOrder(previous?.order), processed: processed.promise, settled: Promise.resolve(), done: false, committed: false, error: null };
    flight.settled = this.transact(group, flight.order, processed.resolve, this.groupsInFlight > 1).then(
      () => void (flight.committed = true),
      (err) => void (flight.error = err),
    ).finally(() => {
      flight.done = true;
      processed.resolve();
    });
    return flight;
  }

  /**
   * After a failed group (and the one built on it): start again from the database and retry each request
   * on its own, nothing else in flight. A race lost to another process (same event id, same identity)
   * resolves on re-reading, and one bad request does not fail the others.
   */
  private async recover(failed: InFlight[]): Promise<void> {
    this.state.clear();
    const error = failed.find((f) => !(f.error instanceof PreviousGroupFailed))?.error ?? failed[0].error;
    const waiting = failed.flatMap((f) => f.group);
    // The database is gone: retrying each request would only fail each in turn. All are refused (503) now.
    if (isDatabaseUnavailable(error)) return this.refuse(waiting, error);
    this.metrics.retried.inc({}, failed.length);
    log.warn("ingest group failed; retrying its requests one by one", { requests: waiting.length, error: describe(error) });
    for (const [i, w] of waiting.entries()) {
      resetJob(w.job);
      try {
        // Alone, without lock_timeout: nothing of this process waits on it, so it may wait as long as
        // another process's work (a merge of a user with many events) holds the rows.
        await this.transact([w], new GroupOrder(), () => {}, false);
      } catch (e) {
        this.state.clear();
        w.done(e);
        if (isDatabaseUnavailable(e)) return this.refuse(waiting.slice(i + 1), e);
      }
    }
  }

  private refuse(waiting: Waiting[], error: unknown): void {
    log.warn("ingest: the database is unavailable; requests refused with 503", { requests: waiting.length, error: describe(error) });
    for (const w of waiting) w.done(error);
  }

  /** `lockTimeout`: groups that overlap give up on a long lock wait (options.lockTimeoutMs). */
  private async transact(group: Waiting[], order: GroupOrder, processed: () => void, lockTimeout: boolean): Promise<void> {
    const jobs = group.map((w) => w.job);
    const started = performance.now();
    let written: WrittenBatch[];
    try {
      written = await withWritePriority(() =>
        this.db.transaction(async (tx) => {
          if (lockTimeout) await tx.execute(sql.raw(`set local lock_timeout = ${Math.round(this.options.lockTimeoutMs ?? BATCH_WRITER.lockTimeoutMs)}`));
          return processGroup(tx as unknown as Db, this.state, jobs, order, processed);
        }),
      );
    } catch (err) {
      order.settle(false);
      throw err;
    }
    order.settle(true);
    for (const wb of written) for (const id of wb.batch.eventIds) wb.batch.state.inFlightEventIds.delete(id);
    this.metrics.committed(jobs, written, (performance.now() - started) / 1000);
    tally(jobs, written);
    for (const w of group) w.done();
    for (const wb of written) publish(this.bus, wb);
  }
}

/** The database's own message (drizzle wraps it in "Failed query: <the whole statement>"). */
function describe(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string } } | null;
  return String(e?.cause?.message ?? e?.message ?? err).slice(0, 300);
}

function resetJob(job: Job): void {
  job.error = null;
  job.result = { accepted: 0, dropped: 0, userId: null, warnings: [] };
  for (const u of job.request.units) {
    for (const m of u.messages) {
      if (m.kind !== "event") continue;
      if (m.event.dropped === "duplicate") m.event.dropped = null;
      m.event.rage = false;
    }
  }
}
