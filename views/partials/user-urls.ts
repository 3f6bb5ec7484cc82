// URLs of the user, session and event views (one place, so links and htmx requests agree).
const e = encodeURIComponent;

export const userUrl = (envId: string, userId: number | string) => `/e/${e(envId)}/users/${e(String(userId))}`;
export const userSessionsUrl = (envId: string, userId: number | string, after: string) =>
  `${userUrl(envId, userId)}/sessions?after=${e(after)}`;
export const sessionUrl = (envId: string, userId: number | string, sessionId: number | string) =>
  `${userUrl(envId, userId)}/sessions/${e(String(sessionId))}`;
export const sessionEventsUrl = (envId: string, userId: number | string, sessionId: number | string, after: string) =>
  `${sessionUrl(envId, userId, sessionId)}/events?after=${e(after)}`;
/** The event panel fragment (htmx). */
export const eventPanelUrl = (envId: string, userId: number | string, sessionId: number | string, eventId: string) =>
  `${sessionUrl(envId, userId, sessionId)}/events/${e(eventId)}`;
/** The session page with one event's panel open: the bookmarkable form of a clicked event. */
export const sessionEventUrl = (envId: string, userId: number | string, sessionId: number | string, eventId: string) =>
  `${sessionUrl(envId, userId, sessionId)}?event=${e(eventId)}`;
