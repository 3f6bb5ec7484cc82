// The dashboard's gatekeepers: a logged-in session for every request, and for every state change
// both an Origin check (Hono's csrf()) and the session's synchronizer token.
import type { Context, MiddlewareHandler } from "hono";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import type { AppContext } from "../context";
import { LoupeError } from "../errors";
import { loginUrl } from "../urls";
import { countAccounts, getAccount, type Account } from "./accounts";
import { readSessionToken } from "./cookie";
import { currentPath, isAllowedOrigin, isPageNavigation } from "./request";
import { csrfTokenFor, findSession, type AuthSession } from "./sessions";
import { sameSecret } from "./tokens";

/** Where a state change carries the session's CSRF token: a header (htmx, fetch) or a form field. */
export const CSRF = { header: "x-csrf-token", field: "_csrf" } as const;

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
  throw new LoupeError("unauthorized", "Log in to use the dashboard", { headers: c.req.header("hx-request") ? { "HX-Redirect": to } : {} });
}

const SAFE_METHOD = /^(GET|HEAD|OPTIONS)$/;
const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i;

const forbidden = (message: string, field?: string) => new LoupeError("forbidden", message, { field });

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

/** The session's CSRF token, from the X-CSRF-Token header (htmx, fetch) or the `_csrf` form field. */
export function csrfToken(): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    if (SAFE_METHOD.test(c.req.method)) return next();
    let sent = c.req.header(CSRF.header);
    if (!sent && FORM_TYPE.test(c.req.header("content-type") ?? "")) {
      const body = await c.req.parseBody();
      const field = body[CSRF.field];
      sent = typeof field === "string" ? field : undefined;
    }
    if (!sent || !sameSecret(sent, c.get("auth").csrfToken)) throw forbidden("Missing or invalid CSRF token; reload the page and try again", CSRF.field);
    await next();
  };
}
