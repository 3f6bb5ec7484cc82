// Everything under /e/:env: the environment is loaded once, here, with the switcher's list, into
// c.var. An id that is malformed (NUL, too long, odd characters) or unknown is a 404 before any query
// sees it. After a page is served, the session remembers the environment so `/` returns to it.
import type { MiddlewareHandler } from "hono";
import type { DashboardEnv } from "../auth/middleware";
import { rememberEnvironment } from "../auth/sessions";
import type { AppContext } from "../context";
import { listEnvironments, type Environment } from "../environments/environments";
import { notFound } from "../errors";

/** Hono env of everything under /e/:env: the account (`auth`), `env` and `envs` (for the switcher). */
export type EnvApp = { Variables: DashboardEnv["Variables"] & { env: Environment; envs: Environment[] } };

/** Environment ids are 10-digit numbers today; anything outside this shape cannot name one. */
const ENV_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function loadEnvironment(ctx: AppContext): MiddlewareHandler<EnvApp> {
  return async (c, next) => {
    const id = c.req.param("env") ?? "";
    const envs = ENV_ID.test(id) ? await listEnvironments(ctx.db) : [];
    const env = envs.find((e) => e.id === id);
    if (!env) throw notFound("No such environment");
    c.set("env", env);
    c.set("envs", envs);
    await next();
    if (c.req.method === "GET" && c.res.status === 200) await rememberEnvironment(ctx.db, c.get("auth").session, env.id);
  };
}
