// GET /metrics — Prometheus text. Open unless LOUPE_METRICS_TOKEN is set; then `Authorization: Bearer <token>`.
import { Hono } from "hono";
import { sameSecret } from "../auth/tokens";
import type { AppContext } from "../context";
import { LoupeError } from "../errors";

/** Mounted at /metrics. */
export function metricsRoutes(ctx: AppContext) {
  const app = new Hono();
  app.get("/", (c) => {
    const token = ctx.config.metricsToken;
    const given = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1]?.trim() ?? "";
    if (token && !sameSecret(given, token)) {
      throw new LoupeError("unauthorized", "metrics need Authorization: Bearer <LOUPE_METRICS_TOKEN>", { headers: { "WWW-Authenticate": 'Bearer realm="metrics"' } });
    }
    return c.body(ctx.metrics.render(), 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store" });
  });
  return app;
}
