import { Hono } from "hono";
import { csrfToken, originCheck, rememberLastEnvironment, requireLogin, type DashboardEnv } from "../auth/middleware";
import { sameOriginResources } from "../auth/security-headers";
import type { AppContext } from "../context";
import { ensureDefaultEnvironment, getEnvironment, listEnvironments } from "../environments/environments";
import { logoutHandler } from "./auth";
import { segmentsRoutes } from "./segments";
import { usersListRoutes } from "./users-list";
import { wallDashboardRoutes } from "./wall";
import { settingsRoutes } from "./settings";
import { userPageRoutes } from "./user-page";

/**
 * The dashboard: every page under /e/:env, `/` and any other dashboard path. Everything mounted here
 * requires a logged-in session, and every state change passes the Origin check and the CSRF token.
 * Handlers read the account and the CSRF token from `c.get("auth")`.
 */
export function dashboardRoutes(ctx: AppContext) {
  const app = new Hono<DashboardEnv>();
  app.use("*", sameOriginResources, requireLogin(ctx), originCheck(ctx), csrfToken());
  app.use("/e/:env/*", rememberLastEnvironment(ctx));

  app.post("/logout", logoutHandler(ctx));
  app.route("/", wallDashboardRoutes(ctx));

  app.get("/", async (c) => {
    const envs = await listEnvironments(ctx.db);
    const last = c.get("auth").session.lastEnvId;
    const env = envs.find((e) => e.id === last) ?? envs[0] ?? (await ensureDefaultEnvironment(ctx.db)).env;
    // The Users page once it is mounted; the environment home until then.
    const users = app.routes.some((r) => r.method === "GET" && r.path === "/e/:env/users");
    return c.redirect(`/e/${encodeURIComponent(env.id)}${users ? "/users" : ""}`, 302);
  });

  // The environment's landing page is its Users list (/e/:env redirects there), then saved segments.
  app.route("/", usersListRoutes(ctx));
  app.route("/", segmentsRoutes(ctx));

  app.route("/", settingsRoutes(ctx));
  app.route("/", userPageRoutes(ctx, { hasRoute: (path) => app.routes.some((r) => r.path === path && r.method === "GET") }));

  return app;
}

/** The URL browsers reach this Loupe at: the configured base URL, else the request's origin. */
export function publicBaseUrl(ctx: AppContext, requestUrl: string): string {
  return (ctx.config.baseUrl ?? new URL(requestUrl).origin).replace(/\/+$/, "");
}
