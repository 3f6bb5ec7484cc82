// Writes events with COPY (the fastest bulk load on both drivers). Safe without ON CONFLICT because the
// deduplicate step already checked every client-made id in this transaction, and server-made ids are
// random; if another process stored one meanwhile, the COPY fails, the group's transaction rolls back
// and the batch writer retries each request alone (its deduplicate step then sees the stored row).
import { and, eq, inArray } from "drizzle-orm";
import { copyRows, type CopyValue } from "../db/client";
import { events } from "../db/schema";
import type { EnvBatch } from "./env-batch";
import { chunks, iso } from "./recordset";

const COLUMNS = [
  "env_id", "id", "user_id", "session_id", "time", "type", "name", "source", "domain", "path",
  "title", "target_text", "target_tag", "hierarchy", "href", "rage", "props",
];

export async function insertEvents(batch: EnvBatch): Promise<Set<string>> {
  const pending = batch.events.filter((e) => e.dropped === null);
  const env = batch.state.envId;
  const rows = pending.map((e): CopyValue[] => [
    env, e.id, e.userId, e.sessionId, iso(e.time), e.type, e.name, e.source, e.domain, e.path,
    e.title, e.targetText, e.targetTag, e.hierarchy, e.href, e.rage, JSON.stringify(e.props),
  ]);
  await copyRows(batch.tx, "events", COLUMNS, rows);
  return new Set(pending.map((e) => e.id));
}

/** Marks already-stored events that a later click turned into a rage burst. */
export async function backflagRage(batch: EnvBatch): Promise<void> {
  const ids = [...batch.backflaggedRage];
  for (const part of chunks(ids)) {
    await batch.tx.update(events).set({ rage: true }).where(and(eq(events.envId, batch.state.envId), inArray(events.id, part)));
  }
}
