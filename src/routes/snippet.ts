import { Hono } from "hono";
import { SNIPPET } from "../snippet";
import { ASSETS } from "../../views/assets/files";

export interface ScriptBody {
  plain: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
  etag: string;
}

/** A script's bytes, gzipped once, and an ETag over the plain bytes. */
export function scriptBody(plain: Uint8Array<ArrayBuffer>): ScriptBody {
  return { plain, gzip: Bun.gzipSync(plain, { level: 9 }), etag: `"${Bun.hash(plain).toString(36)}"` };
}

let cached: Promise<ScriptBody> | undefined;

/** The snippet's bytes, gzipped once, and an ETag over the plain bytes. */
export function snippetBody(): Promise<ScriptBody> {
  cached ??= Bun.file(ASSETS["loupe.js"].path).bytes().then(scriptBody);
  return cached;
}

/**
 * GET/HEAD of a script that customers' sites load cross-origin (the snippet, the recorder). Short
 * max-age plus ETag so a new Loupe version reaches every site within minutes; CORS and CORP open so
 * any page may load it.
 */
export function publicScript(app: Hono, body: () => Promise<ScriptBody>) {
  app.on(["GET", "HEAD"], "/", async (c) => {
    const b = await body();
    const gzip = /\bgzip\b/.test(c.req.header("accept-encoding") ?? "");
    const headers: Record<string, string> = {
      "content-type": "text/javascript; charset=utf-8",
      etag: b.etag,
      "cache-control": `public, max-age=${SNIPPET.maxAgeSeconds}, stale-while-revalidate=${SNIPPET.staleSeconds}`,
      vary: "Accept-Encoding",
      "access-control-allow-origin": "*",
      "cross-origin-resource-policy": "cross-origin",
      "timing-allow-origin": "*",
    };
    const inm = c.req.header("if-none-match");
    if (inm && inm.split(/\s*,\s*/).some((t) => t === b.etag || t === `W/${b.etag}` || t === "*")) {
      return new Response(null, { status: 304, headers });
    }
    if (gzip) headers["content-encoding"] = "gzip";
    const bytes = gzip ? b.gzip : b.plain;
    headers["content-length"] = String(bytes.byteLength);
    return new Response(c.req.method === "HEAD" ? null : bytes, { headers });
  });
}

/** GET /loupe.js: public, loaded cross-origin by customers' sites. Mounted at SNIPPET.path. */
export function snippetRoutes() {
  const app = new Hono();
  publicScript(app, snippetBody);
  return app;
}
