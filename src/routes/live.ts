// Live WebSockets. The handshake is checked BEFORE upgrading: the Origin must be this Loupe's (base
// URL or the request's own), and the caller must hold a dashboard session (here) or a valid kiosk
// token (src/routes/kiosk-wall.tsx, which mounts liveSocket for its link).
import type { ServerWebSocket } from "bun";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { upgradeWebSocket } from "hono/bun";
import { readSessionToken } from "../auth/cookie";
import { isAllowedOrigin } from "../auth/request";
import { findSession } from "../auth/sessions";
import type { AppContext } from "../context";
import { LoupeError } from "../errors";
import { CLOSE, type Connection, type LiveHub } from "../live/hub";
import type { Principal } from "../live/principal";
import { liveHub } from "./live-hub";

export type LiveEnv = { Variables: { principal: Principal } };

/** The page's Origin is this Loupe's: a socket other sites' pages open is refused before the upgrade. */
export function originGuard(ctx: AppContext): MiddlewareHandler<LiveEnv> {
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (!origin || !isAllowedOrigin(origin, c, ctx.config)) throw new LoupeError("forbidden", "WebSocket Origin refused");
    await next();
  };
}

/** The upgrade itself, for the principal set by the middleware before it. */
export const liveSocket = (hub: LiveHub) => upgradeWebSocket((c) => socketEvents(hub, (c as Context<LiveEnv>).get("principal")));

/** Mounted at /live: the dashboard's socket, for a logged-in session. */
export function liveRoutes(ctx: AppContext) {
  const app = new Hono<LiveEnv>();
  app.get("/", originGuard(ctx), async (c, next) => {
    const token = readSessionToken(c);
    const session = await findSession(ctx.db, token);
    if (!session || !token) throw new LoupeError("unauthorized", "Log in to use live updates");
    c.set("principal", { kind: "account", accountId: session.accountId, sessionToken: token });
    await next();
  }, liveSocket(liveHub(ctx)));
  return app;
}

function socketEvents(hub: LiveHub, principal: Principal) {
  let conn: Connection | undefined;
  return {
    onOpen(_e: Event, ws: { raw?: unknown }) {
      const raw = ws.raw as ServerWebSocket<unknown>;
      conn = hub.open({ send: (t) => void raw.send(t), close: (code, reason) => raw.close(code, reason), bufferedAmount: () => raw.getBufferedAmount() }, principal);
    },
    onMessage(e: MessageEvent, ws: { close(code?: number, reason?: string): void }) {
      if (!conn) return;
      if (typeof e.data !== "string") return ws.close(CLOSE.protocol, "text frames only");
      void hub.message(conn, e.data);
    },
    onClose() {
      if (conn) hub.closed(conn);
    },
  };
}
