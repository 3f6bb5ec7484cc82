// GET /loupe-record.js: the session recorder the snippet loads when replay is on (views/assets/loupe-record.js).
// rrweb's prebuilt UMD recorder runs inside a function whose `this` is a local object and whose
// `define`/`module`/`exports` are undefined, so it neither sets a page global nor registers itself with
// a page's AMD or CommonJS loader; Loupe's recorder, in the same scope, finds it as `rrweb.rrwebRecord`.
import { Hono } from "hono";
import { RECORDER_PARTS } from "../../views/assets/files";
import { publicScript, scriptBody, type ScriptBody } from "./snippet";

export const RECORDER_PATH = "/loupe-record.js";

let cached: Promise<ScriptBody> | undefined;

export function recorderBody(): Promise<ScriptBody> {
  cached ??= (async () => {
    const [rrweb, loupe] = await Promise.all([Bun.file(RECORDER_PARTS.rrweb).text(), Bun.file(RECORDER_PARTS.loupe).text()]);
    // Its closing source-map comment would point at a file Loupe does not serve (an earlier one belongs
    // to a worker's source inside it, and stays).
    const library = rrweb.replace(/\n\/\/# sourceMappingURL=[^\n]*\s*$/, "\n");
    const text = `(function () {\nvar rrweb = {};\n(function () { var define, module, exports;\n${library}\n}).call(rrweb);\n${loupe}\n})();\n`;
    return scriptBody(new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>);
  })();
  return cached;
}

/** Mounted at RECORDER_PATH. */
export function recorderRoutes() {
  const app = new Hono();
  publicScript(app, recorderBody);
  return app;
}
