// `npm run build` → dist/loupe: one executable holding the Bun runtime, the app, views, assets,
// migrations and PGlite's files (all reached through imports, so the bundler embeds them).
import { mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";

const target = process.argv[2] ?? "dist/loupe";
// Built beside the target and renamed into place, so nobody ever runs a half-written binary.
const outfile = `${target}.building-${process.pid}`;
const started = performance.now();
mkdirSync(dirname(target), { recursive: true });

const result = await Bun.build({
  entrypoints: ["src/main.ts"],
  compile: {
    outfile,
    // The binary reads its settings from env and flags only, never a bunfig.toml in the folder it runs in.
    autoloadBunfig: false,
    autoloadTsconfig: false,
    autoloadPackageJson: false,
  },
  // Bytecode skips parsing at start-up; it requires ESM output here.
  bytecode: true,
  format: "esm",
  minify: true,
  // Embedded in the executable, so stack traces point at src/ lines.
  sourcemap: "inline",
});

// Bun also writes the map beside the binary; the binary carries its own copy and needs nothing beside it.
rmSync(`${outfile}.map`, { force: true });
if (!result.success) {
  for (const message of result.logs) console.error(message);
  rmSync(outfile, { force: true });
  process.exit(1);
}
renameSync(outfile, target);
const mb = (statSync(target).size / 1024 / 1024).toFixed(1);
console.log(`built ${target} (${mb} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
