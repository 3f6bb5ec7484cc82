// The Users list as CSV, /e/:env/users.csv: the same view as the page, streamed in keyset batches.
import { Hono } from "hono";
import type { AppContext } from "../context";
import { requireView } from "../filters/request";
import { usersCsvStream } from "../users/csv";
import type { EnvApp } from "./environment";

/** Mounted at /e/:env/users.csv. */
export function usersCsvRoutes(ctx: AppContext) {
  const app = new Hono<EnvApp>();
  app.get("/", async (c) => {
    const env = c.var.env;
    const stream = await usersCsvStream(ctx.db, { env, view: requireView(new URL(c.req.url).searchParams) });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(stream, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="users-${env.id}-${day}.csv"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  });
  return app;
}
