// A user's sessions, newest first, keyset-paged over (started_at, id) for users with thousands.
import { and, desc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { USER_PAGE } from "./limits";
import type { Db } from "../db/client";
import { replayChunks, sessions } from "../db/schema";
import { cursorTime, encodeCursor, epochMicros, type TimeCursor } from "./time-cursor";

export type Session = typeof sessions.$inferSelect;
export type SessionRow = Session & { hasReplay: boolean };

export interface SessionPage {
  rows: SessionRow[];
  /** Cursor of the next (older) page, or null at the end. */
  next: string | null;
}

const hasReplay = sql<boolean>`exists (select 1 from ${replayChunks} where ${replayChunks.envId} = ${sessions.envId} and ${replayChunks.sessionId} = ${sessions.id})`;

export async function listUserSessions(
  db: Db,
  envId: string,
  userId: number,
  after?: TimeCursor<number>,
  limit: number = USER_PAGE.sessionsPerPage,
): Promise<SessionPage> {
  const rows = await db
    .select({ ...getTableColumns(sessions), hasReplay, cursorUs: epochMicros(sessions.startedAt) })
    .from(sessions)
    .where(
      and(
        eq(sessions.envId, envId),
        eq(sessions.userId, userId),
        after ? sql`(${sessions.startedAt}, ${sessions.id}) < (${cursorTime(after.us)}, ${after.id})` : undefined,
      ),
    )
    .orderBy(desc(sessions.startedAt), desc(sessions.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page.map(({ cursorUs: _, ...r }) => ({ ...r, hasReplay: Boolean(r.hasReplay) })),
    next: rows.length > limit && last ? encodeCursor(last.cursorUs, last.id) : null,
  };
}

/** One session with its replay flag, or undefined. */
export async function getSession(db: Db, envId: string, sessionId: number): Promise<SessionRow | undefined> {
  const [row] = await db
    .select({ ...getTableColumns(sessions), hasReplay })
    .from(sessions)
    .where(and(eq(sessions.envId, envId), eq(sessions.id, sessionId)));
  return row ? { ...row, hasReplay: Boolean(row.hasReplay) } : undefined;
}

/** Session length in ms (last activity − start); 0 for a one-event session. */
export const sessionDurationMs = (s: Pick<Session, "startedAt" | "lastAt">) => Math.max(0, s.lastAt.getTime() - s.startedAt.getTime());

/** The user's sessions among `ids`, newest first, at most `limit`: what a live update of the user page shows. */
export async function userSessionsByIds(db: Db, envId: string, userId: number, ids: number[], limit: number): Promise<SessionRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ ...getTableColumns(sessions), hasReplay })
    .from(sessions)
    .where(and(eq(sessions.envId, envId), eq(sessions.userId, userId), inArray(sessions.id, ids)))
    .orderBy(desc(sessions.startedAt), desc(sessions.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, hasReplay: Boolean(r.hasReplay) }));
}
