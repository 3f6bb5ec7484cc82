// The dashboard's wall screen, /e/:env/wall: any counter and masking chosen in its controls.
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext } from "../context";
import { listSegments } from "../filters/segments";
import { readWall, wallViewSchema } from "../live/wall-view";
import { LIVE_SOCKET_PATH, usersPath } from "../urls";
import { parse } from "../validate";
import { WallPage } from "../../views/pages/wall";
import type { EnvApp } from "./environment";
import { query } from "./validate";

const wallQuery = z.object({
  segment: z.string().optional(),
  event: z.string().optional(),
  mask: z.string().optional(),
});

/** Mounted at /e/:env/wall. */
export function wallRoutes(ctx: AppContext) {
  const app = new Hono<EnvApp>();
  app.get("/", query(wallQuery), async (c) => {
    const env = c.var.env;
    const q = c.req.valid("query");
    const view = parse(wallViewSchema, { kind: "wall", envId: env.id, segmentId: q.segment ? Number(q.segment) : null, event: q.event || null, mask: q.mask === "1" });
    const [segments, figures] = await Promise.all([listSegments(ctx.db, env.id), readWall({ db: ctx.db, countQuery: () => {} }, env, view)]);
    const dashboard = { backHref: usersPath(env.id), segments, selectedSegment: view.segmentId, event: view.event, mask: view.mask };
    return c.html(<WallPage envName={env.name} timeZone={env.timeZone} figures={figures} socketPath={LIVE_SOCKET_PATH} view={view} version={ctx.version} dashboard={dashboard} />);
  });
  return app;
}
