import { Hono } from "hono";
import type { AppContext } from "../context";
import { getEnvironment, listEnvironments } from "../environments/environments";
import { HomePage } from "../../views/pages/home";

/** The dashboard: every page under /e/:env. */
export function dashboardRoutes(ctx: AppContext) {
  const app = new Hono();

  app.get("/", async (c) => {
    const [first] = await listEnvironments(ctx.db);
    return c.redirect(first ? `/e/${first.id}` : "/setup");
  });

  app.get("/e/:env", async (c) => {
    const env = await getEnvironment(ctx.db, c.req.param("env"));
    if (!env) return c.notFound();
    const envs = await listEnvironments(ctx.db);
    return c.html(<HomePage env={env} envs={envs} baseUrl={publicBaseUrl(ctx, c.req.url)} />);
  });

  return app;
}

/** The URL browsers reach this Loupe at: the configured base URL, else the request's origin. */
export function publicBaseUrl(ctx: AppContext, requestUrl: string): string {
  return (ctx.config.baseUrl ?? new URL(requestUrl).origin).replace(/\/+$/, "");
}
