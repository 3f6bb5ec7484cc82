import { Hono, type Context } from "hono";
import { createFirstAdmin, countAccounts, emailSchema, passwordSchema, verifyLogin, type Account } from "../auth/accounts";
import { clearSessionCookie, readSessionToken, setSessionCookie } from "../auth/cookie";
import type { DashboardEnv } from "../auth/middleware";
import { originCheck } from "../auth/middleware";
import { safeNextPath } from "../auth/request";
import { sameOriginResources } from "../auth/security-headers";
import { createSession, findSession, revokeSession } from "../auth/sessions";
import { issueDeviceCookie } from "../auth/device-cookie";
import { loginThrottle } from "../auth/throttle";
import { ERROR_CODES } from "../constants";
import type { AppContext } from "../context";
import { invalid, LoupeError } from "../errors";
import { LoginPage, SetupPage } from "../../views/pages/auth";

const LOGIN_FAILED = "Email or password is incorrect.";

const text = (v: unknown) => (typeof v === "string" ? v : "");
const wantsHtml = (c: Context) => (c.req.header("accept") ?? "").includes("text/html");

/** Public pages of the account flow: first-run setup and login. (Logout lives in the dashboard group.) */
export function authRoutes(ctx: AppContext) {
  const app = new Hono();
  const throttle = loginThrottle(ctx.db, ctx.config);
  app.use("/login", sameOriginResources);
  app.use("/setup", sameOriginResources);

  async function startSession(c: Context, account: Account) {
    await revokeSession(ctx.db, readSessionToken(c)); // never keep a pre-login session (fixation)
    const { token, expiresAt } = await createSession(ctx.db, account.id);
    setSessionCookie(c, ctx.config, token, expiresAt);
  }

  app.get("/setup", async (c) => {
    if ((await countAccounts(ctx.db)) > 0) return c.redirect("/login", 302);
    return c.html(<SetupPage />);
  });

  app.post("/setup", originCheck(ctx), async (c) => {
    if ((await countAccounts(ctx.db)) > 0) return c.redirect("/login", 303);
    const body = await c.req.parseBody();
    const email = text(body.email);
    const password = text(body.password);
    const fieldErrors: Record<string, string> = {};
    const emailOk = emailSchema.safeParse(email);
    if (!emailOk.success) fieldErrors.email = emailOk.error.issues[0]?.message ?? "invalid";
    const passwordOk = passwordSchema.safeParse(password);
    if (!passwordOk.success) fieldErrors.password = passwordOk.error.issues[0]?.message ?? "invalid";
    else if (text(body.confirm) !== password) fieldErrors.confirm = "must match the password";
    const [field] = Object.keys(fieldErrors);
    if (field) {
      if (wantsHtml(c)) return c.html(<SetupPage email={email} fieldErrors={fieldErrors} error="Please correct the marked fields." />, 400);
      throw invalid(field, fieldErrors[field]);
    }
    const account = await createFirstAdmin(ctx.db, { email, password });
    if (!account) return c.redirect("/login", 303); // someone else finished setup a moment ago
    await startSession(c, account);
    return c.redirect("/", 303);
  });

  app.get("/login", async (c) => {
    const next = safeNextPath(c.req.query("next"));
    if ((await countAccounts(ctx.db)) === 0) return c.redirect("/setup", 302);
    if (await findSession(ctx.db, readSessionToken(c))) return c.redirect(next, 302);
    const notice = c.req.query("reason") === "logged-out" ? "You are logged out." : undefined;
    return c.html(<LoginPage next={next} notice={notice} />);
  });

  app.post("/login", originCheck(ctx), async (c) => {
    const body = await c.req.parseBody();
    const email = text(body.email);
    const next = safeNextPath(text(body.next));
    const attempt = await throttle.attempt(c, email);
    const retryAfter = attempt.retryAfter;
    if (retryAfter > 0) {
      c.header("Retry-After", String(retryAfter));
      const message = `Too many failed attempts. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`;
      if (wantsHtml(c)) return c.html(<LoginPage next={next} email={email} error={message} />, 429);
      return c.json(new LoupeError(429, ERROR_CODES.rateLimited, message).toJSON(), 429);
    }
    const account = await verifyLogin(ctx.db, email, text(body.password));
    if (!account) {
      if (wantsHtml(c)) return c.html(<LoginPage next={next} email={email} error={LOGIN_FAILED} />, 401);
      return c.json(new LoupeError(401, ERROR_CODES.unauthorized, LOGIN_FAILED).toJSON(), 401);
    }
    await attempt.succeeded();
    await issueDeviceCookie(c, ctx.db, ctx.config, account.email);
    await startSession(c, account);
    return c.redirect(next, 303);
  });

  return app;
}

/** POST /logout (in the dashboard group, so it is CSRF-checked like every other state change). */
export function logoutHandler(ctx: AppContext) {
  return async (c: Context<DashboardEnv>) => {
    await revokeSession(ctx.db, readSessionToken(c));
    clearSessionCookie(c, ctx.config);
    const to = "/login?reason=logged-out";
    if (c.req.header("hx-request")) {
      c.header("HX-Redirect", to);
      return c.body(null, 204);
    }
    return c.redirect(to, 303);
  };
}
