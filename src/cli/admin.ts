import { countAccounts, createFirstAdmin, resetPassword } from "../auth/accounts";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { LoupeError } from "../errors";
import { log } from "../log";
import { UsageError } from "./args";
import { openMigrated } from "./open";

const USAGE = "usage: loupe admin reset-password EMAIL (new password from LOUPE_NEW_PASSWORD or stdin)";

export interface AdminIo {
  out(line: string): void;
  /** The new password when LOUPE_NEW_PASSWORD is not set. */
  readPassword(): Promise<string>;
  env: Record<string, string | undefined>;
}

/** `loupe admin reset-password EMAIL`: sets a new password and revokes every session of that account. */
export async function adminCommand(config: Config, args: string[], io: AdminIo): Promise<void> {
  const [sub, email, ...extra] = args;
  if (sub !== "reset-password" || !email || extra.length > 0) throw new UsageError(USAGE);
  const password = io.env.LOUPE_NEW_PASSWORD ?? (await io.readPassword());
  const database = await openMigrated(config);
  try {
    const account = await resetPassword(database.db, email, password);
    io.out(`Password reset for ${account.email}; all of its sessions are logged out.`);
  } catch (err) {
    if (err instanceof LoupeError) throw new UsageError(err.message);
    throw err;
  } finally {
    await database.close();
  }
}

/** Unattended installs: LOUPE_ADMIN_EMAIL/LOUPE_ADMIN_PASSWORD create the admin when no account exists yet. */
export async function ensureAdminFromConfig(db: Db, config: Config): Promise<void> {
  if (!config.adminEmail || !config.adminPassword) return;
  if ((await countAccounts(db)) > 0) {
    log.debug("an account exists; LOUPE_ADMIN_EMAIL/LOUPE_ADMIN_PASSWORD are not applied");
    return;
  }
  const account = await createFirstAdmin(db, { email: config.adminEmail, password: config.adminPassword });
  if (account) log.info(`admin account ${account.email} created from LOUPE_ADMIN_EMAIL`);
}

/** Reads the password from stdin: hidden when typed at a terminal, else the first line of the pipe. */
export async function readPasswordFromStdin(): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const input = await Bun.stdin.text();
    return input.split(/\r?\n/)[0] ?? "";
  }
  process.stderr.write("New password: ");
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let typed = "";
    const done = (fn: () => void) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      fn();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return done(() => resolve(typed));
        if (ch === "\u0003") return done(() => reject(new UsageError("cancelled")));
        if (ch === "\u007f" || ch === "\b") typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on("data", onData);
  });
}
