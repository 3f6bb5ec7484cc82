// Every static file the pages use, embedded by `bun build --compile`; served byte-identical.
import htmx from "../../node_modules/htmx.org/dist/htmx.min.js" with { type: "file" };
import htmxWs from "../../node_modules/htmx.org/dist/ext/hx-ws.min.js" with { type: "file" };
import css from "./loupe.css" with { type: "file" };
import appJs from "./app.js" with { type: "file" };
import favicon from "./favicon.svg" with { type: "file" };
import wallJs from "./wall.js" with { type: "file" };
import liveJs from "./live.js" with { type: "file" };
import wallCss from "./wall.css" with { type: "file" };
import navJs from "./nav.js" with { type: "file" };
import userPageJs from "./user-page.js" with { type: "file" };
import usersListJs from "./users-list.js" with { type: "file" };
import snippet from "./loupe.js" with { type: "file" };
import { RELATIVE_TIME_SCRIPT } from "./relative-time";
import recorder from "./loupe-record.js" with { type: "file" };
import rrwebRecord from "../../node_modules/@rrweb/record/dist/record.umd.min.cjs" with { type: "file" };
import rrwebReplay from "../../node_modules/@rrweb/replay/dist/replay.umd.min.cjs" with { type: "file" };
import rrwebReplayCss from "../../node_modules/@rrweb/replay/dist/style.min.css" with { type: "file" };
import replayJs from "./replay-player.js" with { type: "file" };
import replayCss from "./replay-player.css" with { type: "file" };
import sessionReplayJs from "./session-replay.js" with { type: "file" };

/** URL name → embedded path and content type. Names carry no version: responses are revalidated by ETag. */
export const ASSETS: Record<string, { path: string; type: string }> = {
  "htmx.min.js": { path: htmx, type: "text/javascript; charset=utf-8" },
  "hx-ws.min.js": { path: htmxWs, type: "text/javascript; charset=utf-8" },
  "loupe.css": { path: css, type: "text/css; charset=utf-8" },
  "app.js": { path: appJs, type: "text/javascript; charset=utf-8" },
  "favicon.svg": { path: favicon, type: "image/svg+xml" },
  "wall.js": { path: wallJs, type: "text/javascript; charset=utf-8" },
  "live.js": { path: liveJs, type: "text/javascript; charset=utf-8" },
  "wall.css": { path: wallCss, type: "text/css; charset=utf-8" },
  "nav.js": { path: navJs, type: "text/javascript; charset=utf-8" },
  "user-page.js": { path: userPageJs, type: "text/javascript; charset=utf-8" },
  "users-list.js": { path: usersListJs, type: "text/javascript; charset=utf-8" },
  /** rrweb's player (@rrweb/replay, MIT) and its stylesheet, for the replay frame (src/routes/replay.tsx). */
  "rrweb-replay.min.js": { path: rrwebReplay, type: "text/javascript; charset=utf-8" },
  "rrweb-replay.min.css": { path: rrwebReplayCss, type: "text/css; charset=utf-8" },
  "replay-player.js": { path: replayJs, type: "text/javascript; charset=utf-8" },
  "replay-player.css": { path: replayCss, type: "text/css; charset=utf-8" },
  "session-replay.js": { path: sessionReplayJs, type: "text/javascript; charset=utf-8" },
  /** The browser snippet; served at /loupe.js by routes/snippet.ts (cross-origin, CORS open). */
  "loupe.js": { path: snippet, type: "text/javascript; charset=utf-8" },
};

/** Scripts made from server code at start (one source for both sides): name → body. */
export const GENERATED_ASSETS: Record<string, { body: string; type: string }> = {
  "relative-time.js": { body: RELATIVE_TIME_SCRIPT, type: "text/javascript; charset=utf-8" },
};
/**
 * Not served as they are: src/routes/recorder.ts joins rrweb's recorder (@rrweb/record, MIT) and
 * Loupe's recorder into /loupe-record.js.
 */
export const RECORDER_PARTS = { rrweb: rrwebRecord, loupe: recorder };
