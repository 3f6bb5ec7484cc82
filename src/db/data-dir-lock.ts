// PGlite has no postmaster to keep a second process out of its data dir, and two processes writing
// the same files corrupt the database. A lock file holding the owner's pid does that job.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const LOCK_FILE = "loupe.lock";

export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(`the data dir ${dataDir} is in use by another Loupe process (pid ${pid}); stop it first (PGlite allows one process at a time) or use DATABASE_URL`);
    this.name = "DataDirInUseError";
  }
}

/** Dirs this process holds, so opening one twice in the same process is refused too. */
const held = new Set<string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the data dir for this process (creating the folder) and returns the release function.
 * A lock left by a process that is gone is taken over; in a container the restarted process often
 * has the same pid as the one that left it, which also counts as gone unless this process holds it.
 * The lock records the folder's absolute path, so one copied along with the files does not count.
 */
export function lockDataDir(dataDir: string): () => void {
  const dir = resolve(dataDir);
  if (held.has(dir)) throw new DataDirInUseError(dataDir, process.pid);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n${dir}\n`, { flag: "wx" });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw err;
      const [pidLine, lockedDir] = readFileSync(path, "utf8").split("\n");
      const holder = Number.parseInt(pidLine, 10);
      // A lock naming another folder came along in a copy of the data dir (a backup, a snapshot).
      if (lockedDir === dir && holder > 0 && holder !== process.pid && isRunning(holder)) throw new DataDirInUseError(dataDir, holder);
      unlinkSync(path);
    }
  }
  held.add(dir);
  return () => {
    held.delete(dir);
    try {
      if (Number.parseInt(readFileSync(path, "utf8"), 10) === process.pid) unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  };
}
