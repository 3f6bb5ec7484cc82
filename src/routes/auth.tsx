// The public pages of the account flow: first-run setup and login. (Logout lives in the dashboard
// group, so it is CSRF-checked like every other state change.) A refused form from a browser comes
// back as its page with the message; scripts get the JSON error.
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { countAccounts, createFirstAdmin, credentialsSchema, verifyLogin, type Account } from "../auth/accounts";
import { clearSessionCookie, readSessionToken, setSessionCookie } from "../auth/cookie";
import { originCheck, type DashboardEnv } from "../auth/middleware";
import { safeNextPath } from "../auth/request";
import { sameOriginResources } from "../auth/security-headers";
import { createSession, findSession, revokeSession } from "../auth/sessions";
import { issueDeviceCookie } from "../auth/device-cookie";
import { loginThrottle } from "../auth/throttle";
import type { AppContext } from "../context";
import { LoupeError } from "../errors";
import { LoginPage, SetupPage } from "../../views/pages/auth";
import { isBrowserForm, showErrors } from "./errors";
import { form, query } from "./validate";

const LOGIN_FAILED = "Email or password is incorrect.";
const LOGGED_OUT = "/login?reason=logged-out";

const text = z.string().catch("");
const setupForm = credentialsSchema
  .extend({ confirm: text })
  .refine((v) => v.confirm === v.password, { message: "must match the password", path: ["confirm"] });
const loginForm = z.object({ email: text, password: text, next: text });

type Throttle = ReturnType<typeof loginThrottle>;

/**
 * The account for these credentials. The attempt is counted by the throttle before the password is
 * checked; a right one clears the count and marks this browser as the account's device.
 */
async function logIn(ctx: AppContext, throttle: Throttle, c: Context, email: string, password: string): Promise<Account> {
  const attempt = await throttle.attempt(c, email);
  if (attempt.retryAfter > 0) {
    throw new LoupeError("rate_limited", `Too many failed attempts. Try again in ${Math.ceil(attempt.retryAfter / 60)} minute(s).`, { retryAfter: attempt.retryAfter });
  }
  const account = await verifyLogin(ctx.db, email, password);
  if (!account) throw new LoupeError("unauthorized", LOGIN_FAILED);
  await attempt.succeeded();
  await issueDeviceCookie(c, ctx.db, ctx.config, account.email);
  return account;
}

/** A fresh session for the account; a session the browser had before login is never kept (fixation). */
async function startSession(ctx: AppContext, c: Context, account: Account): Promise<void> {
  await revokeSession(ctx.db, readSessionToken(c));
  const { token, expiresAt } = await createSession(ctx.db, account.id);
  setSessionCookie(c, ctx.config, token, expiresAt);
}

/** Mounted at /: /setup and /login. */
export function authRoutes(ctx: AppContext) {
  const app = new Hono();
  const throttle = loginThrottle(ctx.db, ctx.config);
  app.use("/login", sameOriginResources);
  app.use("/setup", sameOriginResources);

  app.onError(showErrors(
    {
      when: (c) => isBrowserForm(c) && c.req.path === "/setup",
      show: async (c, error) => {
        const body = await c.req.parseBody();
        const email = typeof body.email === "string" ? body.email : "";
        return c.html(<SetupPage email={email} fieldErrors={{ [error.field ?? "email"]: error.reason }} error="Please correct the marked fields." />, error.status);
      },
    },
    {
      when: (c) => isBrowserForm(c) && c.req.path === "/login",
      show: async (c, error) => {
        const body = await c.req.parseBody();
        const field = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : "");
        return c.html(<LoginPage next={safeNextPath(field("next"))} email={field("email")} error={error.message} />, error.status);
      },
    },
  ));

  /** Setup is open only until the first account exists; afterwards its URL leads to the login. */
  const setupOpen = (status: 302 | 303): MiddlewareHandler => async (c, next) => {
    if ((await countAccounts(ctx.db)) > 0) return c.redirect("/login", status);
    await next();
  };

  app.get("/setup", setupOpen(302), (c) => c.html(<SetupPage />));

  app.post("/setup", originCheck(ctx), setupOpen(303), form(setupForm), async (c) => {
    const account = await createFirstAdmin(ctx.db, c.req.valid("form"));
    if (!account) return c.redirect("/login", 303); // someone else finished setup a moment ago
    await startSession(ctx, c, account);
    return c.redirect("/", 303);
  });

  app.get("/login", query(z.object({ next: z.string().optional(), reason: z.string().optional() })), async (c) => {
    const { next: raw, reason } = c.req.valid("query");
    const next = safeNextPath(raw);
    if ((await countAccounts(ctx.db)) === 0) return c.redirect("/setup", 302);
    if (await findSession(ctx.db, readSessionToken(c))) return c.redirect(next, 302);
    return c.html(<LoginPage next={next} notice={reason === "logged-out" ? "You are logged out." : undefined} />);
  });

  app.post("/login", originCheck(ctx), form(loginForm), async (c) => {
    const { email, password, next } = c.req.valid("form");
    await startSession(ctx, c, await logIn(ctx, throttle, c, email, password));
    return c.redirect(safeNextPath(next), 303);
  });

  return app;
}

/** POST /logout (in the dashboard group, so it is CSRF-checked like every other state change). */
export function logoutHandler(ctx: AppContext) {
  return async (c: Context<DashboardEnv>) => {
    await revokeSession(ctx.db, readSessionToken(c));
    clearSessionCookie(c, ctx.config);
    if (!c.req.header("hx-request")) return c.redirect(LOGGED_OUT, 303);
    c.header("HX-Redirect", LOGGED_OUT);
    return c.body(null, 204);
  };
}
