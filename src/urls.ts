// Every dashboard URL, built in one place so links, htmx requests, redirects and the routes that
// answer them (src/routes/) agree. Path parts are encoded; query strings come from URLSearchParams.
import { viewParams, type UsersView } from "./filters/view";

type Id = number | string;
const e = (id: Id) => encodeURIComponent(String(id));

export function withQuery(path: string, params: URLSearchParams): string {
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** `/e/<env>` and what lies under it. */
export const envUrl = (envId: string, rest = "") => `/e/${e(envId)}${rest}`;

// ---- Users list --------------------------------------------------------------------------------
export const usersPath = (envId: string) => envUrl(envId, "/users");
export const usersUrl = (envId: string, view: UsersView) => withQuery(usersPath(envId), viewParams(view));
export const usersCsvUrl = (envId: string, view: UsersView) => withQuery(envUrl(envId, "/users.csv"), viewParams(view));
/** The list's htmx fragments: results, more, builder, suggest (and row/<id>, see userRowUrl). */
export const usersListUrl = (envId: string, part: "results" | "more" | "builder" | "suggest", params?: URLSearchParams) =>
  withQuery(envUrl(envId, `/users-list/${part}`), params ?? new URLSearchParams());
/** One list row re-rendered with the list's query (`viewQuery`), expanded or not. */
export const userRowUrl = (envId: string, userId: Id, viewQuery: string, expanded: boolean) =>
  `${envUrl(envId, `/users-list/row/${e(userId)}`)}?${viewQuery}${viewQuery ? "&" : ""}expanded=${expanded ? 1 : 0}`;

// ---- A user, their sessions, a session's events --------------------------------------------------
export const userUrl = (envId: string, userId: Id) => envUrl(envId, `/users/${e(userId)}`);
export const userSessionsUrl = (envId: string, userId: Id, after: string) => `${userUrl(envId, userId)}/sessions?after=${e(after)}`;
export const sessionUrl = (envId: string, userId: Id, sessionId: Id) => `${userUrl(envId, userId)}/sessions/${e(sessionId)}`;
/** A session's first events, for a Users-list row that opens it in place (htmx). */
export const sessionPreviewUrl = (envId: string, userId: Id, sessionId: Id) => `${sessionUrl(envId, userId, sessionId)}/preview`;
export const sessionEventsUrl = (envId: string, userId: Id, sessionId: Id, after: string) =>
  `${sessionUrl(envId, userId, sessionId)}/events?after=${e(after)}`;
/** The event panel fragment (htmx). */
export const eventPanelUrl = (envId: string, userId: Id, sessionId: Id, eventId: string) => `${sessionUrl(envId, userId, sessionId)}/events/${e(eventId)}`;
/** The session page with one event's panel open: the bookmarkable form of a clicked event. */
export const sessionEventUrl = (envId: string, userId: Id, sessionId: Id, eventId: string) => `${sessionUrl(envId, userId, sessionId)}?event=${e(eventId)}`;

// ---- Session replay (src/routes/replay.tsx) ---------------------------------------------------------
/** The replay player's frame of a session, and what it reads. */
export const replayFrameUrl = (envId: string, sessionId: Id) => envUrl(envId, `/sessions/${e(sessionId)}/replay`);
export const replayChunksUrl = (envId: string, sessionId: Id) => `${replayFrameUrl(envId, sessionId)}/chunks`;
export const replayMarksUrl = (envId: string, sessionId: Id) => `${replayFrameUrl(envId, sessionId)}/marks`;
/** The session page scrolled to its player (the play icons link here). */
export const sessionReplayUrl = (envId: string, userId: Id, sessionId: Id) => `${sessionUrl(envId, userId, sessionId)}#replay`;

// ---- Segments, settings, the wall ---------------------------------------------------------------
export const segmentsUrl = (envId: string, saved = false) => envUrl(envId, saved ? "/segments?saved=1" : "/segments");
export const segmentUrl = (envId: string, segmentId: Id, action: "open" | "rename" | "delete") => envUrl(envId, `/segments/${e(segmentId)}/${action}`);
export const settingsUrl = (envId: string, saved?: "general" | "privacy" | "replay" | "environment") =>
  envUrl(envId, saved ? `/settings?saved=${saved}` : "/settings");
export const kioskLinksUrl = (envId: string, rest: "" | "/list" = "") => envUrl(envId, `/settings/kiosk${rest}`);
export const kioskRevokeUrl = (envId: string, kioskId: Id) => envUrl(envId, `/settings/kiosk/${e(kioskId)}/revoke`);
export const wallUrl = (envId: string) => envUrl(envId, "/wall");
export const defineEventUrl = (envId: string, eventId: string) => envUrl(envId, `/definitions/new?from=${e(eventId)}`);

// ---- Outside an environment ---------------------------------------------------------------------
/** The URL browsers reach this Loupe at: the configured base URL, else the request's origin. */
export const publicBaseUrl = (config: { baseUrl?: string }, requestUrl: string) => (config.baseUrl ?? new URL(requestUrl).origin).replace(/\/+$/, "");
/** A kiosk link: the wall page a token opens, and its socket. */
export const kioskWallPath = (token: string) => `/wall/${e(token)}`;
export const kioskSocketPath = (token: string) => `${kioskWallPath(token)}/live`;
/** The dashboard's live socket. */
export const LIVE_SOCKET_PATH = "/live";
export const loginUrl = (next: string) => (next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`);
