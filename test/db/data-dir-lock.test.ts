// One process per PGlite data dir: a second one is refused (it would corrupt the files); a lock left
// by a dead process is taken over.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataDirInUseError, LOCK_FILE, lockDataDir } from "../../src/db/data-dir-lock";
import { BUN, childEnv, REPO_ROOT, run } from "../helpers/process";

const root = mkdtempSync(join(tmpdir(), "loupe-lock-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A pid that belonged to a process which has exited. */
async function deadPid(): Promise<number> {
  const proc = Bun.spawn(["true"]);
  await proc.exited;
  return proc.pid;
}

describe("data dir lock", () => {
  test("creates the folder, writes our pid, refuses a second holder in this process, releases", () => {
    const dir = join(root, "a", "nested");
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n${dir}\n`);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir)();
  });

  test("a lock held by a live process is refused with its pid", async () => {
    const dir = join(root, "live");
    const other = Bun.spawn(["sleep", "30"]);
    try {
      lockDataDir(dir)();
      writeFileSync(join(dir, LOCK_FILE), `${other.pid}\n${dir}\n`);
      expect(() => lockDataDir(dir)).toThrow(`in use by another Loupe process (pid ${other.pid})`);
      expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${other.pid}\n${dir}\n`);

      // The same lock copied into another folder (a backup or snapshot of the data dir) holds nothing.
      const copy = join(root, "live-copy");
      lockDataDir(copy)();
      writeFileSync(join(copy, LOCK_FILE), `${other.pid}\n${dir}\n`);
      lockDataDir(copy)();
    } finally {
      other.kill();
      await other.exited;
    }
  });

  test("a lock left by a dead process, or by a previous run with our own pid (containers), is taken over", async () => {
    for (const stale of [String(await deadPid()), String(process.pid), "garbage"]) {
      const dir = join(root, `stale-${stale}`);
      lockDataDir(dir)();
      writeFileSync(join(dir, LOCK_FILE), `${stale}\n${dir}\n`);
      const release = lockDataDir(dir);
      expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n${dir}\n`);
      release();
    }
  });

  test("the CLI refuses a data dir another process holds, in one line, exit 1, without touching it", async () => {
    const dir = join(root, "cli");
    const release = lockDataDir(dir);
    try {
      const result = await run([BUN, "src/main.ts", "env", "list"], { cwd: REPO_ROOT, env: childEnv({ LOUPE_DATA_DIR: dir }) });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`loupe: the data dir ${dir} is in use by another Loupe process (pid ${process.pid}); stop it first (PGlite allows one process at a time) or use DATABASE_URL\n`);
      expect(existsSync(join(dir, "PG_VERSION"))).toBe(false);
    } finally {
      release();
    }
  });
});
