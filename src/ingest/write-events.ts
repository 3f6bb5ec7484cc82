// Writes events: multi-row INSERT … ON CONFLICT DO NOTHING, counting the rows actually stored.
import { and, eq, inArray, sql } from "drizzle-orm";
import { affectedRows } from "../db/client";
import { events } from "../db/schema";
import type { EnvBatch } from "./env-batch";
import { chunks, iso, recordset } from "./recordset";

const COLUMNS =
  "id uuid, user_id bigint, session_id bigint, time timestamptz, type text, name text, source text, domain text, path text, " +
  "title text, target_text text, target_tag text, hierarchy text, href text, rage boolean, props jsonb";

/** Inserts the pending events; returns how many were stored (the others exist already). */
export async function insertEvents(batch: EnvBatch): Promise<number> {
  let stored = 0;
  for (const part of chunks(batch.events.filter((e) => e.dropped === null))) {
    const rows = part.map((e) => ({
      id: e.id, user_id: e.userId, session_id: e.sessionId, time: iso(e.time), type: e.type, name: e.name, source: e.source,
      domain: e.domain, path: e.path, title: e.title, target_text: e.targetText, target_tag: e.targetTag,
      hierarchy: e.hierarchy, href: e.href, rage: e.rage, props: e.props,
    }));
    stored += await affectedRows(batch.tx, sql`insert into events
        (env_id, id, user_id, session_id, time, type, name, source, domain, path, title, target_text, target_tag, hierarchy, href, rage, props)
      select ${batch.state.envId}, x.id, x.user_id, x.session_id, x.time, x.type, x.name, x.source, x.domain, x.path, x.title,
        x.target_text, x.target_tag, x.hierarchy, x.href, x.rage, x.props
      from ${recordset(rows, COLUMNS)}`);
  }
  return stored;
}

/** Marks already-stored events that a later click turned into a rage burst. */
export async function backflagRage(batch: EnvBatch): Promise<void> {
  const ids = [...batch.backflaggedRage];
  if (ids.length === 0) return;
  await batch.order.previousCommitted(); // the clicks may be the previous group's rows
  for (const part of chunks(ids)) {
    await batch.tx.update(events).set({ rage: true }).where(and(eq(events.envId, batch.state.envId), inArray(events.id, part)));
  }
}
