// dist/loupe for tests and benchmarks: rebuilt only when a source file is newer than it.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { BUN, childEnv, REPO_ROOT, run } from "./process";

export const BINARY = join(REPO_ROOT, "dist/loupe");
const INPUTS = ["src", "views", "drizzle", "package.json", "package-lock.json", "scripts/build.ts"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when dist/loupe exists and no input of the build changed after it was written. */
export function binaryIsFresh(): boolean {
  if (!existsSync(BINARY)) return false;
  const built = statSync(BINARY).mtimeMs;
  return INPUTS.every((p) => newestMtime(join(REPO_ROOT, p)) <= built);
}

/** Builds dist/loupe (`npm run build`) unless a fresh one is already there; returns its path. */
export async function ensureBinary(): Promise<string> {
  if (binaryIsFresh()) return BINARY;
  const { code, stdout, stderr } = await run([BUN, "scripts/build.ts"], { env: childEnv() });
  if (code !== 0) throw new Error(`npm run build failed (${code}):\n${stdout}\n${stderr}`);
  return BINARY;
}
