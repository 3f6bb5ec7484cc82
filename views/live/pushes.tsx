// What each live view's push looks like: `<hx-partial>` elements holding the rows the pages render with
// their own components, so a pushed row is exactly what a reload would show. The swap styles
// (liveTop, liveRefresh, liveAppend) are views/assets/live.js's; src/routes/live-hub.ts pairs these
// with the view kinds of src/live/.
import type { Child } from "hono/jsx";
import type { ReplayUpdate } from "../../src/live/replay-view";
import type { SessionLiveView, SessionUpdate } from "../../src/live/session-view";
import type { UserLiveView, UserUpdate } from "../../src/live/user-view";
import type { UsersLiveView, UsersUpdate } from "../../src/live/users-view";
import type { WallUpdate } from "../../src/live/wall-view";
import { sessionDurationMs } from "../../src/users/user-sessions";
import { SESSION_FIGURES } from "../pages/session";
import { WALL_TILES_ID, WallTiles } from "../pages/wall";
import { REPLAY_INBOX_ID } from "../partials/replay";
import { EventRow, MOST_FREQUENT_ID, MostFrequent } from "../partials/event-row";
import { formatCount, formatDuration } from "../partials/format";
import { SessionRow } from "../partials/session-row";
import { UserRow } from "../partials/user-row";

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
  /** The session page's event list, the header's figures and its Most frequent strip. */
  sessionEvents: "#session-events",
  sessionDuration: `#${SESSION_FIGURES.duration}`,
  sessionEventCount: `#${SESSION_FIGURES.eventCount}`,
  mostFrequent: `#${MOST_FREQUENT_ID}`,
  wallTiles: `#${WALL_TILES_ID}`,
  /** The session page's inbox of recording chunks (views/partials/replay.tsx), emptied by session-replay.js. */
  replayChunks: `#${REPLAY_INBOX_ID}`,
} as const;

/** `<hx-partial>` around already-escaped markup; targets and swap styles are the fixed strings above. */
const partial = (target: string, swap: string, html: string) => (html ? `<hx-partial hx-target="${target}" hx-swap="${swap}">${html}</hx-partial>` : "");
const render = async (nodes: Child[]) => (await Promise.all(nodes.map((n) => String(n)))).join("");

export async function usersPush(v: UsersLiveView, d: UsersUpdate): Promise<string> {
  const ctx = { envId: d.env.id, timeZone: d.env.timeZone, viewQuery: v.query, now: new Date() };
  const rows = (list: UsersUpdate["top"]) => render(list.map((row) => <UserRow row={row} ctx={ctx} live={d.live.has(row.id)} />));
  return [
    partial(LIVE_TARGETS.usersRows, "liveTop", await rows(d.top)),
    partial(LIVE_TARGETS.usersRows, "liveRefresh", await rows(d.inPlace)),
    d.count === undefined ? "" : partial(LIVE_TARGETS.usersCount, "innerHTML", formatCount(d.count)),
  ].join("");
}

export async function userSessionsPush(_v: UserLiveView, d: UserUpdate): Promise<string> {
  const rows = (list: UserUpdate["fresh"]) => render(list.map((s) => <SessionRow session={s} envId={d.env.id} timeZone={d.env.timeZone} userId={d.userId} />));
  // New sessions go on top (the list is newest first); sessions already shown update where they are.
  return partial(LIVE_TARGETS.userSessions, "liveTop", await rows(d.fresh)) + partial(LIVE_TARGETS.userSessions, "liveRefresh", await rows(d.others));
}

export async function sessionEventsPush(v: SessionLiveView, d: SessionUpdate): Promise<string> {
  const scope = { envId: d.env.id, timeZone: d.env.timeZone, userId: v.userId, sessionId: v.sessionId };
  return [
    partial(LIVE_TARGETS.sessionEvents, "liveAppend", await render(d.events.map((e) => <EventRow event={e} scope={scope} />))),
    partial(LIVE_TARGETS.sessionDuration, "innerHTML", await render([<>{formatDuration(sessionDurationMs(d.session))}</>])),
    partial(LIVE_TARGETS.sessionEventCount, "innerHTML", await render([<>{formatCount(d.session.eventCount)}</>])),
    partial(LIVE_TARGETS.mostFrequent, "outerHTML", await render([<MostFrequent entries={d.frequent} />])),
  ].join("");
}

export async function wallPush(_v: unknown, d: WallUpdate): Promise<string> {
  return partial(LIVE_TARGETS.wallTiles, "innerHTML", await render([<WallTiles figures={d.figures} timeZone={d.env.timeZone} />]));
}

/** New recording chunks for the player, as data in an inert <template> (JSX escapes the attribute). */
export async function replayChunksPush(_v: unknown, d: ReplayUpdate): Promise<string> {
  return partial(LIVE_TARGETS.replayChunks, "beforeend", await render([<template data-replay-chunks={JSON.stringify(d)}></template>]));
}
