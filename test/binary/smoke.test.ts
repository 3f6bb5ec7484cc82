// dist/loupe alone in an empty folder: starts, answers /readyz and /healthz, serves embedded files,
// runs the admin CLI and stops cleanly — on PGlite (new data dir, then reopened) or on PostgreSQL.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { SETTINGS } from "../../src/config";
import { ensureBinary } from "../helpers/binary";
import { driver, freshPostgresUrl } from "../helpers/db";
import { childEnv, freePort, REPO_ROOT, run, startAndWait } from "../helpers/process";

setDefaultTimeout(180_000); // one build (~5 s) and a first PGlite initdb (5–15 s on a busy machine)

let folder: string;
let loupe: string;
let env: Record<string, string>;
let dropDatabase = async () => {};

beforeAll(async () => {
  const binary = await ensureBinary();
  folder = mkdtempSync(join(tmpdir(), "loupe-smoke-"));
  loupe = join(folder, "loupe");
  copyFileSync(binary, loupe);
  // No LOUPE_DATA_DIR: the default ./loupe-data must land in the folder the binary runs in.
  env = childEnv({ HOST: "127.0.0.1", LOUPE_LOG_LEVEL: "info" });
  if (driver === "postgres") {
    const fresh = await freshPostgresUrl();
    env.DATABASE_URL = fresh.url;
    dropDatabase = fresh.drop;
  }
});

afterAll(async () => {
  await dropDatabase();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function serveOnce() {
  const port = freePort();
  const server = await startAndWait([loupe], { port, cwd: folder, env: { ...env, PORT: String(port) }, timeoutMs: 120_000 });
  try {
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", database: driver });

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", version: pkg.version });

    const htmx = await fetch(`${server.url}/assets/htmx.min.js`);
    expect(htmx.status).toBe(200);
    const embedded = new Uint8Array(await htmx.arrayBuffer());
    expect(Buffer.from(embedded).equals(readFileSync(join(REPO_ROOT, "node_modules/htmx.org/dist/htmx.min.js")))).toBe(true);

    // What the Docker image's HEALTHCHECK runs.
    expect(await run([loupe, "healthcheck"], { cwd: folder, env: { ...env, PORT: String(port) } })).toMatchObject({ code: 0, stdout: `ok ${server.url}/healthz\n` });
  } finally {
    expect(await server.stop()).toBe(0);
  }
  const down = await run([loupe, "healthcheck"], { cwd: folder, env: { ...env, PORT: String(port) } });
  expect(down.code).toBe(1);
  expect(down.stderr).toStartWith(`loupe: ${server.url}/healthz did not answer`);
  return server.output();
}

describe(`dist/loupe from an empty folder (${driver})`, () => {
  test("--version and --help", async () => {
    const version = await run([loupe, "--version"], { cwd: folder, env });
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = await run([loupe, "--help"], { cwd: folder, env });
    expect(help.code).toBe(0);
    for (const s of Object.values(SETTINGS)) expect(help.stdout).toContain(s.flag);
  });

  test("first start: creates the database, becomes ready, serves embedded files, stops on SIGTERM", async () => {
    const output = await serveOnce();
    expect(output).toContain("ready in");
    expect(output).toMatch(/Environment "[^"]+" \(created\): \d+/);
    if (driver === "pglite") expect(readdirSync(folder).sort()).toEqual(["loupe", "loupe-data"]);
    else expect(readdirSync(folder)).toEqual(["loupe"]);
  });

  test("restart reopens the same database and keeps its environment", async () => {
    const output = await serveOnce();
    expect(output).toMatch(/Environment "[^"]+": \d+/);
    expect(output).not.toContain("(created)");
  });

  test("serves HTTPS itself with LOUPE_TLS_CERT/LOUPE_TLS_KEY", async () => {
    const tls = join(REPO_ROOT, "test/fixtures/tls");
    const port = freePort();
    const tlsEnv = { ...env, PORT: String(port), LOUPE_TLS_CERT: join(tls, "cert.pem"), LOUPE_TLS_KEY: join(tls, "key.pem") };
    const server = await startAndWait([loupe], { port, cwd: folder, env: tlsEnv, https: true, timeoutMs: 120_000 });
    try {
      const ca = readFileSync(join(tls, "cert.pem"), "utf8");
      const ready = await fetch(`https://127.0.0.1:${port}/readyz`, { tls: { ca } });
      expect(await ready.json()).toMatchObject({ status: "ready", database: driver });
      expect(server.output()).toContain(`https://127.0.0.1:${port}`);
      expect(await fetch(`http://127.0.0.1:${port}/healthz`).then(() => "answered", () => "refused")).toBe("refused");
      expect((await run([loupe, "healthcheck"], { cwd: folder, env: tlsEnv })).code).toBe(0);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  test("admin CLI: migrate, env create, env list", async () => {
    const migrate = await run([loupe, "migrate"], { cwd: folder, env });
    expect(migrate).toMatchObject({ code: 0, stdout: "migrations applied\n" });
    const created = await run([loupe, "env", "create", "Smoke shop"], { cwd: folder, env });
    expect(created.code).toBe(0);
    const id = created.stdout.trim();
    expect(id).toMatch(/^\d+$/);
    const list = await run([loupe, "env", "list"], { cwd: folder, env });
    expect(list.code).toBe(0);
    expect(list.stdout.split("\n")).toContain(`${id}\tSmoke shop`);
  });
});
