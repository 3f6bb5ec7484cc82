// Deduplicate step: an event id seen before (stored, earlier in this group, or in the group still in
// flight before it) is dropped as a duplicate.
import { and, eq, inArray } from "drizzle-orm";
import { events } from "../db/schema";
import type { EnvBatch } from "./env-batch";
import { chunks } from "./recordset";
import type { Job } from "./types";

export async function dedupe(batch: EnvBatch, jobs: Job[]): Promise<void> {
  const fresh = [];
  for (const job of jobs) {
    for (const unit of job.request.units) {
      for (const m of unit.messages) {
        if (m.kind !== "event" || m.event.dropped) continue;
        if (batch.eventIds.has(m.event.id) || batch.state.inFlightEventIds.has(m.event.id)) m.event.dropped = "duplicate";
        else {
          batch.eventIds.add(m.event.id);
          batch.state.inFlightEventIds.add(m.event.id);
          if (!m.event.mintedId) fresh.push(m.event.id);
        }
      }
    }
  }
  const existing = new Set<string>();
  for (const part of chunks(fresh)) {
    const rows = await batch.tx
      .select({ id: events.id })
      .from(events)
      .where(and(eq(events.envId, batch.state.envId), inArray(events.id, part)));
    for (const r of rows) existing.add(r.id);
  }
  if (existing.size === 0) return;
  for (const job of jobs) {
    for (const unit of job.request.units) {
      for (const m of unit.messages) if (m.kind === "event" && existing.has(m.event.id)) m.event.dropped = "duplicate";
    }
  }
}
