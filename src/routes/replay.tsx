// Session replay in the dashboard, /e/:env/sessions/:session/replay…: the player's frame, the
// recording's chunks as a byte stream (src/replay/stream.ts) and the session's events as timeline
// marks. The session must be the environment's; handlers only throw.
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppContext } from "../context";
import { loadDefinitions } from "../definitions/label";
import { notFound } from "../errors";
import { REPLAY_FRAME_CSP } from "../replay/frame-policy";
import { chunksAfter, getRecording } from "../replay/read";
import { frameStream } from "../replay/stream";
import { listSessionEvents } from "../users/session-events";
import { parse } from "../validate";
import { ReplayFrame } from "../../views/pages/replay-frame";
import type { EnvApp } from "./environment";
import { pathId, query } from "./validate";

/** Events shown as marks on the timeline, at most. */
export const MAX_MARKS = 2000;
/** A recording whose last chunk arrived this recently is offered live. */
export const LIVE_RECORDING_MS = 60_000;

const afterQuery = z.object({ after: z.coerce.number({ message: "must be a chunk number (-1 for all)" }).int().min(-1).max(2 ** 31 - 1).default(-1) });

/** Mounted at /e/:env/sessions. */
export function replayRoutes(ctx: AppContext) {
  const app = new Hono<EnvApp>();

  async function recordingOf(c: Context<EnvApp>) {
    const sessionId = parse(pathId, c.req.param("session") ?? "", { whole: "session" });
    const recording = await getRecording(ctx.db, c.var.env.id, sessionId);
    if (!recording) throw notFound("No recording of this session");
    return { envId: c.var.env.id, sessionId, recording };
  }

  app.get("/:session/replay", async (c) => {
    const r = await recordingOf(c);
    c.header("Content-Security-Policy", REPLAY_FRAME_CSP);
    c.header("X-Frame-Options", "SAMEORIGIN");
    const live = Date.now() - r.recording.updatedAt.getTime() < LIVE_RECORDING_MS;
    return c.html(<ReplayFrame envId={r.envId} sessionId={r.sessionId} recording={r.recording} live={live} />);
  });

  app.get("/:session/replay/chunks", query(afterQuery), async (c) => {
    const { after } = c.req.valid("query");
    const r = await recordingOf(c);
    return new Response(frameStream(chunksAfter(ctx.db, r.envId, r.sessionId, after)), {
      headers: { "content-type": "application/octet-stream", "cache-control": "no-store" },
    });
  });

  app.get("/:session/replay/marks", async (c) => {
    const r = await recordingOf(c);
    const defs = await loadDefinitions(ctx.db, r.envId);
    const page = await listSessionEvents(ctx.db, r.envId, r.sessionId, defs, undefined, MAX_MARKS);
    return c.json({
      marks: page.rows.map((e) => ({ id: e.id, at: e.time.getTime(), text: e.label?.name ?? e.description, rage: e.rage })),
      more: page.next !== null,
    });
  });

  return app;
}
