// `npm run bench -- live-soak [minutes]` — the wall screen's long soak: the Chromium wall test's soak
// (demo traffic, heap and DOM measured after forced GCs) run for 10 minutes instead of the suite's 60 s.
import { REPO_ROOT } from "../test/helpers/process";

const minutes = Number(process.argv[2] ?? "10");
const proc = Bun.spawn([process.execPath, "test", "test/browser/live-wall.test.ts", "-t", "soak"], {
  cwd: REPO_ROOT,
  env: { ...process.env, LOUPE_WALL_SOAK_MS: String(minutes * 60_000) },
  stdout: "inherit",
  stderr: "inherit",
});
process.exit(await proc.exited);
