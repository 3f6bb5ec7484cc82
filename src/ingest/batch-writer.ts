// Group commit: requests queue here; every few milliseconds (or at once when enough are waiting) all
// queued requests are processed in ONE transaction, and each request is answered only after it commits.
import { BATCH_WRITER } from "../constants";
import type { Db } from "../db/client";
import type { LiveBus } from "../live/bus";
import { withWritePriority } from "../db/priority";
import { log } from "../log";
import { processGroup, type WrittenBatch } from "./group";
import type { IngestMetrics } from "./metrics";
import type { IngestState } from "./state";
import type { Job } from "./types";

interface Waiting {
  job: Job;
  size: number;
  done: (err?: unknown) => void;
}

const jobSize = (job: Job) => job.request.units.reduce((n, u) => n + u.messages.length, 0);

export class BatchWriter {
  private queue: Waiting[] = [];
  private queuedSize = 0;
  private running = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly db: Db,
    private readonly state: IngestState,
    private readonly bus: LiveBus,
    private readonly metrics: IngestMetrics,
  ) {}

  /** Resolves once the job's transaction committed (job.result / job.error filled in). */
  write(job: Job): Promise<void> {
    return new Promise((resolve, reject) => {
      const size = jobSize(job);
      this.queue.push({ job, size, done: (err) => (err === undefined ? resolve() : reject(err)) });
      this.queuedSize += size;
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
    try {
      // Requests that arrive during a commit have already waited: the next group starts right away.
      while (this.queue.length > 0) await this.commit(this.take());
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

  private async commit(group: Waiting[]): Promise<void> {
    try {
      await this.transact(group);
    } catch (err) {
      // Start again from the database and retry each request on its own: a race lost to another
      // process (same event id, same identity) resolves on re-reading, and one bad request does not
      // fail the others.
      this.state.clear();
      log.warn("ingest group failed; retrying its requests one by one", { requests: group.length, error: String((err as Error)?.message ?? err).slice(0, 300) });
      for (const w of group) {
        resetJob(w.job);
        try {
          await this.transact([w]);
        } catch (e) {
          this.state.clear();
          w.done(e);
        }
      }
    }
  }

  private async transact(group: Waiting[]): Promise<void> {
    const jobs = group.map((w) => w.job);
    const started = performance.now();
    const written = await withWritePriority(() => this.db.transaction((tx) => processGroup(tx as unknown as Db, this.state, jobs)));
    this.metrics.committed(jobs, written, (performance.now() - started) / 1000);
    tally(jobs, written);
    for (const w of group) w.done();
    for (const wb of written) publish(this.bus, wb);
  }
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

function tally(jobs: Job[], written: WrittenBatch[]): void {
  const stored = new Set<string>();
  for (const wb of written) for (const id of wb.storedEventIds) stored.add(id);
  for (const job of jobs) {
    if (job.error) continue;
    let accepted = 0;
    let dropped = 0;
    for (const u of job.request.units) {
      for (const m of u.messages) {
        if (m.kind !== "event") accepted++;
        else if (m.event.dropped) dropped++;
        else if (stored.has(m.event.id)) accepted++;
        else dropped++;
      }
    }
    job.result.accepted = accepted;
    job.result.dropped = dropped;
  }
}

function publish(bus: LiveBus, { batch, storedEventIds, sessionIds }: WrittenBatch): void {
  const stored = batch.events.filter((e) => storedEventIds.has(e.id));
  const userIds = new Set(stored.map((e) => e.userId));
  for (const id of batch.writtenUserIds) userIds.add(id);
  if (userIds.size === 0 && stored.length === 0) return;
  bus.publish({
    envId: batch.state.envId,
    userIds: [...userIds],
    newUserIds: [...batch.newUserIds].filter((id) => userIds.has(id)),
    sessionIds: [...sessionIds],
    newSessionIds: [...batch.newSessionIds].filter((id) => sessionIds.has(id)),
    eventIds: stored.map((e) => e.id),
    rageEventIds: [...stored.filter((e) => e.rage).map((e) => e.id), ...batch.backflaggedRage],
    at: Date.now(),
  });
}
