import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppContext } from "../context";
import { queryRows } from "../db/client";

/** Liveness (process up) and readiness (database answers), as JSON. */
export function healthRoutes(ctx: AppContext) {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok", version: ctx.version, uptimeSeconds: Math.round((Date.now() - ctx.startedAt.getTime()) / 1000) }));
  app.get("/readyz", async (c) => {
    const started = performance.now();
    try {
      await queryRows(ctx.db, sql`select 1`);
      return c.json({ status: "ready", database: ctx.database.driver, latencyMs: Math.round((performance.now() - started) * 10) / 10 });
    } catch (err) {
      return c.json({ status: "unavailable", database: ctx.database.driver, error: (err as Error).message }, 503);
    }
  });
  return app;
}
