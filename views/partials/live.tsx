// The live connection of a page: put <LiveRegion view={…} cursor={…} /> on any page that should update
// itself. It opens htmx's WebSocket (hx-ws) to /live; live.js subscribes the view and shows the state;
// what arrives is views/live/pushes.tsx.
import { LIVE_SOCKET_PATH } from "../../src/urls";
import { VERSION } from "../../src/version";

export type LiveViewSpec =
  | { kind: "users"; envId: string; query: string }
  | { kind: "user"; envId: string; userId: number }
  | { kind: "session"; envId: string; userId: number; sessionId: number };

/** `cursor` is when the page's data was read (ms): a reconnect catches up from there. */
export function LiveRegion(props: { view: LiveViewSpec; cursor: number }) {
  const attrs = {
    id: "live",
    class: "live-region",
    "hx-ws:connect": LIVE_SOCKET_PATH,
    "data-live-view": JSON.stringify(props.view),
    "data-live-cursor": String(props.cursor),
    "data-live-version": VERSION,
  };
  return (
    <div {...attrs}>
      <span class="live-state" data-live-state data-state="connecting" role="status">Connecting…</span>
    </div>
  );
}

/**
 * htmx, its WebSocket extension and live.js, for the end of a page's body. Parser-blocking there, not
 * deferred: htmx started during deferred scripts initialises on a timer, which can fire before a
 * slower-loading extension registers (the live region then never connects, or connects unseen by
 * live.js). Run while the document is still loading, htmx waits for DOMContentLoaded, after all three.
 */
export function LiveScripts() {
  return (
    <>
      <script src="/assets/htmx.min.js"></script>
      <script src="/assets/hx-ws.min.js"></script>
      <script src="/assets/live.js"></script>
    </>
  );
}
