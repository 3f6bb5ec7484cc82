// POST /api/replay — session-recording chunks from the snippet's recorder (views/assets/loupe-record.js).
// Body: JSON {envId, userId, sessionId, windowId, chunkId, sentAt, events}, plain or gzip (sniffed by
// its magic bytes: the recorder compresses with CompressionStream, a page-hide beacon sends plain text).
// 200 once the chunk is committed; 200 with `stop` when a cap drops it; 404 for a session that is not
// this environment's (or not this user's).
import { Hono } from "hono";
import type { AppContext } from "../context";
import { withDeadline } from "../db/unavailable";
import { INGEST_WAIT_MS } from "../ingest/pipeline";
import { bodyText, parseUpload } from "../replay/chunk";
import { REPLAY_DROP_REASONS, REPLAY_LIMITS } from "../replay/limits";
import { storeChunk } from "../replay/store";
import { admit, countRequests, openCors, readBodyBytes } from "./ingest-common";

/** Mounted at /api/replay. */
export function replayIngestRoutes(ctx: AppContext) {
  const app = new Hono();
  const stored = ctx.metrics.counter("loupe_replay_chunks_stored_total", "Recording chunks stored.");
  const storedBytes = ctx.metrics.counter("loupe_replay_bytes_stored_total", "Compressed recording bytes stored.");
  const dropped = ctx.metrics.counter("loupe_replay_chunks_dropped_total", "Recording chunks not stored, by reason (a cap reached).");
  for (const reason of REPLAY_DROP_REASONS) dropped.inc({ reason }, 0);

  app.use("*", openCors(), countRequests(ctx, "/api/replay"));
  app.post("/", async (c) => {
    const upload = parseUpload(bodyText(await readBodyBytes(c, REPLAY_LIMITS.maxUploadBytes)));
    await admit(ctx, upload.envId, "envId");
    const result = await withDeadline(storeChunk(ctx.db, upload), INGEST_WAIT_MS, "storing this recording chunk");
    if (!result.stored) {
      dropped.inc({ reason: result.dropped });
      return c.json({ ok: true, stored: false, dropped: result.dropped, stop: true });
    }
    if (!result.duplicate) {
      stored.inc();
      storedBytes.inc({}, result.bytes);
      ctx.bus.publish({ envId: upload.envId, userIds: [], newUserIds: [], sessionIds: [], newSessionIds: [], eventIds: [], rageEventIds: [], replaySessionIds: [upload.sessionId], at: Date.now() });
    }
    return c.json({ ok: true, stored: true, seq: result.seq, duplicate: result.duplicate });
  });
  return app;
}
