// After a group commits: each request's accepted/dropped counts, and the live batch announced per environment.
import type { LiveBus } from "../live/bus";
import type { WrittenBatch } from "./group";
import type { Job } from "./types";

/** Fills in each job's counts: accepted = stored (or a non-event message), the rest dropped. */
export function tally(jobs: Job[], written: WrittenBatch[]): void {
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

/** One LiveBatch per environment and commit: keys only, for subscribers to re-read. */
export function publish(bus: LiveBus, { batch, storedEventIds, sessionIds }: WrittenBatch): void {
  const stored = batch.events.filter((e) => storedEventIds.has(e.id));
  const userIds = new Set(stored.map((e) => e.userId));
  for (const id of batch.writtenUserIds) userIds.add(id);
  if (userIds.size === 0 && stored.length === 0 && batch.mergedUserIds.size === 0) return;
  bus.publish({
    envId: batch.state.envId,
    userIds: [...userIds],
    newUserIds: [...batch.newUserIds].filter((id) => userIds.has(id)),
    sessionIds: [...sessionIds],
    newSessionIds: [...batch.newSessionIds].filter((id) => sessionIds.has(id)),
    eventIds: stored.map((e) => e.id),
    rageEventIds: [...stored.filter((e) => e.rage).map((e) => e.id), ...batch.backflaggedRage],
    at: Date.now(),
    ...(batch.mergedUserIds.size ? { mergedUserIds: [...batch.mergedUserIds] } : {}),
  });
}
