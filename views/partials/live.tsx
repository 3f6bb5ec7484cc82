// The live connection of a page: put <LiveRegion view={…} cursor={…} /> on any page that should update
// itself. It opens htmx's WebSocket (hx-ws) to /live; live.js subscribes the view and shows the state.
import { VERSION } from "../../src/version";

/**
 * Where pushed rows land, as CSS selectors of the pages' own containers (rows inside keep their own ids:
 * user-<id>, session-<id>, event-<uuid>). A target without its list yet (an empty state) is re-fetched.
 */
export const LIVE_TARGETS = {
  /** The Users results: rows (<tbody id="user-…">) move and update inside its table. */
  usersRows: "#users-results",
  /** The number in "N users". */
  usersCount: "#users-count strong",
  /** The user page's sessions <tbody>. */
  userSessions: "#user-sessions",
  /** The session page's event list. */
  sessionEvents: "#session-events",
} as const;

export type LiveViewSpec =
  | { kind: "users"; envId: string; query: string }
  | { kind: "user"; envId: string; userId: number }
  | { kind: "session"; envId: string; userId: number; sessionId: number };

/** `cursor` is when the page's data was read (ms): a reconnect catches up from there. */
export function LiveRegion(props: { view: LiveViewSpec; cursor: number }) {
  const attrs = {
    id: "live",
    class: "live-region",
    "hx-ws:connect": "/live",
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
