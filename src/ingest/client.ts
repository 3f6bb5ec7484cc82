// Who sent a request: client IP and proxy-supplied location, trusted only behind a configured proxy.
import { clientIp } from "../auth/client-ip";
import { LIMITS } from "../limits";
import { clip } from "./wire-text";

export interface ClientFacts {
  userAgent: string | null;
  ip: string | null;
  /** Location from the proxy / CDN's headers (only when the proxy is trusted). */
  proxyGeo: { country: string | null; region: string | null; city: string | null } | null;
  /** The browser asked not to be tracked (`DNT: 1` or Global Privacy Control's `Sec-GPC: 1`). */
  doNotTrack: boolean;
}

const decode = (v: string | null) => {
  if (!v) return null;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
};

function proxyGeo(h: Headers) {
  const country =
    h.get("cf-ipcountry") ?? h.get("x-vercel-ip-country") ?? h.get("cloudfront-viewer-country") ?? h.get("x-appengine-country") ?? h.get("x-country-code");
  const region = h.get("x-vercel-ip-country-region") ?? h.get("cf-region-code") ?? h.get("cloudfront-viewer-country-region") ?? h.get("x-appengine-region");
  const city = h.get("x-vercel-ip-city") ?? h.get("cf-ipcity") ?? h.get("cloudfront-viewer-city") ?? h.get("x-appengine-city");
  // Cloudflare sends XX (unknown) and T1 (Tor) as countries.
  const c = country && /^[A-Za-z]{2}$/.test(country) && !/^(XX|T1)$/i.test(country) ? country.toUpperCase() : null;
  if (!c && !region && !city) return null;
  return { country: c, region: clip(decode(region), 128), city: clip(decode(city), 128) };
}

export function clientFacts(headers: Headers, socketIp: string | null, trustProxy: boolean): ClientFacts {
  const ip = clientIp(headers, socketIp, trustProxy);
  return {
    userAgent: clip(headers.get("user-agent"), LIMITS.propertyValueChars),
    ip: ip ? ip.replace(/^::ffff:/, "").slice(0, 64) : null,
    proxyGeo: trustProxy ? proxyGeo(headers) : null,
    doNotTrack: headers.get("dnt") === "1" || headers.get("sec-gpc") === "1",
  };
}

/**
 * A batch sent on a device's behalf may name the device's public address (`ip`, docs/collect-protocol.md),
 * as Segment's `context.ip` does: a backend relaying app events, a proxy one runs, `loupe demo`. Location
 * and the stored IP then come from it, and the sender's own proxy headers, which describe the sender, go.
 */
export const withDeclaredIp = (facts: ClientFacts, ip: string | null | undefined): ClientFacts =>
  ip ? { ...facts, ip: ip.replace(/^::ffff:/i, ""), proxyGeo: null } : facts;
