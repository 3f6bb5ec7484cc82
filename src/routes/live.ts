// Live WebSockets. The handshake is checked BEFORE upgrading: the Origin must be this Loupe's (base
// URL or the request's own), and the caller must hold a dashboard session or a valid kiosk token.
import { Hono, type Context } from "hono";
import { upgradeWebSocket } from "hono/bun";
import type { ServerWebSocket } from "bun";
import { readSessionToken } from "../auth/cookie";
import { isAllowedOrigin } from "../auth/request";
import { findSession } from "../auth/sessions";
import { ERROR_CODES } from "../constants";
import type { AppContext } from "../context";
import { LoupeError } from "../errors";
import { CLOSE, type Connection, type LiveHub } from "../live/hub";
import { findKioskToken } from "../live/kiosk";
import { kioskPrincipal, type Principal } from "../live/principal";
import { liveHub } from "../live/registry";

type LiveEnv = { Variables: { principal: Principal } };

export function liveRoutes(ctx: AppContext) {
  const app = new Hono<LiveEnv>();
  const hub = liveHub(ctx);

  const originGuard = async (c: Context<LiveEnv>, next: () => Promise<void>) => {
    const origin = c.req.header("origin");
    if (!origin || !isAllowedOrigin(origin, c, ctx.config)) {
      return c.json(new LoupeError(403, ERROR_CODES.forbidden, "WebSocket Origin refused").toJSON(), 403);
    }
    await next();
  };

  app.get("/live", originGuard, async (c, next) => {
    const token = readSessionToken(c);
    const session = await findSession(ctx.db, token);
    if (!session || !token) return c.json(new LoupeError(401, ERROR_CODES.unauthorized, "Log in to use live updates").toJSON(), 401);
    c.set("principal", { kind: "account", accountId: session.accountId, sessionToken: token });
    await next();
  }, upgradeWebSocket((c) => socketEvents(hub, c.get("principal"))));

  // A kiosk token opens its wall's socket and nothing else; unknown or revoked tokens look like nothing at all.
  app.get("/wall/:token/live", async (c, next) => {
    const row = await findKioskToken(ctx.db, c.req.param("token"));
    // Not a WebSocket handshake: a kiosk URL answers nothing but its page and its socket.
    if (!row || c.req.header("upgrade")?.toLowerCase() !== "websocket") return c.json(new LoupeError(404, ERROR_CODES.notFound, "Not found").toJSON(), 404);
    c.set("principal", kioskPrincipal(row));
    await next();
  }, originGuard, upgradeWebSocket((c) => socketEvents(hub, c.get("principal"))));

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
