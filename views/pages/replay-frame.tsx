// The replay player, a document of its own framed by the session page (its own security policy:
// src/replay/frame-policy.ts). views/assets/replay-player.js builds the player into it.
import { raw } from "hono/html";
import type { Recording } from "../../src/replay/read";
import { replayChunksUrl, replayMarksUrl } from "../../src/urls";

export interface ReplayFrameProps {
  envId: string;
  sessionId: number;
  recording: Recording;
  /** The recording is still growing: the player offers to follow it live. */
  live: boolean;
}

export function ReplayFrame(props: ReplayFrameProps) {
  const r = props.recording;
  const data = {
    "data-chunks": replayChunksUrl(props.envId, props.sessionId),
    "data-marks": replayMarksUrl(props.envId, props.sessionId),
    "data-start": String(r.startedAt.getTime()),
    "data-end": String(r.endedAt.getTime()),
    "data-live": props.live ? "true" : "false",
  };
  return (
    <>
      {/* A constant, never data: JSX would escape it into visible text. */}
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>Session recording</title>
          <link rel="stylesheet" href="/assets/rrweb-replay.min.css" />
          <link rel="stylesheet" href="/assets/replay-player.css" />
          <script src="/assets/rrweb-replay.min.js" defer></script>
          <script src="/assets/replay-player.js" defer></script>
        </head>
        <body {...data} data-state="loading">
          <div class="player">
            <div class="stage" id="stage">
              <p class="stage-note" id="stage-note" role="status">Loading the recording…</p>
            </div>
            <div class="controls">
              <button type="button" id="play" class="ctl" aria-label="Play" disabled>
                <span aria-hidden="true">▶</span>
              </button>
              <span class="clock" id="clock" aria-live="off">0:00</span>
              <div class="timeline" id="timeline" role="slider" tabindex={0} aria-label="Position in the recording" aria-valuemin={0} aria-valuenow={0} aria-valuetext="0:00">
                <div class="loaded" id="loaded"></div>
                <div class="progress" id="progress"></div>
                <div class="marks" id="marks"></div>
              </div>
              <label class="ctl-label">
                <span class="sr-only">Speed</span>
                <select id="speed" class="ctl">
                  <option value="1">1×</option>
                  <option value="2">2×</option>
                  <option value="4">4×</option>
                </select>
              </label>
              <label class="ctl-label check">
                <input type="checkbox" id="skip" checked /> Skip inactivity
              </label>
              <label class="ctl-label" id="window-pick" hidden>
                <span class="sr-only">Tab</span>
                <select id="window" class="ctl"></select>
              </label>
              <button type="button" id="live" class="ctl live-btn" hidden aria-pressed="false">Live</button>
            </div>
          </div>
        </body>
      </html>
    </>
  );
}
