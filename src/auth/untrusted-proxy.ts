// Requests carrying X-Forwarded-For while LOUPE_TRUST_PROXY is off: Loupe is most likely behind a proxy it
// was not told to trust, so it sees one address for every client (geo, throttling). Noticed once, logged
// once, and shown on Settings (views/pages/settings.tsx).
import type { MiddlewareHandler } from "hono";
import type { Config } from "../config";
import { log } from "../log";
import { socketAddress } from "./client-ip";

export interface UntrustedProxy {
  /** The socket peer that sent the header (the proxy). */
  peer: string;
  at: Date;
}

const seen = new WeakMap<Config, UntrustedProxy>();

/** What was noticed for this running Loupe (its config), if anything. */
export const untrustedProxySeen = (config: Config): UntrustedProxy | undefined => seen.get(config);

export function watchForUntrustedProxy(config: Config): MiddlewareHandler {
  return async (c, next) => {
    if (!config.trustProxy && !seen.has(config) && c.req.header("x-forwarded-for") !== undefined) {
      const peer = socketAddress(c) ?? "unknown";
      seen.set(config, { peer, at: new Date() });
      log.warn(`requests from ${peer} carry X-Forwarded-For but LOUPE_TRUST_PROXY is off: every client behind that proxy looks like ${peer} (locations, login throttling). If ${peer} is your reverse proxy, set LOUPE_TRUST_PROXY=true.`);
    }
    await next();
  };
}
