import { Hono } from "hono";
import { SNIPPET } from "../snippet";
import { ASSETS } from "../../views/assets/files";

interface SnippetBody {
  plain: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
  etag: string;
}

let cached: Promise<SnippetBody> | undefined;

/** The snippet's bytes, gzipped once, and an ETag over the plain bytes. */
export function snippetBody(): Promise<SnippetBody> {
  cached ??= (async () => {
    const plain = await Bun.file(ASSETS["loupe.js"].path).bytes();
    return { plain, gzip: Bun.gzipSync(plain, { level: 9 }), etag: `"${Bun.hash(plain).toString(36)}"` };
  })();
  return cached;
}

/**
 * GET /loupe.js: public, loaded cross-origin by customers' sites. Short max-age plus ETag so a new
 * Loupe version reaches every site within minutes; CORS and CORP open so any page may load it.
 * Mounted at SNIPPET.path.
 */
export function snippetRoutes() {
  const app = new Hono();
  app.on(["GET", "HEAD"], "/", async (c) => {
    const body = await snippetBody();
    const gzip = /\bgzip\b/.test(c.req.header("accept-encoding") ?? "");
    const headers: Record<string, string> = {
      "content-type": ASSETS["loupe.js"].type,
      etag: body.etag,
      "cache-control": `public, max-age=${SNIPPET.maxAgeSeconds}, stale-while-revalidate=${SNIPPET.staleSeconds}`,
      vary: "Accept-Encoding",
      "access-control-allow-origin": "*",
      "cross-origin-resource-policy": "cross-origin",
      "timing-allow-origin": "*",
    };
    const inm = c.req.header("if-none-match");
    if (inm && inm.split(/\s*,\s*/).some((t) => t === body.etag || t === `W/${body.etag}` || t === "*")) {
      return new Response(null, { status: 304, headers });
    }
    if (gzip) headers["content-encoding"] = "gzip";
    const bytes = gzip ? body.gzip : body.plain;
    headers["content-length"] = String(bytes.byteLength);
    return new Response(c.req.method === "HEAD" ? null : bytes, { headers });
  });
  return app;
}
