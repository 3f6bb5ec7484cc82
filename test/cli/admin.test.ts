// `loupe admin reset-password EMAIL` through the real CLI, against a PGlite data dir or a PostgreSQL URL.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccount, verifyLogin } from "../../src/auth/accounts";
import { createSession, findSession } from "../../src/auth/sessions";
import { openDatabase, type Database } from "../../src/db/client";
import { driver, testDatabase } from "../helpers/db";

setDefaultTimeout(60_000); // starting Loupe on PGlite (and Chromium) takes longer than bun's 5 s default

const EMAIL = "admin@loupe.test";
const OLD = "the-old-password";
let dataDir: string | undefined;
let databaseUrl: string | undefined;
let closeDatabase: () => Promise<void> = async () => {};

/** Opens the database the CLI subprocess will use (PGlite allows one process at a time, so open briefly). */
async function open(): Promise<Database> {
  return openDatabase(databaseUrl ? { databaseUrl, poolSize: 2 } : { dataDir });
}

beforeAll(async () => {
  const seed = await testDatabase();
  if (driver === "postgres") {
    databaseUrl = seed.url;
    closeDatabase = () => seed.close();
  } else {
    // A migrated on-disk data dir, made from the test dump (no initdb).
    const dump = await seed.pglite!.dumpDataDir("none");
    await seed.close();
    dataDir = await mkdtemp(join(tmpdir(), "loupe-cli-"));
    const disk = await openDatabase({ dataDir, loadDataDir: dump });
    await disk.close();
    closeDatabase = () => rm(dataDir!, { recursive: true, force: true });
  }
  const db = await open();
  await createAccount(db.db, { email: EMAIL, password: OLD });
  await db.close();
}, 60_000);
afterAll(() => closeDatabase());

async function loupe(args: string[], opts: { newPassword?: string; stdin?: string } = {}) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", LOUPE_LOG_LEVEL: "warn" };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else env.LOUPE_DATA_DIR = dataDir!;
  if (opts.newPassword !== undefined) env.LOUPE_NEW_PASSWORD = opts.newPassword;
  const proc = Bun.spawn([process.execPath, "src/main.ts", ...args], {
    env,
    stdin: opts.stdin !== undefined ? new TextEncoder().encode(opts.stdin) : "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

describe("loupe admin reset-password", () => {
  test("sets the password from LOUPE_NEW_PASSWORD and logs the account out everywhere", async () => {
    let db = await open();
    const account = (await verifyLogin(db.db, EMAIL, OLD))!;
    const { token } = await createSession(db.db, account.id);
    await db.close();

    const run = await loupe(["admin", "reset-password", EMAIL], { newPassword: "a-brand-new-password" });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Password reset for ${EMAIL}`);

    db = await open();
    try {
      expect(await verifyLogin(db.db, EMAIL, OLD)).toBeUndefined();
      expect(await verifyLogin(db.db, EMAIL, "a-brand-new-password")).toBeDefined();
      expect(await findSession(db.db, token)).toBeUndefined();
    } finally {
      await db.close();
    }
  }, 60_000);

  test("reads the password from stdin when LOUPE_NEW_PASSWORD is not set", async () => {
    const run = await loupe(["admin", "reset-password", "ADMIN@loupe.test"], { stdin: "piped-new-password\n" });
    expect(run.code).toBe(0);
    const db = await open();
    try {
      expect(await verifyLogin(db.db, EMAIL, "piped-new-password")).toBeDefined();
    } finally {
      await db.close();
    }
  }, 60_000);

  test("an unknown email, a short password or a missing argument exit 2 with a clear line", async () => {
    const unknown = await loupe(["admin", "reset-password", "nobody@loupe.test"], { newPassword: "long-enough-password" });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no account with email nobody@loupe.test");

    const short = await loupe(["admin", "reset-password", EMAIL], { newPassword: "short" });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("password: must be at least 10 characters");

    const usage = await loupe(["admin", "reset-password"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("usage: loupe admin reset-password EMAIL");

    const db = await open();
    try {
      expect(await verifyLogin(db.db, EMAIL, "piped-new-password")).toBeDefined(); // unchanged by the failures
    } finally {
      await db.close();
    }
  }, 60_000);

  test("is listed in --help", async () => {
    const help = await loupe(["--help"]);
    expect(help.stdout).toContain("loupe admin reset-password EMAIL");
  });
});
