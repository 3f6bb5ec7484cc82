// Deleting recordings: with their users (every session of theirs), and by age for retention. Both
// delete chunks and summaries together and make the environment's usage be summed again.
import { and, eq, inArray, lt, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { recordings, replayChunks, sessions } from "../db/schema";
import { environmentUsage } from "./usage";

/** Session ids per chunk DELETE (bound parameters stay far under 65,535). */
const DELETE_BATCH = 5000;

/** Deletes the recordings of every session of these users; returns how many sessions had one. */
export async function deleteUserRecordings(db: Db, envId: string, userIds: number[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const theirSessions = db.select({ id: sessions.id }).from(sessions).where(and(eq(sessions.envId, envId), inArray(sessions.userId, userIds)));
  return deleteWhere(db, envId, (col) => inArray(col, theirSessions));
}

/** Deletes the recordings whose last chunk arrived before `before` (a retention job calls this). */
export async function deleteRecordingsBefore(db: Db, envId: string, before: Date): Promise<number> {
  const old = db.select({ id: recordings.sessionId }).from(recordings).where(and(eq(recordings.envId, envId), lt(recordings.updatedAt, before)));
  return deleteWhere(db, envId, (col) => inArray(col, old));
}

async function deleteWhere(db: Db, envId: string, sessionsIn: (col: typeof recordings.sessionId) => SQL | undefined): Promise<number> {
  const deleted = await db.transaction(async (tx) => {
    // Summaries first: that waits for an upload holding one (src/replay/store.ts locks it), so no chunk
    // committed meanwhile is left behind.
    const rows = await tx.delete(recordings).where(and(eq(recordings.envId, envId), sessionsIn(recordings.sessionId))).returning({ id: recordings.sessionId });
    const ids = rows.map((r) => r.id);
    for (let i = 0; i < ids.length; i += DELETE_BATCH) {
      await tx.delete(replayChunks).where(and(eq(replayChunks.envId, envId), inArray(replayChunks.sessionId, ids.slice(i, i + DELETE_BATCH))));
    }
    return ids.length;
  });
  environmentUsage(db, envId).forget();
  return deleted;
}
