import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppContext } from "../context";
import { queryRows } from "../db/client";
import { DATABASE_RETRY_AFTER_S, withDeadline } from "../db/unavailable";

/** Readiness answers within this, whatever the database does. */
const READY_WAIT_MS = 1000;

/** Whether the database answers (within READY_WAIT_MS), and how fast. */
async function readiness(ctx: AppContext): Promise<{ ready: boolean; latencyMs?: number; error?: string }> {
  const started = performance.now();
  try {
    await withDeadline(queryRows(ctx.db, sql`select 1`), READY_WAIT_MS, "select 1");
    return { ready: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (err) {
    return { ready: false, error: String((err as Error)?.message ?? err).slice(0, 200) };
  }
}

/** Liveness (process up) and readiness (database answers), as JSON. Mounted at /. */
export function healthRoutes(ctx: AppContext) {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok", version: ctx.version, uptimeSeconds: Math.round((Date.now() - ctx.startedAt.getTime()) / 1000) }));
  app.get("/readyz", async (c) => {
    const r = await readiness(ctx);
    const database = ctx.database.driver;
    if (r.ready) return c.json({ status: "ready", database, latencyMs: r.latencyMs });
    c.header("Retry-After", String(DATABASE_RETRY_AFTER_S));
    return c.json({ status: "unavailable", database, error: r.error }, 503);
  });
  return app;
}
