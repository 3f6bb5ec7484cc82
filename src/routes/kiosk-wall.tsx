// A kiosk link, /wall/<token>: its wall page and its socket, public by token. An unknown or revoked
// link opens a full-screen page saying so (a TV has nobody to read JSON); nothing else lives under it.
import { Hono } from "hono";
import { findKioskLink, findKioskToken, KIOSK_CLOSED, kioskOptions } from "../auth/kiosk";
import type { AppContext } from "../context";
import { getEnvironment } from "../environments/environments";
import { LoupeError, notFound } from "../errors";
import { showErrors } from "./errors";
import { kioskPrincipal } from "../live/principal";
import { readWall, wallViewSchema } from "../live/wall-view";
import { kioskSocketPath } from "../urls";
import { WallClosedPage, WallPage } from "../../views/pages/wall";
import { liveHub } from "./live-hub";
import { liveSocket, originGuard, type LiveEnv } from "./live";

/**
 * The token's live link and its environment, or a 404. The wall page may say a link was revoked (410):
 * only someone holding its secret can ask, and a guess finds no link at all.
 */
async function kioskLink(ctx: AppContext, token: string, opts: { sayRevoked?: boolean } = {}) {
  const row = opts.sayRevoked ? await findKioskLink(ctx.db, token) : await findKioskToken(ctx.db, token);
  if (row?.revokedAt) throw new LoupeError("gone", KIOSK_CLOSED.revoked);
  const env = row ? await getEnvironment(ctx.db, row.envId) : undefined;
  if (!row || !env) throw notFound(KIOSK_CLOSED.unknown);
  return { row, env };
}

/** Mounted at /wall. */
export function kioskWallRoutes(ctx: AppContext) {
  const app = new Hono<LiveEnv>();

  // The page of a link that cannot open its wall says why, full-screen, whoever asks (JSON helps no TV).
  app.onError(showErrors({ when: (c) => c.req.method === "GET" && !c.req.path.endsWith("/live"), show: (c, error) => c.html(<WallClosedPage error={error} />, error.status) }));

  app.get("/:token", async (c) => {
    const token = c.req.param("token");
    c.header("Cache-Control", "no-store");
    c.header("X-Robots-Tag", "noindex");
    const { row, env } = await kioskLink(ctx, token, { sayRevoked: true });
    const o = kioskOptions(row);
    const view = wallViewSchema.parse({ kind: "wall", envId: env.id, segmentId: o.segmentId, event: o.event, mask: o.maskIdentities });
    const figures = await readWall({ db: ctx.db, countQuery: () => {} }, env, view);
    // The token is in the URL: never leak it through caches or robots (the page's meta tag stops Referer).
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
