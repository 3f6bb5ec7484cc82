// Reading recordings for the player: a session's recording summary, and its chunks after a seq,
// a page at a time, as stored (gzip bytes: the browser inflates them, the server does no work per byte).
import { and, asc, eq, gt, max } from "drizzle-orm";
import type { Db } from "../db/client";
import { recordings, replayChunks } from "../db/schema";

export type Recording = typeof recordings.$inferSelect;

export interface StoredChunk {
  seq: number;
  windowId: string;
  startedAt: Date;
  endedAt: Date;
  fullSnapshot: boolean;
  data: Uint8Array;
}

/** Chunks read per query while streaming: the first page is small so the first frame comes quickly. */
export const FIRST_PAGE_CHUNKS = 2;
export const PAGE_CHUNKS = 24;

export async function getRecording(db: Db, envId: string, sessionId: number): Promise<Recording | undefined> {
  const [row] = await db.select().from(recordings).where(and(eq(recordings.envId, envId), eq(recordings.sessionId, sessionId), gt(recordings.chunks, 0)));
  return row;
}

export function readChunks(db: Db, envId: string, sessionId: number, afterSeq: number, limit: number): Promise<StoredChunk[]> {
  return db
    .select({
      seq: replayChunks.seq, windowId: replayChunks.windowId, startedAt: replayChunks.startedAt, endedAt: replayChunks.endedAt,
      fullSnapshot: replayChunks.fullSnapshot, data: replayChunks.data,
    })
    .from(replayChunks)
    .where(and(eq(replayChunks.envId, envId), eq(replayChunks.sessionId, sessionId), gt(replayChunks.seq, afterSeq)))
    .orderBy(asc(replayChunks.seq))
    .limit(limit);
}

/** Every chunk after `afterSeq`, page by page (keyset on seq), until there are no more. */
export async function* chunksAfter(db: Db, envId: string, sessionId: number, afterSeq: number): AsyncGenerator<StoredChunk> {
  let after = afterSeq;
  let limit = FIRST_PAGE_CHUNKS;
  for (;;) {
    const page = await readChunks(db, envId, sessionId, after, limit);
    for (const c of page) yield c;
    if (page.length < limit) return;
    after = page[page.length - 1].seq;
    limit = PAGE_CHUNKS;
  }
}

/** The last chunk's seq (-1 when there is none). */
export async function lastChunkSeq(db: Db, envId: string, sessionId: number): Promise<number> {
  const [row] = await db.select({ seq: max(replayChunks.seq) }).from(replayChunks).where(and(eq(replayChunks.envId, envId), eq(replayChunks.sessionId, sessionId)));
  return row?.seq ?? -1;
}
