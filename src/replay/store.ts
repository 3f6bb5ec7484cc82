// Storing one chunk: the session must exist in the uploading environment and belong to the uploading
// user (or a user merged into it); the session's and the environment's caps are checked; the chunk and
// its recording's totals are written in one short transaction (the compression happens before it).
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { recordings, replayChunks, sessions, userAliases } from "../db/schema";
import { LoupeError } from "../errors";
import { encodeChunk, type ChunkUpload, type EncodedChunk } from "./chunk";
import { environmentUsage, type EnvironmentUsage } from "./usage";
import { REPLAY_LIMITS, type ReplayDropReason } from "./limits";

export type StoreResult =
  | { stored: true; seq: number; duplicate: boolean; startedAt: number; bytes: number }
  | { stored: false; dropped: ReplayDropReason };

type Recording = typeof recordings.$inferSelect;
export type ReplayCaps = Record<"maxSessionBytes" | "maxSessionDurationMs" | "maxEnvironmentBytes" | "maxEnvironmentDurationMs", number>;

/** Whose session it is, and its recording so far (if any). */
async function sessionAndRecording(db: Db, envId: string, sessionId: number) {
  const [row] = await db
    .select({ userId: sessions.userId, recording: recordings })
    .from(sessions)
    .leftJoin(recordings, and(eq(recordings.envId, sessions.envId), eq(recordings.sessionId, sessions.id)))
    .where(and(eq(sessions.envId, envId), eq(sessions.id, sessionId)));
  return row;
}

async function isAliasOf(db: Db, envId: string, aliasId: number, userId: number): Promise<boolean> {
  const [row] = await db.select({ userId: userAliases.userId }).from(userAliases).where(and(eq(userAliases.envId, envId), eq(userAliases.aliasId, aliasId)));
  return row?.userId === userId;
}

/** The cap this chunk would cross, if any. */
function capCrossed(rec: Pick<Recording, "bytes" | "startedAt" | "endedAt"> | null, chunk: EncodedChunk, env: EnvironmentUsage, limits: ReplayCaps): ReplayDropReason | null {
  const bytes = chunk.data.byteLength;
  if ((rec?.bytes ?? 0) + bytes > limits.maxSessionBytes) return "session_bytes";
  const start = Math.min(rec?.startedAt.getTime() ?? Infinity, chunk.startedAt);
  const end = Math.max(rec?.endedAt.getTime() ?? -Infinity, chunk.endedAt);
  if (end - start > limits.maxSessionDurationMs) return "session_duration";
  if (env.bytes + bytes > limits.maxEnvironmentBytes) return "environment_bytes";
  const grows = rec ? end - start - (rec.endedAt.getTime() - rec.startedAt.getTime()) : end - start;
  if (env.durationMs + grows > limits.maxEnvironmentDurationMs) return "environment_duration";
  return null;
}

/** Session caps end the recording for good; environment caps only refuse until retention frees room. */
const endsRecording = (reason: ReplayDropReason) => reason === "session_bytes" || reason === "session_duration";

export async function storeChunk(db: Db, upload: ChunkUpload, opts: { now?: number; caps?: ReplayCaps } = {}): Promise<StoreResult> {
  const now = opts.now ?? Date.now();
  const caps = opts.caps ?? REPLAY_LIMITS;
  const found = await sessionAndRecording(db, upload.envId, upload.sessionId);
  const owner = found && (found.userId === upload.userId || (await isAliasOf(db, upload.envId, upload.userId, found.userId)));
  if (!found || !owner) throw new LoupeError("not_found", `sessionId: no session ${upload.sessionId} of user ${upload.userId} in this environment`, { field: "sessionId" });
  const before = found.recording;
  if (before?.cappedBy) return { stored: false, dropped: before.cappedBy as ReplayDropReason };

  // One clock shift per recording, fixed by its first chunk (src/replay/chunk.ts).
  let skew = before?.clockSkewMs ?? Math.round(now - upload.sentAt);
  let chunk = encodeChunk(upload.events, skew);
  const usage = environmentUsage(db, upload.envId);
  // Read before the transaction: on PGlite (one connection) a query outside it would wait for it.
  const envUsage = await usage.read();
  const early = capCrossed(before, chunk, envUsage, caps);
  if (early && !endsRecording(early)) return { stored: false, dropped: early };

  for (;;) {
    const result = await db.transaction(async (tx) => {
      await tx.insert(recordings).values({
        envId: upload.envId, sessionId: upload.sessionId, startedAt: new Date(chunk.startedAt), endedAt: new Date(chunk.endedAt),
        chunks: 0, bytes: 0, rawBytes: 0, eventCount: 0, clockSkewMs: skew,
      }).onConflictDoNothing();
      const [rec] = await tx.select().from(recordings).where(and(eq(recordings.envId, upload.envId), eq(recordings.sessionId, upload.sessionId))).for("update");
      // Another tab's first chunk won the race with another clock reading: encode again with its shift.
      if (rec.clockSkewMs !== skew) return { reencode: rec.clockSkewMs };
      if (rec.cappedBy) return { stored: false as const, dropped: rec.cappedBy as ReplayDropReason };
      const fresh = rec.chunks === 0;
      const crossed = capCrossed(fresh ? null : rec, chunk, envUsage, caps);
      if (crossed) {
        const where = and(eq(recordings.envId, upload.envId), eq(recordings.sessionId, upload.sessionId));
        // A recording with nothing stored yet is not kept as an empty row; one that reached its cap is closed.
        if (fresh) await tx.delete(recordings).where(where);
        else if (endsRecording(crossed)) await tx.update(recordings).set({ cappedBy: crossed }).where(where);
        return { stored: false as const, dropped: crossed };
      }
      const [inserted] = await tx.insert(replayChunks).values({
        envId: upload.envId, sessionId: upload.sessionId, seq: rec.chunks, chunkId: upload.chunkId, windowId: upload.windowId,
        startedAt: new Date(chunk.startedAt), endedAt: new Date(chunk.endedAt), data: chunk.data, eventCount: upload.events.length,
        rawBytes: chunk.rawBytes, fullSnapshot: chunk.fullSnapshot,
      }).onConflictDoNothing().returning({ seq: replayChunks.seq });
      if (!inserted) {
        const [dup] = await tx.select({ seq: replayChunks.seq, startedAt: replayChunks.startedAt }).from(replayChunks)
          .where(and(eq(replayChunks.envId, upload.envId), eq(replayChunks.sessionId, upload.sessionId), eq(replayChunks.chunkId, upload.chunkId)));
        return { stored: true as const, seq: dup.seq, duplicate: true, startedAt: dup.startedAt.getTime() };
      }
      const start = fresh ? chunk.startedAt : Math.min(rec.startedAt.getTime(), chunk.startedAt);
      const end = fresh ? chunk.endedAt : Math.max(rec.endedAt.getTime(), chunk.endedAt);
      await tx.update(recordings).set({
        chunks: sql`${recordings.chunks} + 1`,
        bytes: sql`${recordings.bytes} + ${chunk.data.byteLength}`,
        rawBytes: sql`${recordings.rawBytes} + ${chunk.rawBytes}`,
        eventCount: sql`${recordings.eventCount} + ${upload.events.length}`,
        startedAt: new Date(start),
        endedAt: new Date(end),
        updatedAt: new Date(now),
      }).where(and(eq(recordings.envId, upload.envId), eq(recordings.sessionId, upload.sessionId)));
      const grew = end - start - (fresh ? 0 : rec.endedAt.getTime() - rec.startedAt.getTime());
      return { stored: true as const, seq: inserted.seq, duplicate: false, startedAt: chunk.startedAt, grew };
    });
    if ("reencode" in result) {
      skew = result.reencode!;
      chunk = encodeChunk(upload.events, skew);
      continue;
    }
    if (result.stored && !result.duplicate) usage.add(chunk.data.byteLength, result.grew ?? 0);
    if (result.stored) return { stored: true, seq: result.seq, duplicate: result.duplicate, startedAt: result.startedAt, bytes: result.duplicate ? 0 : chunk.data.byteLength };
    return result;
  }
}
