// PGlite's runtime files, embedded by `bun build --compile` so the binary needs nothing beside it.
// In development the same imports resolve to the files in node_modules.
import pgliteWasmPath from "../../node_modules/@electric-sql/pglite/dist/pglite.wasm" with { type: "file" };
import initdbWasmPath from "../../node_modules/@electric-sql/pglite/dist/initdb.wasm" with { type: "file" };
import fsBundlePath from "../../node_modules/@electric-sql/pglite/dist/pglite.data" with { type: "file" };

export interface PgliteAssets {
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule: WebAssembly.Module;
  fsBundle: Blob;
}

let cached: Promise<PgliteAssets> | undefined;

export function pgliteAssets(): Promise<PgliteAssets> {
  cached ??= (async () => {
    const [pglite, initdb] = await Promise.all([
      Bun.file(pgliteWasmPath).arrayBuffer().then((b) => WebAssembly.compile(b)),
      Bun.file(initdbWasmPath).arrayBuffer().then((b) => WebAssembly.compile(b)),
    ]);
    return { pgliteWasmModule: pglite, initdbWasmModule: initdb, fsBundle: Bun.file(fsBundlePath) };
  })();
  return cached;
}
