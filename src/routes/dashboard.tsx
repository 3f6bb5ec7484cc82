// The dashboard: `/`, /logout and every page under /e/:env. Everything mounted here requires a
// logged-in session, and every state change passes the Origin check and the CSRF token. Handlers read
// the account and the CSRF token from `c.var.auth`, the environment from `c.var.env`.
import { Hono } from "hono";
import { csrfToken, originCheck, requireLogin, type DashboardEnv } from "../auth/middleware";
import { sameOriginResources } from "../auth/security-headers";
import type { AppContext } from "../context";
import { homeEnvironment } from "../environments/environments";
import { usersPath } from "../urls";
import { logoutHandler } from "./auth";
import { loadEnvironment, type EnvApp } from "./environment";
import { kioskLinksRoutes } from "./kiosk-links";
import { segmentsRoutes } from "./segments";
import { replayRoutes } from "./replay";
import { settingsRoutes } from "./settings";
import { userPageRoutes } from "./user-page";
import { usersCsvRoutes } from "./users-csv";
import { usersFragmentRoutes } from "./users-fragments";
import { usersPageRoutes } from "./users-page";
import { wallRoutes } from "./wall";

/** Everything under /e/:env, each area under its own prefix. */
function environmentRoutes(ctx: AppContext, canDefine: () => boolean) {
  const app = new Hono<EnvApp>();
  app.use("*", loadEnvironment(ctx));
  // The environment's landing page is its Users list.
  app.get("/", (c) => c.redirect(usersPath(c.var.env.id), 302));
  app.route("/users", usersPageRoutes(ctx));
  app.route("/users", userPageRoutes(ctx, { canDefine }));
  app.route("/users-list", usersFragmentRoutes(ctx));
  app.route("/users.csv", usersCsvRoutes(ctx));
  app.route("/segments", segmentsRoutes(ctx));
  app.route("/settings/kiosk", kioskLinksRoutes(ctx));
  app.route("/settings", settingsRoutes(ctx));
  app.route("/sessions", replayRoutes(ctx));
  app.route("/wall", wallRoutes(ctx));
  return app;
}

export function dashboardRoutes(ctx: AppContext) {
  const app = new Hono<DashboardEnv>();
  app.use("*", sameOriginResources, requireLogin(ctx), originCheck(ctx), csrfToken());
  app.post("/logout", logoutHandler(ctx));
  app.get("/", async (c) => c.redirect(usersPath((await homeEnvironment(ctx.db, c.get("auth").session.lastEnvId)).id), 302));
  // The Define button links to the definitions form once that feature mounts its route here.
  const canDefine = () => app.routes.some((r) => r.method === "GET" && r.path === "/e/:env/definitions/new");
  app.route("/e/:env", environmentRoutes(ctx, canDefine));
  return app;
}
