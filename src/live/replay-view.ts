// A session page's player, live: each new chunk of the session's recording is read (src/replay/read.ts)
// and pushed over the page's socket (views/live/pushes.tsx; views/assets/session-replay.js hands it to
// the player frame). Chunks too large to push are announced instead (`upTo`), and the player fetches
// them over HTTP, as it does after a reconnect.
import { gunzipSync } from "node:zlib";
import { z } from "zod";
import { lastChunkSeq, readChunks } from "../replay/read";
import { parse } from "../validate";
import { envIdSchema, id53Schema } from "./users-view";
import type { ViewKind } from "./views";

/** Raw JSON pushed in one frame at most; the hub drops sockets that fall 1 MB behind. */
export const REPLAY_PUSH_MAX_RAW_BYTES = 256 * 1024;
/** Chunks read per push (a recorder uploads one every few seconds). */
const CHUNKS_PER_PUSH = 16;

export interface ReplayLiveView { envId: string; sessionId: number }
export interface ReplayChunkPush { seq: number; windowId: string; startedAt: number; endedAt: number; events: unknown[] }
export interface ReplayUpdate { upTo: number; chunks: ReplayChunkPush[] }

/** Per view (its group shares it): the last seq pushed. Set when the first page subscribes. */
const pushedUpTo = new WeakMap<ReplayLiveView, number>();

export const replayViewKind: ViewKind<ReplayLiveView, ReplayUpdate> = {
  kind: "replay",
  parse(raw) {
    const r = parse(z.object({ kind: z.literal("replay"), envId: envIdSchema, sessionId: id53Schema }), raw, { prefix: "view" });
    return { envId: r.envId, sessionId: r.sessionId };
  },
  key: (v) => `${v.envId}/${v.sessionId}`,
  allows: (p) => p.kind === "account",
  affected: (v, ch) => ch.replaySessionIds.has(v.sessionId),
  // A reconnecting player reads what it missed from the recording itself.
  catchUp: false,
  async read(ctx, v, ch) {
    // A page subscribing has read the recording over HTTP: pushes start after what exists now.
    if (!pushedUpTo.has(v)) {
      ctx.countQuery();
      pushedUpTo.set(v, await lastChunkSeq(ctx.db, v.envId, v.sessionId));
    }
    if (!ch.replaySessionIds.has(v.sessionId)) return null;
    ctx.countQuery();
    const chunks = await readChunks(ctx.db, v.envId, v.sessionId, pushedUpTo.get(v)!, CHUNKS_PER_PUSH);
    if (chunks.length === 0) return null;
    const upTo = chunks[chunks.length - 1].seq;
    pushedUpTo.set(v, upTo);
    const raw = chunks.map((c) => gunzipSync(c.data).toString("utf8"));
    if (raw.reduce((n, r) => n + r.length, 0) > REPLAY_PUSH_MAX_RAW_BYTES) return { data: { upTo, chunks: [] } };
    return {
      data: {
        upTo,
        chunks: chunks.map((c, i) => ({ seq: c.seq, windowId: c.windowId, startedAt: c.startedAt.getTime(), endedAt: c.endedAt.getTime(), events: JSON.parse(raw[i]) })),
      },
    };
  },
};
