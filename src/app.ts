import { Hono } from "hono";
import { securityHeaders } from "./auth/security-headers";
import { watchForUntrustedProxy } from "./auth/untrusted-proxy";
import type { AppContext } from "./context";
import { assetRoutes, faviconRoutes } from "./routes/assets";
import { authRoutes } from "./routes/auth";
import { dashboardRoutes } from "./routes/dashboard";
import { onError, onNotFound } from "./routes/errors";
import { healthRoutes } from "./routes/health";
import { collectRoutes } from "./routes/ingest-collect";
import { identifyRoutes } from "./routes/ingest-identify";
import { replayIngestRoutes } from "./routes/ingest-replay";
import { trackRoutes } from "./routes/ingest-track";
import { userPropertiesRoutes } from "./routes/ingest-user-properties";
import { kioskWallRoutes } from "./routes/kiosk-wall";
import { localRoutes } from "./routes/local";
import { liveRoutes } from "./routes/live";
import { metricsRoutes } from "./routes/metrics";
import { RECORDER_PATH, recorderRoutes } from "./routes/recorder";
import { snippetRoutes } from "./routes/snippet";
import { SNIPPET } from "./snippet";
import { LIVE_SOCKET_PATH } from "./urls";

/** Composes every area of Loupe under its prefix. Public routes first, then the authenticated dashboard. */
export function createApp(ctx: AppContext) {
  const app = new Hono();
  app.use("*", securityHeaders(ctx.config), watchForUntrustedProxy(ctx.config));

  // Public: no login. Ingestion routes (CORS, no CSRF) belong in this group.
  app.route("/", healthRoutes(ctx));
  app.route("/metrics", metricsRoutes(ctx));
  app.route("/api/collect", collectRoutes(ctx));
  app.route("/api/track", trackRoutes(ctx));
  app.route("/api/add_user_properties", userPropertiesRoutes(ctx));
  app.route("/api/v1/identify", identifyRoutes(ctx));
  // For commands of the same OS user on this machine (loupe demo), by the token of src/ops/local-servers.ts.
  app.route("/api/local", localRoutes(ctx));
  app.route("/api/replay", replayIngestRoutes(ctx));
  app.route("/assets", assetRoutes());
  app.route("/favicon.ico", faviconRoutes());
  app.route(SNIPPET.path, snippetRoutes());
  app.route(RECORDER_PATH, recorderRoutes());
  app.route("/", authRoutes(ctx));
  // Live sockets check their own Origin + session/kiosk token before upgrading; kiosk walls are public by token.
  app.route(LIVE_SOCKET_PATH, liveRoutes(ctx));
  app.route("/wall", kioskWallRoutes(ctx));

  // Authenticated dashboard. KEEP IT LAST: its login/CSRF middleware guards every path not answered
  // above, so a public route mounted after this line would demand a login.
  app.route("/", dashboardRoutes(ctx));

  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}
