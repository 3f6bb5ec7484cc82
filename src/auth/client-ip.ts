// Which address a request comes from: the one policy for ingest (location, stored IP) and the login
// throttle. Proxy headers count only when LOUPE_TRUST_PROXY says a proxy we trust sits in front.
import type { Context } from "hono";
import { getConnInfo } from "hono/bun";

/** Loopback, private and link-local addresses: the proxies between the client and Loupe, not clients. */
export function isInternalAddress(ip: string): boolean {
  const v4 = ip.replace(/^::ffff:/i, "");
  const m = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(v4);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  const v6 = ip.toLowerCase();
  return v6 === "::1" || /^f[cd][0-9a-f]{2}:/.test(v6) || /^fe[89ab][0-9a-f]:/.test(v6);
}

/**
 * The client's address. Behind a trusted proxy: the right-most X-Forwarded-For entry that is not an
 * internal address (what the proxies appended; entries further left are the client's own claims), else
 * CF-Connecting-IP / X-Real-IP; otherwise, and without a trusted proxy, the socket's peer.
 */
export function clientIp(headers: Headers, socketIp: string | null, trustProxy: boolean): string | null {
  if (trustProxy) {
    const chain = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    const forwarded = [...chain].reverse().find((ip) => !isInternalAddress(ip)) ?? chain[0];
    const ip = forwarded || headers.get("cf-connecting-ip") || headers.get("x-real-ip");
    if (ip) return ip;
  }
  return socketIp;
}

/** The socket peer of a request served by Bun.serve (null under app.request in tests). */
export function socketAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

/** clientIp for a Hono request. */
export const requestIp = (c: Context, trustProxy: boolean) => clientIp(c.req.raw.headers, socketAddress(c), trustProxy);
