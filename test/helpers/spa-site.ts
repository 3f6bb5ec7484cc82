// The single-page-app fixture (test/fixtures/spa) served from its own origin, loading /loupe.js
// cross-origin from the Loupe under test through the very stub the setup page shows.
import { createHash } from "node:crypto";
import { snippetScriptTag, snippetTag } from "../../src/snippet";

const DIR = `${import.meta.dir}/../fixtures/spa`;

export interface SpaSiteOptions {
  /** Base URL the stub loads /loupe.js from (the Loupe under test, or a failing stand-in). */
  loupeUrl: string;
  envId: string;
  /** Options passed to loupe.load(envId, options), as JSON. */
  loadOptions?: Record<string, unknown>;
  /** "stub" (default): the inline install stub; "script": the CSP-friendly data-env tag. */
  install?: "stub" | "script";
  /** Page code run right after the stub, before /loupe.js can have arrived (calls the stub must queue). */
  afterStub?: string;
  /**
   * Serve the pages under a strict Content-Security-Policy, as a careful customer would: no
   * 'unsafe-inline'; the inline stub allowed by its sha256 hash; Loupe allowed for scripts and connections.
   */
  strictCsp?: boolean;
  /** Interface to listen on (default "localhost"); tests mapping made-up host names to 127.0.0.1 need that. */
  hostname?: string;
}

export interface SpaSite {
  /** http://localhost:PORT (a different origin from the Loupe under test on 127.0.0.1). */
  url: string;
  close(): void;
}

export function startSpaSite(opts: SpaSiteOptions): SpaSite {
  let tag = opts.install === "script" ? snippetScriptTag(opts.loupeUrl, opts.envId) : snippetTag(opts.loupeUrl, opts.envId);
  if (opts.loadOptions && opts.install !== "script") {
    tag = tag.replace(`loupe.load(${JSON.stringify(opts.envId)})`, `loupe.load(${JSON.stringify(opts.envId)},${JSON.stringify(opts.loadOptions)})`);
  }
  if (opts.afterStub) tag = tag.replace("\n</script>", `\n${opts.afterStub}\n</script>`);
  const inline = /<script>([\s\S]*?)<\/script>/.exec(tag)?.[1];
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${opts.loupeUrl}${inline ? ` 'sha256-${createHash("sha256").update(inline).digest("base64")}'` : ""}`,
    `connect-src ${opts.loadOptions?.host ?? opts.loupeUrl}`,
    "style-src 'self'",
  ].join("; ");
  const server = Bun.serve({
    port: 0,
    hostname: opts.hostname ?? "localhost",
    async fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === "/app.js") return new Response(Bun.file(`${DIR}/app.js`), { headers: { "content-type": "text/javascript" } });
      if (path === "/app.css") return new Response(Bun.file(`${DIR}/app.css`), { headers: { "content-type": "text/css" } });
      if (path === "/favicon.ico") return new Response(null, { status: 204 });
      if (path === "/blank") return new Response("<!doctype html><title>Elsewhere</title><p>Elsewhere</p>", { headers: { "content-type": "text/html" } });
      // Every other path is the app's shell: client-side routes work on reload too.
      const html = (await Bun.file(`${DIR}/index.html`).text()).replace("<!--LOUPE-->", tag);
      return new Response(html, { headers: { "content-type": "text/html; charset=utf-8", ...(opts.strictCsp ? { "content-security-policy": csp } : {}) } });
    },
  });
  return { url: `http://localhost:${server.port}`, close: () => server.stop(true) };
}

/** Polls `read` until `done` holds for its result (ingestion is asynchronous to the page), or fails loudly. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 15_000, show: (value: T) => unknown = (v) => v): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(show(value))?.slice(0, 3000)}`);
    await Bun.sleep(100);
  }
}

/**
 * Headless Chromium says "HeadlessChrome" and is rightly dropped as a bot. Browse as the desktop Chrome it
 * is, for the whole browser: a context's userAgent does not reach beacons sent while a page unloads.
 */
export const HUMAN_BROWSER_ARGS = ["--user-agent=Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"];
