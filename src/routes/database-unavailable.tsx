// The answer to any request that failed because the database is unavailable (src/db/unavailable.ts):
// 503 with Retry-After, an HTML page for browsers and JSON for everyone else. Called by src/routes/errors.tsx.
import type { Context } from "hono";
import { DATABASE_RETRY_AFTER_S, DatabaseUnavailable } from "../db/unavailable";
import { log } from "../log";
import { safeNextPath } from "../auth/request";
import { DatabaseUnavailablePage } from "../../views/pages/unavailable";

let lastLogged = 0;
/** One log line per this many ms, however many requests fail meanwhile. */
const LOG_EVERY_MS = 5000;

export function databaseUnavailable(c: Context, err: unknown): Response | Promise<Response> {
  if (Date.now() - lastLogged > LOG_EVERY_MS) {
    lastLogged = Date.now();
    log.warn("database unavailable; answering 503", { path: c.req.path, error: String((err as Error)?.message ?? err).slice(0, 200) });
  }
  c.header("Retry-After", String(DATABASE_RETRY_AFTER_S));
  c.header("Cache-Control", "no-store");
  if ((c.req.header("accept") ?? "").includes("text/html")) {
    const path = safeNextPath(`${c.req.path}${new URL(c.req.url).search}`);
    return c.html(<DatabaseUnavailablePage retryAfter={DATABASE_RETRY_AFTER_S} path={path} />, 503);
  }
  const message = err instanceof DatabaseUnavailable ? err.message : "the database is unavailable; retry shortly";
  return c.json(new DatabaseUnavailable(message).toJSON(), 503);
}
