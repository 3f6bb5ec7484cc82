import { Hono } from "hono";
import { LoupeError } from "./errors";
import { ERROR_CODES } from "./constants";
import type { AppContext } from "./context";
import { log } from "./log";
import { assetRoutes } from "./routes/assets";
import { dashboardRoutes } from "./routes/dashboard";
import { healthRoutes } from "./routes/health";

/** Composes every area of Loupe. Public routes first, then the authenticated dashboard. */
export function createApp(ctx: AppContext) {
  const app = new Hono();

  app.route("/", healthRoutes(ctx));
  app.route("/", assetRoutes());
  app.route("/", dashboardRoutes(ctx));

  app.notFound((c) => c.json({ error: { code: ERROR_CODES.notFound, message: "Not found" } }, 404));
  app.onError((err, c) => {
    if (err instanceof LoupeError) return c.json(err.toJSON(), err.status);
    log.error("unhandled error", { path: c.req.path, error: String(err?.stack ?? err) });
    return c.json({ error: { code: ERROR_CODES.internal, message: "Internal error" } }, 500);
  });
  return app;
}
