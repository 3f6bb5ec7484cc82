// A kiosk link, /wall/<token>: its wall page and its socket, public by token. Unknown and revoked
// tokens are a plain 404, and nothing else lives under a kiosk URL.
import { Hono } from "hono";
import { findKioskToken, kioskOptions } from "../auth/kiosk";
import type { AppContext } from "../context";
import { getEnvironment } from "../environments/environments";
import { notFound } from "../errors";
import { kioskPrincipal } from "../live/principal";
import { readWall, wallViewSchema } from "../live/wall-view";
import { kioskSocketPath } from "../urls";
import { WallPage } from "../../views/pages/wall";
import { liveHub } from "./live-hub";
import { liveSocket, originGuard, type LiveEnv } from "./live";

/** The token's link and environment, or a 404 that says nothing about why. */
async function kioskLink(ctx: AppContext, token: string) {
  const row = await findKioskToken(ctx.db, token);
  const env = row ? await getEnvironment(ctx.db, row.envId) : undefined;
  if (!row || !env) throw notFound();
  return { row, env };
}

/** Mounted at /wall. */
export function kioskWallRoutes(ctx: AppContext) {
  const app = new Hono<LiveEnv>();

  app.get("/:token", async (c) => {
    const token = c.req.param("token");
    const { row, env } = await kioskLink(ctx, token);
    const o = kioskOptions(row);
    const view = wallViewSchema.parse({ kind: "wall", envId: env.id, segmentId: o.segmentId, event: o.event, mask: o.maskIdentities });
    const figures = await readWall({ db: ctx.db, countQuery: () => {} }, env, view);
    // The token is in the URL: never leak it through caches or robots (the page's meta tag stops Referer).
    c.header("Cache-Control", "no-store");
    c.header("X-Robots-Tag", "noindex");
    return c.html(<WallPage envName={env.name} timeZone={env.timeZone} figures={figures} socketPath={kioskSocketPath(token)} view={view} version={ctx.version} />);
  });

  // A kiosk token opens its wall's socket and nothing else: a request that is no WebSocket handshake is a 404.
  app.get("/:token/live", async (c, next) => {
    const { row } = await kioskLink(ctx, c.req.param("token"));
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw notFound();
    c.set("principal", kioskPrincipal(row));
    await next();
  }, originGuard(ctx), liveSocket(liveHub(ctx)));

  app.all("/:token/*", () => {
    throw notFound();
  });
  return app;
}
