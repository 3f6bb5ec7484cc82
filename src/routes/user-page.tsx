// The user page, its sessions, a session's events and one event's panel, /e/:env/users/:user/…
// Fragments answer htmx; every page state is also a plain URL. The user (and the session) of a path
// is loaded once by middleware: a merged-away user id, or a session shown under another user,
// redirects to the surviving URL with the rest of the path kept.
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { z } from "zod";
import type { AppContext } from "../context";
import { loadDefinitions, labelFor } from "../definitions/label";
import { notFound } from "../errors";
import { defineEventUrl, sessionEventUrl, sessionUrl, userUrl } from "../urls";
import { getEvent, listSessionEvents, mostFrequent } from "../users/session-events";
import { USERS_LIST } from "../users/limits";
import { decodeCursor } from "../users/time-cursor";
import { findUser, mergeHistory, userTotals, type User } from "../users/user";
import { getSession, listUserSessions, type SessionRow } from "../users/user-sessions";
import { parse } from "../validate";
import { SessionPage } from "../../views/pages/session";
import { UserPage } from "../../views/pages/user";
import { EventPanel, type DefineAction } from "../../views/partials/event-panel";
import { EventRows, SessionPreview } from "../../views/partials/event-row";
import { SessionRows } from "../../views/partials/session-row";
import type { EnvApp } from "./environment";
import { params, pathId, pathUuid, query } from "./validate";

type UserApp = { Variables: EnvApp["Variables"] & { user: User; session: SessionRow } };

export interface UserPageOptions {
  /** Whether the Define form's route is mounted (it arrives with the definitions feature). */
  canDefine(): boolean;
}

const after = z.object({ after: z.string().optional() });

/** The path after `/users/<raw id>` and the query, to carry over when redirecting to another id. */
function restOf(c: Context, rawId: string): string {
  const url = new URL(c.req.url);
  const marker = `/users/${rawId}`;
  return url.pathname.slice(url.pathname.indexOf(marker) + marker.length) + url.search;
}

function loadUser(ctx: AppContext): MiddlewareHandler<UserApp> {
  return async (c, next) => {
    const raw = c.req.param("user") ?? "";
    const env = c.var.env;
    const found = await findUser(ctx.db, env.id, parse(pathId, raw, { whole: "user" }));
    if (found.kind === "merged") return c.redirect(`${userUrl(env.id, found.intoUserId)}${restOf(c, raw)}`, 302);
    if (found.kind === "missing") throw notFound("No such user in this environment");
    c.set("user", found.user);
    await next();
  };
}

function loadSession(ctx: AppContext): MiddlewareHandler<UserApp> {
  return async (c, next) => {
    const raw = c.req.param("session") ?? "";
    const { env, user } = c.var;
    const session = await getSession(ctx.db, env.id, parse(pathId, raw, { whole: "session" }));
    if (!session) throw notFound("No such session");
    if (session.userId !== user.id) {
      const rest = restOf(c, `${c.req.param("user")}/sessions/${raw}`);
      return c.redirect(`${sessionUrl(env.id, session.userId, session.id)}${rest}`, 302);
    }
    c.set("session", session);
    await next();
  };
}

/** Mounted at /e/:env/users (beside the Users page itself). */
export function userPageRoutes(ctx: AppContext, opts: UserPageOptions) {
  const app = new Hono<UserApp>();
  app.use("/:user/*", loadUser(ctx));
  app.use("/:user/sessions/:session/*", loadSession(ctx));
  const define = (envId: string, eventId: string): DefineAction => (opts.canDefine() ? { href: defineEventUrl(envId, eventId) } : {});

  app.get("/:user", async (c) => {
    const { env, envs, auth, user } = c.var;
    const [totals, merges, sessions] = await Promise.all([userTotals(ctx.db, env.id, user.id), mergeHistory(ctx.db, env.id, user.id), listUserSessions(ctx.db, env.id, user.id)]);
    return c.html(<UserPage env={env} envs={envs} csrfToken={auth.csrfToken} user={user} totals={totals} merges={merges} sessions={sessions} />);
  });

  app.get("/:user/sessions", query(after), async (c) => {
    const { env, user } = c.var;
    const raw = c.req.valid("query").after;
    const page = await listUserSessions(ctx.db, env.id, user.id, raw === undefined ? undefined : decodeCursor("after", raw, "number"));
    return c.html(<SessionRows sessions={page.rows} next={page.next} envId={env.id} timeZone={env.timeZone} userId={user.id} />);
  });

  app.get("/:user/sessions/:session", query(z.object({ event: pathUuid.optional() })), async (c) => {
    const { env, envs, auth, user, session } = c.var;
    const eventId = c.req.valid("query").event;
    const defs = await loadDefinitions(ctx.db, env.id);
    const [events, frequent, event] = await Promise.all([
      listSessionEvents(ctx.db, env.id, session.id, defs),
      mostFrequent(ctx.db, env.id, session.id, defs),
      eventId ? getEvent(ctx.db, env.id, eventId) : undefined,
    ]);
    const selected = event && event.sessionId === session.id ? { event, label: labelFor(defs, event), define: define(env.id, event.id) } : undefined;
    return c.html(<SessionPage env={env} envs={envs} csrfToken={auth.csrfToken} user={user} session={session} events={events} frequent={frequent} selected={selected} />);
  });

  app.get("/:user/sessions/:session/events", query(after), async (c) => {
    const { env, user, session } = c.var;
    const raw = c.req.valid("query").after;
    const defs = await loadDefinitions(ctx.db, env.id);
    const page = await listSessionEvents(ctx.db, env.id, session.id, defs, raw === undefined ? undefined : decodeCursor("after", raw, "uuid"));
    const scope = { envId: env.id, timeZone: env.timeZone, userId: user.id, sessionId: session.id };
    return c.html(<EventRows events={page.rows} next={page.next} scope={scope} />);
  });

  // A session of an expanded Users-list row, opened in place: its first events.
  app.get("/:user/sessions/:session/preview", async (c) => {
    const { env, user, session } = c.var;
    const defs = await loadDefinitions(ctx.db, env.id);
    const page = await listSessionEvents(ctx.db, env.id, session.id, defs, undefined, USERS_LIST.expandedSessionEvents);
    const scope = { envId: env.id, timeZone: env.timeZone, userId: user.id, sessionId: session.id };
    return c.html(<SessionPreview events={page.rows} total={session.eventCount} scope={scope} />);
  });

  app.get("/:user/sessions/:session/events/:event", params(z.object({ event: pathUuid })), async (c) => {
    const { env, user, session } = c.var;
    const event = await getEvent(ctx.db, env.id, c.req.valid("param").event);
    if (!event || event.sessionId !== session.id) throw notFound("No such event in this session");
    // Without htmx (a new tab, no JS) the panel's URL opens the whole session page with the panel open.
    if (!c.req.header("hx-request")) return c.redirect(sessionEventUrl(env.id, user.id, session.id, event.id), 302);
    const defs = await loadDefinitions(ctx.db, env.id);
    return c.html(<EventPanel event={event} label={labelFor(defs, event)} timeZone={env.timeZone} define={define(env.id, event.id)} />);
  });

  return app;
}
