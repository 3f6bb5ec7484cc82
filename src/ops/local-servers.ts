// How `loupe demo` (or any Loupe command) finds out what a Loupe running on this machine holds, whatever
// its data dir or database: `loupe serve` leaves a note — its URL and a token made at start — in a folder
// only this OS user can read, and answers that token on GET /api/local/environments (src/routes/local.ts).
// The token proves the asker is the same user on the same machine; it never travels further.
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { newToken } from "../auth/tokens";

/** This process's token: the one the local route accepts. */
export const LOCAL_TOKEN = newToken();
export const LOCAL_ENVIRONMENTS_PATH = "/api/local/environments";

export interface LocalServer { url: string; pid: number; token: string }

/** The folder of notes: one per OS user, private to them. */
export const localServersDir = () => join(tmpdir(), `loupe-${userInfo().uid}`);

const loopback = (host: string) => host === "localhost" || host === "[::1]" || /^127\./.test(host) || host === "0.0.0.0";

/** Leaves the note for a server listening at `url`; returns what removes it (at shutdown). */
export function announceLocalServer(url: string, dir = localServersDir()): () => void {
  const file = join(dir, `${new URL(url).port || "80"}.json`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    writeFileSync(file, JSON.stringify({ url, pid: process.pid, token: LOCAL_TOKEN } satisfies LocalServer), { mode: 0o600 });
  } catch {
    return () => {}; // a read-only machine: commands then need --env, as for a Loupe elsewhere
  }
  return () => rmSync(file, { force: true });
}

/** The note of the Loupe answering at `url` on this machine (same port, a loopback or the same host), if any. */
export function findLocalServer(url: string, dir = localServersDir()): LocalServer | undefined {
  const target = new URL(url);
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f === `${target.port || "80"}.json`);
  } catch {
    return undefined;
  }
  for (const f of files) {
    try {
      const note = JSON.parse(readFileSync(join(dir, f), "utf8")) as LocalServer;
      const host = new URL(note.url).hostname;
      if (loopback(target.hostname) || host === target.hostname) return note;
    } catch {
      // a note half-written or from another version: not ours to read
    }
  }
  return undefined;
}
