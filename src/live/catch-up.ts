// Catch-up: the keys of everything committed since a page's cursor, read back from the database, in
// the same shape as live batches, so one render path serves both (nothing missed after a reconnect).
import { sql } from "drizzle-orm";
import { ts } from "./sql-time";
import { queryRows } from "../db/client";
import { emptyChanges, type Changes, type ViewContext } from "./views";

export const CATCH_UP = {
  /** Catch-up after a reconnect reads at most this far back; older cursors get a full refresh. */
  maxMs: 24 * 3600_000,
  maxRows: 5000,
  /** received_at is the inserting transaction's start, which can precede an earlier batch's commit. */
  slackMs: 5000,
  /** Catch-up scans events by (client) time from this long before the cursor; older backfills only arrive live. */
  clockSkewMs: 3600_000,
} as const;

export async function changesSince(ctx: ViewContext, envId: string, since: number, until: number): Promise<Changes> {
  const from = new Date(since - CATCH_UP.slackMs);
  const timeFrom = new Date(since - CATCH_UP.clockSkewMs);
  ctx.countQuery();
  const rows = await queryRows<{ id: string; user_id: string | number; session_id: string | number; rage: boolean; received_at: string | Date }>(
    ctx.db,
    sql`select id, user_id, session_id, rage, received_at from events
        where env_id = ${envId} and time > ${ts(timeFrom)} and received_at > ${ts(from)}
        order by received_at limit ${CATCH_UP.maxRows}`,
  );
  const changes = emptyChanges(envId, until);
  changes.since = since;
  for (const r of rows) {
    changes.userIds.add(Number(r.user_id));
    changes.sessionIds.add(Number(r.session_id));
    changes.eventIds.add(r.id);
    if (r.rage) changes.rageEventIds.add(r.id);
  }
  // Past the cap the page only gets the newest rows it can show; views re-read rows by key anyway.
  if (rows.length === CATCH_UP.maxRows) changes.at = new Date(rows[rows.length - 1].received_at).getTime();
  return changes;
}
