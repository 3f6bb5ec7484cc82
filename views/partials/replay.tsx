// Session replay on the dashboard's pages: the play icon of a recorded session, and the player panel
// of the session page (its frame is a document of its own: views/pages/replay-frame.tsx).
import { replayFrameUrl, sessionReplayUrl } from "../../src/urls";

/** Where live recording chunks land on the session page (views/live/pushes.tsx); session-replay.js empties it. */
export const REPLAY_INBOX_ID = "replay-inbox";

export function PlayLink(props: { envId: string; userId: number; sessionId: number; label: string }) {
  return (
    <a class="replay-icon" href={sessionReplayUrl(props.envId, props.userId, props.sessionId)} aria-label={`Play the recording of ${props.label}`} title="Play the recording">
      ▶
    </a>
  );
}

/** The player, beside the session's events (views/assets/session-replay.js links the two). */
export function ReplayPanel(props: { envId: string; sessionId: number }) {
  return (
    <section class="panel replay-panel" id="replay" aria-label="Session recording" data-replay-env={props.envId} data-replay-session={String(props.sessionId)}>
      <iframe id="replay-frame" class="replay-frame" src={replayFrameUrl(props.envId, props.sessionId)} title="Session recording player"></iframe>
      <div id={REPLAY_INBOX_ID} hidden></div>
    </section>
  );
}
