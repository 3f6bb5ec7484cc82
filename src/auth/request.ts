// What a request says about itself, read safely: scheme and origin (proxy headers only when trusted),
// whether it is a page navigation, and where a `next=` redirect may point.
import type { Context } from "hono";
import type { Config } from "../config";

const firstValue = (header: string | undefined) => header?.split(",")[0]?.trim() || undefined;
const HOST_RE = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** True when the browser reached us over HTTPS: our own TLS, or a trusted proxy's X-Forwarded-Proto. */
export function isHttps(c: Context, config: Config): boolean {
  if (config.tlsCert) return true;
  if (new URL(c.req.url).protocol === "https:") return true;
  return config.trustProxy && firstValue(c.req.header("x-forwarded-proto"))?.toLowerCase() === "https";
}

/** The origin the browser sees for this request (proxy's Host/Proto only when trusted). */
export function requestOrigin(c: Context, config: Config): string {
  const url = new URL(c.req.url);
  if (!config.trustProxy) return url.origin;
  const host = firstValue(c.req.header("x-forwarded-host")) ?? url.host;
  if (!HOST_RE.test(host)) return url.origin;
  return `${isHttps(c, config) ? "https" : "http"}://${host}`.toLowerCase();
}

/** Origins allowed to make state-changing dashboard requests: this request's own, and LOUPE_BASE_URL's. */
export function isAllowedOrigin(origin: string, c: Context, config: Config): boolean {
  const allowed = [requestOrigin(c, config)];
  if (config.baseUrl) allowed.push(new URL(config.baseUrl).origin);
  return allowed.includes(origin.toLowerCase());
}

/** A top-level browser navigation (gets redirects and HTML), as opposed to htmx, fetch or API calls. */
export function isPageNavigation(c: Context): boolean {
  const method = c.req.method;
  if (method !== "GET" && method !== "HEAD") return false;
  if (c.req.header("hx-request")) return false;
  return (c.req.header("accept") ?? "").includes("text/html");
}

const AUTH_PAGES = new Set(["/login", "/logout", "/setup"]);

/**
 * A `next=` value reduced to a same-site path, or "/" for anything else: absolute URLs,
 * protocol-relative `//host`, backslash tricks, control characters and the auth pages themselves.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2048) return "/";
  if (!next.startsWith("/") || next.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(next)) return "/";
  const probe = "http://loupe.invalid";
  let url: URL;
  try {
    url = new URL(next, probe);
  } catch {
    return "/";
  }
  if (url.origin !== probe || AUTH_PAGES.has(url.pathname)) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The path (and query) the client was on, to come back to after logging in. */
export function currentPath(c: Context): string {
  const hxUrl = c.req.header("hx-current-url");
  if (hxUrl) {
    try {
      const url = new URL(hxUrl);
      return safeNextPath(`${url.pathname}${url.search}`);
    } catch {
      return "/";
    }
  }
  const url = new URL(c.req.url);
  return safeNextPath(`${url.pathname}${url.search}`);
}
