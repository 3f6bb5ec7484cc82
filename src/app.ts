import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { securityHeaders } from "./auth/security-headers";
import { watchForUntrustedProxy } from "./auth/untrusted-proxy";
import { LoupeError } from "./errors";
import { ERROR_CODES } from "./constants";
import { isDatabaseUnavailable } from "./db/unavailable";
import { databaseUnavailable } from "./routes/database-unavailable";
import type { AppContext } from "./context";
import { log } from "./log";
import { assetRoutes } from "./routes/assets";
import { authRoutes } from "./routes/auth";
import { dashboardRoutes } from "./routes/dashboard";
import { healthRoutes } from "./routes/health";
import { collectRoutes } from "./routes/ingest-collect";
import { identifyRoutes } from "./routes/ingest-identify";
import { trackRoutes } from "./routes/ingest-track";
import { userPropertiesRoutes } from "./routes/ingest-user-properties";
import { metricsRoutes } from "./routes/metrics";
import { liveRoutes } from "./routes/live";
import { kioskWallRoutes } from "./routes/wall";
import { snippetRoutes } from "./routes/snippet";

/** Composes every area of Loupe. Public routes first, then the authenticated dashboard. */
export function createApp(ctx: AppContext) {
  const app = new Hono();
  app.use("*", securityHeaders(ctx.config), watchForUntrustedProxy(ctx.config));

  // Public: no login. Ingestion routes (CORS, no CSRF) belong in this group.
  app.route("/", healthRoutes(ctx));
  app.route("/", metricsRoutes(ctx));
  app.route("/", collectRoutes(ctx));
  app.route("/", trackRoutes(ctx));
  app.route("/", userPropertiesRoutes(ctx));
  app.route("/", identifyRoutes(ctx));
  app.route("/", assetRoutes());
  app.route("/", snippetRoutes());
  app.route("/", authRoutes(ctx));
  // Live sockets check their own Origin + session/kiosk token before upgrading; kiosk walls are public by token.
  app.route("/", liveRoutes(ctx));
  app.route("/", kioskWallRoutes(ctx));

  // Authenticated dashboard. KEEP IT LAST: its login/CSRF middleware guards every path not answered
  // above, so a public route mounted after this line would demand a login.
  app.route("/", dashboardRoutes(ctx));

  app.notFound((c) => c.json({ error: { code: ERROR_CODES.notFound, message: "Not found" } }, 404));
  app.onError((err, c) => {
    if (isDatabaseUnavailable(err)) return databaseUnavailable(c, err);
    if (err instanceof LoupeError) return c.json(err.toJSON(), err.status);
    if (err instanceof HTTPException && err.status < 500) {
      return c.json({ error: { code: err.status === 403 ? ERROR_CODES.forbidden : ERROR_CODES.invalidInput, message: err.message || "Request refused" } }, err.status);
    }
    log.error("unhandled error", { path: c.req.path, error: String(err?.stack ?? err) });
    return c.json({ error: { code: ERROR_CODES.internal, message: "Internal error" } }, 500);
  });
  return app;
}
