// The user page, its sessions, a session's events and one event's panel (SPEC §4). Thin handlers:
// parse → query → render. Fragments answer htmx; every page state is also a plain URL.
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { DashboardEnv } from "../auth/middleware";
import type { AppContext } from "../context";
import { loadDefinitions, labelFor } from "../definitions/label";
import { invalid } from "../errors";
import { getEvent, listSessionEvents, mostFrequent } from "../users/session-events";
import { decodeCursor } from "../users/time-cursor";
import { findUser, mergeHistory, userTotals } from "../users/user";
import { getSession, listUserSessions } from "../users/user-sessions";
import { NotFoundPage } from "../../views/pages/not-found";
import { SessionPage } from "../../views/pages/session";
import { UserPage } from "../../views/pages/user";
import { EventPanel, type DefineAction } from "../../views/partials/event-panel";
import { EventRows } from "../../views/partials/event-row";
import { SessionRows } from "../../views/partials/session-row";
import { sessionUrl, userUrl } from "../../views/partials/user-urls";
import { pageEnvironment } from "./page-env";

const numericId = (field: string, raw: string | undefined): number => {
  const parsed = z.string().regex(/^\d{1,16}$/).transform(Number).pipe(z.number().max(Number.MAX_SAFE_INTEGER)).safeParse(raw);
  if (!parsed.success) throw invalid(field, "must be a decimal id between 0 and 2^53-1");
  return parsed.data;
};
const uuidParam = (field: string, raw: string | undefined): string => {
  const parsed = z.string().uuid().safeParse(raw);
  if (!parsed.success) throw invalid(field, "must be an event id (UUID)");
  return parsed.data.toLowerCase();
};

export interface UserPageOptions {
  /** Whether a route exists at this path (the Define form arrives with the definitions feature). */
  hasRoute(path: string): boolean;
}

export function userPageRoutes(ctx: AppContext, opts: UserPageOptions) {
  const app = new Hono<DashboardEnv>();

  /** The environment and user of a request, or the response to send instead (404, or a redirect for merged ids). */
  async function resolve(c: Context<DashboardEnv>, rest = "") {
    const page = await pageEnvironment(ctx.db, c.req.param("env") ?? "");
    const userId = numericId("user", c.req.param("user"));
    if (!page) return notFound(c, "No such environment");
    const found = await findUser(ctx.db, page.env.id, userId);
    if (found.kind === "merged") {
      const query = new URL(c.req.url).search;
      return c.redirect(`${userUrl(page.env.id, found.intoUserId)}${rest}${query}`, 302);
    }
    if (found.kind === "missing") return notFound(c, "No such user in this environment", page);
    return { ...page, user: found.user };
  }

  function notFound(c: Context<DashboardEnv>, message: string, page?: Awaited<ReturnType<typeof pageEnvironment>>) {
    if (c.req.header("hx-request")) return c.json({ error: { code: "not_found", message } }, 404);
    return c.html(<NotFoundPage message={message} env={page?.env} envs={page?.envs} csrfToken={c.get("auth").csrfToken} />, 404);
  }

  const defineAction = (envId: string, eventId: string): DefineAction => {
    const path = `/e/:env/definitions/new`;
    return opts.hasRoute(path) ? { href: `/e/${encodeURIComponent(envId)}/definitions/new?from=${encodeURIComponent(eventId)}` } : {};
  };

  const sessionCursor = (c: Context) => {
    const raw = c.req.query("after");
    return raw === undefined ? undefined : decodeCursor("after", raw, "number");
  };
  const eventCursor = (c: Context) => {
    const raw = c.req.query("after");
    return raw === undefined ? undefined : decodeCursor("after", raw, "uuid");
  };

  app.get("/e/:env/users/:user", async (c) => {
    const r = await resolve(c);
    if (r instanceof Response) return r;
    const [totals, merges, sessions] = await Promise.all([
      userTotals(ctx.db, r.env.id, r.user.id),
      mergeHistory(ctx.db, r.env.id, r.user.id),
      listUserSessions(ctx.db, r.env.id, r.user.id),
    ]);
    return c.html(<UserPage env={r.env} envs={r.envs} csrfToken={c.get("auth").csrfToken} user={r.user} totals={totals} merges={merges} sessions={sessions} />);
  });

  app.get("/e/:env/users/:user/sessions", async (c) => {
    const after = sessionCursor(c);
    const r = await resolve(c, "/sessions");
    if (r instanceof Response) return r;
    const page = await listUserSessions(ctx.db, r.env.id, r.user.id, after);
    return c.html(<SessionRows sessions={page.rows} next={page.next} envId={r.env.id} timeZone={r.env.timeZone} userId={r.user.id} />);
  });

  /** The session, checked to belong to the user (a merged-away owner redirects to the survivor's URL). */
  async function resolveSession(c: Context<DashboardEnv>, rest = "") {
    const sessionId = numericId("session", c.req.param("session"));
    const r = await resolve(c, `/sessions/${sessionId}${rest}`);
    if (r instanceof Response) return r;
    const session = await getSession(ctx.db, r.env.id, sessionId);
    if (!session) return notFound(c, "No such session", r);
    if (session.userId !== r.user.id) return c.redirect(`${sessionUrl(r.env.id, session.userId, session.id)}${rest}${new URL(c.req.url).search}`, 302);
    return { ...r, session };
  }

  app.get("/e/:env/users/:user/sessions/:session", async (c) => {
    const eventParam = c.req.query("event");
    const eventId = eventParam === undefined ? undefined : uuidParam("event", eventParam);
    const r = await resolveSession(c);
    if (r instanceof Response) return r;
    const defs = await loadDefinitions(ctx.db, r.env.id);
    const [events, frequent, selectedEvent] = await Promise.all([
      listSessionEvents(ctx.db, r.env.id, r.session.id, defs),
      mostFrequent(ctx.db, r.env.id, r.session.id, defs),
      eventId ? getEvent(ctx.db, r.env.id, eventId) : undefined,
    ]);
    const selected = selectedEvent && selectedEvent.sessionId === r.session.id
      ? { event: selectedEvent, label: labelFor(defs, selectedEvent), define: defineAction(r.env.id, selectedEvent.id) }
      : undefined;
    return c.html(<SessionPage env={r.env} envs={r.envs} csrfToken={c.get("auth").csrfToken} user={r.user} session={r.session} events={events} frequent={frequent} selected={selected} />);
  });

  app.get("/e/:env/users/:user/sessions/:session/events", async (c) => {
    const after = eventCursor(c);
    const r = await resolveSession(c, "/events");
    if (r instanceof Response) return r;
    const defs = await loadDefinitions(ctx.db, r.env.id);
    const page = await listSessionEvents(ctx.db, r.env.id, r.session.id, defs, after);
    const scope = { envId: r.env.id, timeZone: r.env.timeZone, userId: r.user.id, sessionId: r.session.id };
    return c.html(<EventRows events={page.rows} next={page.next} scope={scope} />);
  });

  app.get("/e/:env/users/:user/sessions/:session/events/:event", async (c) => {
    const eventId = uuidParam("event", c.req.param("event"));
    const r = await resolveSession(c, `/events/${eventId}`);
    if (r instanceof Response) return r;
    const event = await getEvent(ctx.db, r.env.id, eventId);
    if (!event || event.sessionId !== r.session.id) return notFound(c, "No such event in this session", r);
    // Without htmx (a new tab, no JS) the panel's URL opens the whole session page with the panel open.
    if (!c.req.header("hx-request")) return c.redirect(`${sessionUrl(r.env.id, r.user.id, r.session.id)}?event=${encodeURIComponent(event.id)}`, 302);
    const defs = await loadDefinitions(ctx.db, r.env.id);
    return c.html(<EventPanel event={event} label={labelFor(defs, event)} timeZone={r.env.timeZone} define={defineAction(r.env.id, event.id)} />);
  });

  return app;
}
