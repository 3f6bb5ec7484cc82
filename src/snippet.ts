// The browser snippet: how it is served (src/routes/snippet.ts serves views/assets/loupe.js) and the
// install tag a site owner pastes (shown on Settings and by `loupe serve`).
import { createHash } from "node:crypto";

/** Where and how the snippet is served. */
export const SNIPPET = {
  path: "/loupe.js",
  maxAgeSeconds: 300,
  staleSeconds: 3600,
  /** The size budget a test holds the snippet to. */
  maxGzipBytes: 8 * 1024,
} as const;

/** Options written into the install stub's `loupe.load(envId, options)` call. */
export interface SnippetOptions {
  /** Honour Do-Not-Track / Global Privacy Control (the environment's respectDnt setting). */
  respectDnt?: boolean;
}

const STUB_METHODS = [
  "load", "identify", "resetIdentity", "addUserProperties", "addEventProperties", "removeEventProperty",
  "clearEventProperties", "track", "getUserId", "getSessionId", "getIdentity", "stopTracking", "startTracking",
];

/** The install stub's script body: defines `loupe` as a queue of calls, loads /loupe.js async, then loupe.load(). */
export function snippetSource(baseUrl: string, envId: string, options: SnippetOptions = {}): string {
  const src = `${baseUrl.replace(/\/+$/, "")}${SNIPPET.path}`;
  const load = options.respectDnt ? `${js(envId)},${js({ respectDnt: true })}` : js(envId);
  return [
    `!function(w,d,u){var l=w.loupe=w.loupe||[];if(l.__loupe||l.queued)return;l.queued=1;`,
    `${js(STUB_METHODS.join(" "))}.split(" ").forEach(function(m){l[m]=function(){l.push([m].concat([].slice.call(arguments)))}});`,
    `var s=d.createElement("script");s.async=!0;s.src=u;(d.head||d.documentElement).appendChild(s)}(window,document,${js(src)});`,
    `loupe.load(${load});`,
  ].join("\n");
}

/** The HTML a site owner pastes into their pages to install Loupe (inline stub). */
export function snippetTag(baseUrl: string, envId: string, options: SnippetOptions = {}): string {
  return `<script>\n${snippetSource(baseUrl, envId, options)}\n</script>`;
}

/** For sites whose Content-Security-Policy forbids inline scripts: no stub, the script loads itself. */
export function snippetScriptTag(baseUrl: string, envId: string, options: SnippetOptions = {}): string {
  const src = `${baseUrl.replace(/\/+$/, "")}${SNIPPET.path}`;
  const dnt = options.respectDnt ? ` data-respect-dnt="true"` : "";
  return `<script src="${escapeAttr(src)}" data-env="${escapeAttr(envId)}"${dnt} async></script>`;
}

/** The CSP source that allows exactly this inline stub: `script-src 'sha256-…'`. */
export function snippetCspHash(baseUrl: string, envId: string, options: SnippetOptions = {}): string {
  const digest = createHash("sha256").update(`\n${snippetSource(baseUrl, envId, options)}\n`).digest("base64");
  return `'sha256-${digest}'`;
}

/** A JS string literal that cannot end the surrounding <script> element. */
function js(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}
