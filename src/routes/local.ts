// GET /api/local/environments: the environments of this Loupe, for a command of the same OS user on the
// same machine (`loupe demo`), proven by the token of the note `loupe serve` left (src/ops/local-servers.ts).
// Anyone else gets a 401 that says nothing more.
import { Hono } from "hono";
import { sameSecret } from "../auth/tokens";
import type { AppContext } from "../context";
import { listEnvironments } from "../environments/environments";
import { LoupeError } from "../errors";
import { LOCAL_TOKEN } from "../ops/local-servers";

/** Mounted at /api/local. */
export function localRoutes(ctx: AppContext) {
  const app = new Hono();
  app.get("/environments", async (c) => {
    const token = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1];
    if (!token || !sameSecret(token, LOCAL_TOKEN)) throw new LoupeError("unauthorized", "A local command's token is required", { headers: { "WWW-Authenticate": "Bearer" } });
    const envs = await listEnvironments(ctx.db);
    c.header("Cache-Control", "no-store");
    return c.json({ environments: envs.map((e) => ({ id: e.id, name: e.name })) });
  });
  return app;
}
