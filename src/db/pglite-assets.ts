// PGlite's runtime files, embedded by `bun build --compile` so the binary needs nothing beside it.
// In development the same imports resolve to the files in node_modules.
import pgliteWasmPath from "../../node_modules/@electric-sql/pglite/dist/pglite.wasm" with { type: "file" };
import initdbWasmPath from "../../node_modules/@electric-sql/pglite/dist/initdb.wasm" with { type: "file" };
import fsBundlePath from "../../node_modules/@electric-sql/pglite/dist/pglite.data" with { type: "file" };

export interface PgliteAssets {
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule?: WebAssembly.Module;
  fsBundle: Blob;
}

const compile = (path: string) => Bun.file(path).arrayBuffer().then((b) => WebAssembly.compile(b));

let pgliteModule: Promise<WebAssembly.Module> | undefined;
let initdbModule: Promise<WebAssembly.Module> | undefined;

/**
 * The modules PGlite needs, compiled once per process. initdb is only needed to create a new
 * database, so reopening a data dir (or loading a dump) skips compiling it.
 */
export async function pgliteAssets(needInitdb: boolean): Promise<PgliteAssets> {
  pgliteModule ??= compile(pgliteWasmPath);
  if (needInitdb) initdbModule ??= compile(initdbWasmPath);
  const [pgliteWasmModule, initdbWasmModule] = await Promise.all([pgliteModule, needInitdb ? initdbModule : undefined]);
  return { pgliteWasmModule, ...(initdbWasmModule ? { initdbWasmModule } : {}), fsBundle: Bun.file(fsBundlePath) };
}
