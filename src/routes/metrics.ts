// GET /metrics — Prometheus text. Open unless LOUPE_METRICS_TOKEN is set; then `Authorization: Bearer <token>`.
import { timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { ERROR_CODES } from "../constants";
import type { AppContext } from "../context";

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function metricsRoutes(ctx: AppContext) {
  const app = new Hono();
  app.get("/metrics", (c) => {
    const token = ctx.config.metricsToken;
    if (token) {
      const given = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1]?.trim() ?? "";
      if (!sameSecret(given, token)) {
        c.header("WWW-Authenticate", 'Bearer realm="metrics"');
        return c.json({ error: { code: ERROR_CODES.unauthorized, message: "metrics need Authorization: Bearer <LOUPE_METRICS_TOKEN>" } }, 401);
      }
    }
    return c.body(ctx.metrics.render(), 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store" });
  });
  return app;
}
