// Security headers on every response. The CSP is strict: scripts and styles only from Loupe itself,
// no inline code, no eval; htmx is configured (layout's htmx-config meta) to need none of them.
import type { Context, MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { Config } from "../config";
import { isHttps, requestOrigin } from "./request";

/** ws:/wss: of this very host, for the live WebSocket ('self' alone is not honoured for ws by every browser). */
function webSocketSources(c: Context, config: Config): string {
  const origin = new URL(config.baseUrl ?? requestOrigin(c, config));
  return `${origin.protocol === "https:" ? "wss" : "ws"}://${origin.host}`;
}

export function securityHeaders(config: Config): MiddlewareHandler {
  const make = (https: boolean) =>
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", (c) => webSocketSources(c, config)],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      xFrameOptions: "DENY",
      // "same-origin" keeps the Origin header on same-origin form posts (no-referrer would send "null").
      referrerPolicy: "same-origin",
      strictTransportSecurity: https ? "max-age=31536000; includeSubDomains" : false,
      // Set by the dashboard itself: the snippet and the ingestion API must stay loadable from customers' sites.
      crossOriginResourcePolicy: false,
      permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [] },
      // A response that sets its own policy keeps it: the replay player's frame (src/routes/replay.tsx).
      overwrite: false,
    });
  const plain = make(false);
  const https = make(true);
  return (c, next) => (isHttps(c, config) ? https(c, next) : plain(c, next));
}

/** Dashboard responses are for this origin only. */
export const sameOriginResources: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set("Cross-Origin-Resource-Policy", "same-origin");
  c.res.headers.set("Cache-Control", c.res.headers.get("Cache-Control") ?? "no-store");
};
