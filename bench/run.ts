// `npm run bench -- <name> [args]` runs bench/<name>.ts, bench/<name>/index.ts or bench/<name>/main.ts.
// A benchmark either runs on import (reading process.argv) or exports `main(args)`.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const here = import.meta.dir;

function entryOf(name: string): string | undefined {
  if (!/^[\w-]+$/.test(name)) return undefined;
  return [`${name}.ts`, `${name}/index.ts`, `${name}/main.ts`].map((p) => join(here, p)).find((p) => existsSync(p));
}

function available(): string[] {
  return readdirSync(here, { withFileTypes: true })
    .map((d) => (d.isFile() && d.name.endsWith(".ts") && d.name !== "run.ts" ? d.name.slice(0, -3) : d.isDirectory() ? d.name : ""))
    .filter((n) => n && entryOf(n))
    .sort();
}

const [name, ...args] = process.argv.slice(2);
const entry = name ? entryOf(name) : undefined;
if (!entry) {
  if (name) console.error(`bench: no benchmark "${name}"`);
  console.error(`usage: npm run bench -- <${available().join("|")}> [args]`);
  process.exit(2);
}
process.argv = [process.argv[0], entry, ...args];
const mod = (await import(entry)) as { main?: (args: string[]) => Promise<void> | void };
if (typeof mod.main === "function") await mod.main(args);
