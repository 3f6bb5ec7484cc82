// The dashboard's gatekeepers: a logged-in session for every request, and for every state change
// both an Origin check (Hono's csrf()) and the session's synchronizer token.
import { timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import { AUTH, ERROR_CODES } from "../constants";
import type { AppContext } from "../context";
import { LoupeError } from "../errors";
import { countAccounts, getAccount, type Account } from "./accounts";
import { readSessionToken } from "./cookie";
import { currentPath, isAllowedOrigin, isPageNavigation, loginUrl } from "./request";
import { csrfTokenFor, findSession, rememberEnvironment, type AuthSession } from "./sessions";

export interface AuthState {
  account: Account;
  session: AuthSession;
  /** Put it in forms as `_csrf` (the layout does, and its meta tag feeds htmx requests). */
  csrfToken: string;
}

/** Hono env of the authenticated dashboard: handlers read `c.get("auth")`. */
export type DashboardEnv = { Variables: { auth: AuthState } };

/** Cached once true: accounts are never deleted, so "an admin exists" cannot become false again. */
function accountsExist(ctx: AppContext): () => Promise<boolean> {
  let known = false;
  return async () => (known ||= (await countAccounts(ctx.db)) > 0);
}

/** Anonymous page navigations go to /login?next=… (or /setup on first run); everything else gets 401 JSON. */
export function requireLogin(ctx: AppContext): MiddlewareHandler<DashboardEnv> {
  const hasAccounts = accountsExist(ctx);
  return async (c, next) => {
    const token = readSessionToken(c);
    const session = await findSession(ctx.db, token);
    const account = session ? await getAccount(ctx.db, session.accountId) : undefined;
    if (!session || !account || !token) return refuse(c, (await hasAccounts()) ? loginUrl(currentPath(c)) : "/setup");
    c.set("auth", { account, session, csrfToken: csrfTokenFor(token) });
    await next();
  };
}

function refuse(c: Context, to: string): Response {
  if (isPageNavigation(c)) return c.redirect(to, 302);
  // htmx follows HX-Redirect instead of swapping the error into the page.
  if (c.req.header("hx-request")) c.header("HX-Redirect", to);
  return c.json(new LoupeError(401, ERROR_CODES.unauthorized, "Log in to use the dashboard").toJSON(), 401);
}

const SAFE_METHOD = /^(GET|HEAD|OPTIONS)$/;
const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i;

const forbidden = (message: string, field?: string) => new LoupeError(403, ERROR_CODES.forbidden, message, field);

/** Hono's Origin / Sec-Fetch-Site check, answering with Loupe's JSON error instead of a bare 403. */
export function originCheck(ctx: AppContext): MiddlewareHandler {
  const check = csrf({ origin: (origin, c) => isAllowedOrigin(origin, c, ctx.config) });
  return async (c, next) => {
    try {
      await check(c, next);
    } catch (err) {
      if (err instanceof HTTPException && err.status === 403) throw forbidden("Cross-site request refused");
      throw err;
    }
  };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The session's CSRF token, from the X-CSRF-Token header (htmx, fetch) or the `_csrf` form field. */
export function csrfToken(): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    if (SAFE_METHOD.test(c.req.method)) return next();
    let sent = c.req.header(AUTH.csrfHeader);
    if (!sent && FORM_TYPE.test(c.req.header("content-type") ?? "")) {
      const body = await c.req.parseBody();
      const field = body[AUTH.csrfField];
      sent = typeof field === "string" ? field : undefined;
    }
    if (!sent || !sameToken(sent, c.get("auth").csrfToken)) throw forbidden("Missing or invalid CSRF token; reload the page and try again", AUTH.csrfField);
    await next();
  };
}

/** After a successful page under /e/:env, remember it so `/` returns there next time. */
export function rememberLastEnvironment(ctx: AppContext): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    await next();
    const envId = c.req.param("env");
    if (c.req.method === "GET" && c.res.status === 200 && envId) await rememberEnvironment(ctx.db, c.get("auth").session, envId);
  };
}
