// First-run setup, login, logout and where `/` takes a logged-in user.
import { afterEach, describe, expect, test, setDefaultTimeout } from "bun:test";
import { countAccounts, createAccount, verifyLogin } from "../../src/auth/accounts";
import { ensureAdminFromConfig } from "../../src/cli/admin";
import { loadConfig } from "../../src/config";
import { createEnvironment } from "../../src/environments/environments";
import { startTestApp, type TestApp } from "../helpers/app";
import { loginAs, TEST_ADMIN } from "../helpers/auth";

setDefaultTimeout(60_000); // starting Loupe on PGlite (and Chromium) takes longer than bun's 5 s default

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const html = { accept: "text/html" };
const get = (path: string, headers: Record<string, string> = html) => fetch(t!.url + path, { redirect: "manual", headers });
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(t!.url + path, { method: "POST", redirect: "manual", headers: { origin: t!.url, "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(fields) });
const cookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith("loupe_session="))?.split(";")[0];
/** Where an environment opens: its home, or its Users page once that is mounted. */
const landing = (envId: string) => new RegExp(`^/e/${envId}(/users)?$`);
const SETUP = { email: "Owner@Example.com", password: "a-long-enough-password", confirm: "a-long-enough-password" };

describe("first run", () => {
  test("with no account every dashboard URL and /login lead to /setup", async () => {
    t = await startTestApp();
    for (const path of ["/", `/e/${t.env.id}`, "/login", `/e/${t.env.id}/anything`]) {
      const res = await get(path);
      expect({ path, status: res.status, location: res.headers.get("location") }).toEqual({ path, status: 302, location: "/setup" });
    }
    const page = await get("/setup");
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('name="email"');
    expect(body).toContain('name="password"');
    expect(body).toContain('minlength="10"');
  });

  test("setup creates the admin, logs in and lands on the environment; afterwards /setup is gone", async () => {
    t = await startTestApp();
    const res = await post("/setup", SETUP);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    const cookie = cookieOf(res)!;
    expect(cookie).toBeDefined();
    const home = await get("/", { ...html, cookie });
    expect(home.headers.get("location")).toMatch(landing(t.env.id));
    expect((await fetch(`${t.url}/e/${t.env.id}`, { headers: { ...html, cookie } })).status).toBe(200);
    expect(await verifyLogin(t.ctx.db, "owner@example.com", SETUP.password)).toBeDefined(); // emails are case-folded

    expect((await get("/setup")).headers.get("location")).toBe("/login");
    const again = await post("/setup", { ...SETUP, email: "intruder@example.com" });
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe("/login");
    expect(cookieOf(again)).toBeUndefined();
    expect(await countAccounts(t.ctx.db)).toBe(1);
  });

  test("setup validates each field and names it", async () => {
    t = await startTestApp();
    const cases: [Record<string, string>, string][] = [
      [{ ...SETUP, email: "not-an-email" }, "email"],
      [{ ...SETUP, password: "short", confirm: "short" }, "password"],
      [{ ...SETUP, confirm: "something-else-entirely" }, "confirm"],
      [{ ...SETUP, password: "x".repeat(2000), confirm: "x".repeat(2000) }, "password"],
    ];
    for (const [fields, field] of cases) {
      const res = await post("/setup", fields, { accept: "application/json" });
      expect(res.status).toBe(400);
      expect((await res.json()).error.field).toBe(field);
    }
    const page = await post("/setup", { ...SETUP, password: "short", confirm: "short" }, html);
    expect(page.status).toBe(400);
    const body = await page.text();
    expect(body).toContain("must be at least 10 characters");
    expect(body).toContain('value="Owner@Example.com"'); // the typed email is kept
    expect(await countAccounts(t.ctx.db)).toBe(0);
  });

  test("two setups racing create exactly one admin", async () => {
    t = await startTestApp();
    const results = await Promise.all([post("/setup", { ...SETUP, email: "a@example.com" }), post("/setup", { ...SETUP, email: "b@example.com" })]);
    expect(results.map((r) => r.status)).toEqual([303, 303]);
    expect(await countAccounts(t.ctx.db)).toBe(1);
    expect(results.filter((r) => cookieOf(r)).length).toBe(1);
  });

  test("a cross-origin setup post is refused", async () => {
    t = await startTestApp();
    const res = await post("/setup", SETUP, { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(await countAccounts(t.ctx.db)).toBe(0);
  });

  test("LOUPE_ADMIN_EMAIL/PASSWORD create the admin once and never overwrite an account", async () => {
    t = await startTestApp();
    const config = loadConfig({ LOUPE_ADMIN_EMAIL: "ops@example.com", LOUPE_ADMIN_PASSWORD: "unattended-secret" });
    await ensureAdminFromConfig(t.ctx.db, config);
    expect(await verifyLogin(t.ctx.db, "ops@example.com", "unattended-secret")).toBeDefined();
    await ensureAdminFromConfig(t.ctx.db, loadConfig({ LOUPE_ADMIN_EMAIL: "ops@example.com", LOUPE_ADMIN_PASSWORD: "a-different-secret" }));
    expect(await verifyLogin(t.ctx.db, "ops@example.com", "unattended-secret")).toBeDefined();
    expect(await countAccounts(t.ctx.db)).toBe(1);
    expect((await get("/setup")).headers.get("location")).toBe("/login");
  });
});

describe("login and logout", () => {
  test("login redirects to next, sets the session; /login while logged in goes on", async () => {
    t = await startTestApp();
    await createAccount(t.ctx.db, TEST_ADMIN);
    const res = await post("/login", { ...TEST_ADMIN, email: " ADMIN@loupe.test ", next: `/e/${t.env.id}` });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/e/${t.env.id}`);
    const cookie = cookieOf(res)!;
    expect((await get("/login?next=/e/x", { cookie })).headers.get("location")).toBe("/e/x");
  });

  test("the login page shows the form and, after logout, says so", async () => {
    t = await startTestApp();
    const user = await loginAs(t);
    const out = await user.fetch("/logout", { method: "POST", body: new URLSearchParams(), redirect: "manual" });
    expect(out.headers.get("location")).toBe("/login?reason=logged-out");
    const page = await (await get("/login?reason=logged-out")).text();
    expect(page).toContain("You are logged out.");
    expect(page).toContain('autocomplete="current-password"');
  });

  test("logging in again replaces the browser's previous session", async () => {
    t = await startTestApp();
    const first = await loginAs(t);
    const res = await post("/login", TEST_ADMIN, { cookie: first.cookie });
    expect(cookieOf(res)).not.toBe(first.cookie);
    expect((await get(`/e/${t.env.id}`, { accept: "application/json", cookie: first.cookie })).status).toBe(401);
  });

  test("login without a body or with non-form JSON is refused cleanly", async () => {
    t = await startTestApp();
    await createAccount(t.ctx.db, TEST_ADMIN);
    const json = await fetch(`${t.url}/login`, { method: "POST", headers: { origin: t.url, "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(TEST_ADMIN) });
    expect(json.status).toBe(401);
    expect(cookieOf(json)).toBeUndefined();
  });
});

describe("where / goes", () => {
  test("to the environment the session used last, else the first one", async () => {
    t = await startTestApp();
    const second = await createEnvironment(t.ctx.db, "Second product");
    const user = await loginAs(t);
    const home = () => user.fetch("/", { redirect: "manual" }).then((r) => r.headers.get("location"));
    expect(await home()).toMatch(landing(t.env.id));
    expect((await user.fetch(`/e/${second.id}`)).status).toBe(200);
    expect(await home()).toMatch(landing(second.id));
    expect((await user.fetch("/e/9999999999")).status).toBe(404);
    expect(await home()).toMatch(landing(second.id)); // a missing environment is not remembered
  });
});
