// The login throttle cannot be turned into an account lockout: failures from one client never block a
// right password from another, a browser that logged in before (signed device cookie) is never blocked by
// failures made without it (also when every request arrives from one proxy Loupe does not trust), and
// the counts live in the database, so two Loupe processes do not double the allowance.
import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import { createAccount } from "../../src/auth/accounts";
import { DEVICE_COOKIE } from "../../src/auth/device-cookie";
import { createApp } from "../../src/app";
import { buildContext } from "../../src/cli/serve";
import { loadConfig } from "../../src/config";
import { LOGIN_THROTTLE } from "../../src/auth/throttle";
import { openDatabase } from "../../src/db/client";
import { startServer } from "../../src/server";
import { startTestApp, type TestApp } from "../helpers/app";
import { loginAs, TEST_ADMIN } from "../helpers/auth";
import { driver } from "../helpers/db";

const ADMIN = { email: "owner@loupe.test", password: "the right password, finally" };
const FAILURES = 12;

async function postLogin(url: string, creds: { email: string; password: string }, headers: Record<string, string> = {}) {
  return fetch(`${url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: url, "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...headers },
    body: new URLSearchParams(creds),
  });
}
const deviceCookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith(`${DEVICE_COOKIE}=`))?.split(";")[0];
const strangerFails = async (url: string, headers: Record<string, string> = {}) => {
  const statuses: number[] = [];
  for (let i = 0; i < FAILURES; i++) statuses.push((await postLogin(url, { email: ADMIN.email, password: `guess ${i}` }, headers)).status);
  return statuses;
};
const expectedStatuses = [...Array(LOGIN_THROTTLE.maxFailures).fill(401), ...Array(FAILURES - LOGIN_THROTTLE.maxFailures).fill(429)];

describe(`login throttle behind a trusted proxy (${driver})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOUPE_TRUST_PROXY: "true" });
    await createAccount(t.ctx.db, ADMIN);
  }, 60_000);
  afterAll(() => t.close());

  test("12 failures from one address, then the right password from another address logs in", async () => {
    expect(await strangerFails(t.url, { "x-forwarded-for": "203.0.113.9" })).toEqual(expectedStatuses);
    const blocked = await postLogin(t.url, ADMIN, { "x-forwarded-for": "203.0.113.9" });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await postLogin(t.url, ADMIN, { "x-forwarded-for": "198.51.100.20" })).status).toBe(303);
  });
});

describe(`login throttle behind a proxy Loupe does not trust (${driver})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await createAccount(t.ctx.db, ADMIN);
  }, 60_000);
  afterAll(() => t.close());

  test("an admin who logged in from this browser before still logs in after a stranger's 12 failures", async () => {
    // Every request comes from the proxy's address (127.0.0.1 here), with the real client in X-Forwarded-For.
    const first = await postLogin(t.url, ADMIN, { "x-forwarded-for": "192.0.2.1" });
    expect(first.status).toBe(303);
    const device = deviceCookieOf(first)!;
    expect(device).toBeTruthy();

    expect(await strangerFails(t.url, { "x-forwarded-for": "198.51.100.66" })).toEqual(expectedStatuses);
    // The lockout is real for any client without the cookie, the right password included …
    expect((await postLogin(t.url, ADMIN, { "x-forwarded-for": "192.0.2.1" })).status).toBe(429);
    // … and a forged or other-account cookie is no cookie at all.
    const [login, nonce] = device.slice(DEVICE_COOKIE.length + 1).split(".");
    expect((await postLogin(t.url, ADMIN, { cookie: `${DEVICE_COOKIE}=${login}.${nonce}.${"A".repeat(43)}` })).status).toBe(429);
    // The admin's browser is not blocked, and gets a fresh cookie.
    const again = await postLogin(t.url, ADMIN, { "x-forwarded-for": "192.0.2.1", cookie: device });
    expect(again.status).toBe(303);
    expect(deviceCookieOf(again)).not.toBe(device);
  });

  test("a device cookie's own failures are limited too (a stolen laptop cannot guess forever)", async () => {
    const other = { email: "second@loupe.test", password: "another right password" };
    await createAccount(t.ctx.db, other);
    const device = deviceCookieOf(await postLogin(t.url, other))!;
    const statuses: number[] = [];
    for (let i = 0; i < FAILURES; i++) statuses.push((await postLogin(t.url, { email: other.email, password: `guess ${i}` }, { cookie: device })).status);
    expect(statuses).toEqual(expectedStatuses);
    expect((await postLogin(t.url, other, { cookie: device })).status).toBe(429);
  });

  test("X-Forwarded-For from a peer while LOUPE_TRUST_PROXY is off: warned once in the log, shown on Settings", async () => {
    const fresh = await startTestApp({ LOUPE_LOG_LEVEL: "warn" });
    const errors = spyOn(console, "error");
    try {
      const user = await loginAs(fresh, TEST_ADMIN);
      const settings = () => user.fetch(`/e/${fresh.env.id}/settings`).then((r) => r.text());
      expect(await settings()).not.toContain('id="untrusted-proxy"');
      for (let i = 0; i < 3; i++) await fetch(`${fresh.url}/healthz`, { headers: { "x-forwarded-for": `192.0.2.${i}` } });
      const warnings = errors.mock.calls.filter((args) => String(args[0]).includes("LOUPE_TRUST_PROXY is off"));
      expect(warnings.length).toBe(1);
      expect(String(warnings[0][0])).toContain("127.0.0.1");
      const html = await settings();
      expect(html).toContain('id="untrusted-proxy"');
      expect(html).toContain("LOUPE_TRUST_PROXY=true");
    } finally {
      errors.mockRestore();
      await fresh.close();
    }
  });
});

describe(`login attempts are counted in the database (${driver})`, () => {
  test("two Loupe processes on one database share one allowance", async () => {
    const t = await startTestApp();
    await createAccount(t.ctx.db, ADMIN);
    // A second Loupe on the same database (its own connection pool on PostgreSQL).
    const database2 = t.database.url ? await openDatabase({ databaseUrl: t.database.url, poolSize: 2 }) : t.database;
    const config2 = loadConfig({ HOST: "127.0.0.1", PORT: "0", LOUPE_LOG_LEVEL: "warn" });
    const ctx2 = await buildContext(config2, database2);
    const server2 = startServer(createApp(ctx2), config2);
    const url2 = `http://127.0.0.1:${server2.port}`;
    try {
      const half = LOGIN_THROTTLE.maxFailures / 2;
      for (let i = 0; i < half; i++) expect((await postLogin(t.url, { email: ADMIN.email, password: `a${i}` })).status).toBe(401);
      for (let i = 0; i < half; i++) expect((await postLogin(url2, { email: ADMIN.email, password: `b${i}` })).status).toBe(401);
      expect((await postLogin(t.url, ADMIN)).status).toBe(429);
      expect((await postLogin(url2, ADMIN)).status).toBe(429);
    } finally {
      server2.stop(true);
      await ctx2.bus.close();
      if (database2 !== t.database) await database2.close();
      await t.close();
    }
  });
});
