// `loupe env create NAME` and `loupe env list` through the real CLI, on the run's driver.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/client";
import { listEnvironments } from "../../src/environments/environments";
import { driver, testDatabase } from "../helpers/db";
import { BUN, childEnv, REPO_ROOT, run } from "../helpers/process";

setDefaultTimeout(60_000);

let target: Record<string, string>;
let cleanup = async () => {};

beforeAll(async () => {
  const seed = await testDatabase();
  if (driver === "postgres") {
    target = { DATABASE_URL: seed.url! };
    cleanup = () => seed.close();
  } else {
    // A migrated data dir on disk for the CLI process (PGlite admits one process at a time).
    const dump = await seed.pglite!.dumpDataDir("none");
    await seed.close();
    const dataDir = mkdtempSync(join(tmpdir(), "loupe-cli-env-"));
    await (await openDatabase({ dataDir, loadDataDir: dump })).close();
    target = { LOUPE_DATA_DIR: dataDir };
    cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
  }
});
afterAll(() => cleanup());

const loupe = (...args: string[]) => run([BUN, "src/main.ts", ...args], { cwd: REPO_ROOT, env: childEnv({ ...target, LOUPE_LOG_LEVEL: "warn" }) });

describe(`loupe env (${driver})`, () => {
  test("an empty database lists nothing", async () => {
    expect(await loupe("env", "list")).toMatchObject({ code: 0, stdout: "" });
  });

  test("env create prints only the new id; env list prints id<TAB>name a line, in creation order", async () => {
    const first = await loupe("env", "create", "Web shop");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^\d+\n$/);
    // Words after `create` make one name, as a shell user would expect without quotes.
    const second = await loupe("env", "create", "Mobile", "app", "(iOS)");
    expect(second.stdout).toMatch(/^\d+\n$/);
    const [a, b] = [first.stdout.trim(), second.stdout.trim()];
    expect(a).not.toBe(b);

    const list = await loupe("env", "list");
    expect(list.code).toBe(0);
    expect(list.stdout).toBe(`${a}\tWeb shop\n${b}\tMobile app (iOS)\n`);
  });

  test("what the CLI created is what the server reads", async () => {
    const database = await openDatabase(target.DATABASE_URL ? { databaseUrl: target.DATABASE_URL, poolSize: 1 } : { dataDir: target.LOUPE_DATA_DIR });
    try {
      expect((await listEnvironments(database.db)).map((e) => e.name)).toEqual(["Web shop", "Mobile app (iOS)"]);
    } finally {
      await database.close();
    }
  });
});
