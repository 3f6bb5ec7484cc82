// The real process: a bad setting or a bad command line prints one line on stderr and exits 2,
// before it touches any database.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { SETTINGS } from "../../src/config";
import { BUN, childEnv, REPO_ROOT, run } from "../helpers/process";

const folder = mkdtempSync(join(tmpdir(), "loupe-cli-errors-"));
const dataDir = join(folder, "data");
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const loupe = (args: string[], env: Record<string, string> = {}) =>
  run([BUN, "src/main.ts", ...args], { cwd: REPO_ROOT, env: childEnv({ LOUPE_DATA_DIR: dataDir, ...env }) });

async function expectRefused(args: string[], env: Record<string, string>, line: string) {
  const result = await loupe(args, env);
  expect(result.stderr).toBe(`loupe: ${line}\n`);
  expect(result.stdout).toBe("");
  expect(result.code).toBe(2);
}

describe("loupe refuses bad input with exit code 2 and one line", () => {
  test("a bad environment variable", async () => {
    await expectRefused([], { PORT: "eighty" }, 'Invalid setting PORT="eighty": must be a number');
    await expectRefused(["migrate"], { DATABASE_URL: "mysql://db/loupe" }, 'Invalid setting DATABASE_URL="mysql://db/loupe": must start with postgres:// or postgresql://');
    await expectRefused(["env", "list"], { LOUPE_LOG_LEVEL: "chatty" }, 'Invalid setting LOUPE_LOG_LEVEL="chatty": must be debug, info, warn or error');
  });

  test("a bad flag value, in both spellings, even when the env var is fine", async () => {
    await expectRefused(["--port", "99999"], { PORT: "3000" }, 'Invalid setting --port="99999": must be 0..65535');
    await expectRefused(["--trust-proxy=perhaps"], {}, 'Invalid setting --trust-proxy="perhaps": must be true or false');
  });

  test("a secret is named but never echoed", async () => {
    const result = await loupe([], { LOUPE_ADMIN_EMAIL: "a@b.example", LOUPE_ADMIN_PASSWORD: "hunter2" });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("loupe: Invalid setting LOUPE_ADMIN_PASSWORD=(hidden): must be at least 10 characters\n");
  });

  test("a flag without its value, an unknown command, a bad env subcommand", async () => {
    await expectRefused(["--data-dir"], {}, "--data-dir needs a value");
    await expectRefused(["frobnicate"], {}, 'unknown command "frobnicate" (see loupe --help)');
    await expectRefused(["--prot", "8080"], {}, 'unknown option --prot for "serve" (see loupe --help)');
    await expectRefused(["env", "list", "--verbose"], {}, 'unknown option --verbose for "env" (see loupe --help)');
    await expectRefused(["env", "delete"], {}, "usage: loupe env list | loupe env create NAME");
    await expectRefused(["env", "create"], {}, "usage: loupe env create NAME");
  });

  test("a database that cannot be reached: one line naming it, password hidden, exit 1", async () => {
    const result = await loupe(["migrate"], { DATABASE_URL: "postgres://loupe:s3cret@127.0.0.1:1/loupe" });
    expect(result.stderr).toBe("loupe: cannot use PostgreSQL at postgres://loupe:***@127.0.0.1:1/loupe: connect ECONNREFUSED 127.0.0.1:1\n");
    expect(result.code).toBe(1);
  });

  test("none of that created a database", () => {
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe("loupe --help and --version", () => {
  test("--version prints the package version", async () => {
    for (const flag of ["--version", "-v"]) expect(await loupe([flag])).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  test("--help lists every command and every setting with its flag and env var", async () => {
    const { code, stdout } = await loupe(["--help"], { PORT: "not checked for --help" });
    expect(code).toBe(0);
    for (const command of ["env list", "env create NAME", "migrate", "healthcheck", "admin reset-password EMAIL", "demo"]) expect(stdout).toContain(`loupe ${command}`);
    for (const s of Object.values(SETTINGS)) {
      const line = stdout.split("\n").find((l) => l.trimStart().startsWith(`${s.flag} `));
      expect(line, `${s.flag} in --help`).toBeDefined();
      expect(line).toContain(`(env ${s.env})`);
      expect(line).toContain(s.help);
    }
  });
});
