// The Settings page over real HTTP: render, each form's success and refusal, CSRF, escaping.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createEnvironment, getEnvironment, listEnvironments } from "../../src/environments/environments";
import { environments } from "../../src/db/schema";
import { eq } from "drizzle-orm";
import { startTestApp, type TestApp } from "../helpers/app";
import { loginAs, type LoggedIn } from "../helpers/auth";

let t: TestApp;
let login: LoggedIn;
const settingsPath = () => `/e/${t.env.id}/settings`;
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

beforeAll(async () => {
  t = await startTestApp();
  login = await loginAs(t);
}, 120_000);
afterAll(() => t?.close(), 60_000);

describe("settings page", () => {
  test("shows name, time zone, id, snippet, app_id hint, privacy and new-environment forms", async () => {
    const res = await login.fetch(settingsPath());
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<code id="env-id" class="env-id">${t.env.id}</code>`);
    expect(html).toContain('name="timeZone"');
    expect(html).toContain('<option value="Europe/Paris">');
    expect(html).toContain("app_id");
    expect(html).toContain("/loupe.js");
    expect(html).toContain('name="respectDnt"');
    expect(html).toContain('name="storeIp"');
    expect(html).toContain('id="new-environment"');
    expect(html).toContain(`name="_csrf" value="${login.csrf}"`);
  });

  test("saves name and time zone (303 back with a notice)", async () => {
    const res = await login.fetch(settingsPath(), { method: "POST", body: form({ name: "  Shop EU  ", timeZone: "Europe/Paris" }), redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${settingsPath()}?saved=general`);
    const env = await getEnvironment(t.ctx.db, t.env.id);
    expect(env).toMatchObject({ name: "Shop EU", timeZone: "Europe/Paris" });
    const page = await (await login.fetch(res.headers.get("location")!)).text();
    expect(page).toContain("Name and time zone saved.");
    expect(page).toContain('<option value="Europe/Paris" selected="">');
  });

  test("a bad time zone or empty name is refused: JSON naming the field, or the page again for browsers", async () => {
    const json = await login.fetch(settingsPath(), { method: "POST", body: form({ name: "X", timeZone: "Mars/Olympus" }) });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: { code: "invalid_input", field: "timeZone" } });
    const empty = await login.fetch(settingsPath(), { method: "POST", body: form({ name: "   ", timeZone: "UTC" }) });
    expect(await empty.json()).toMatchObject({ error: { field: "name" } });
    const page = await login.fetch(settingsPath(), { method: "POST", body: form({ name: "<b>typed</b>", timeZone: "Nowhere/Town" }), headers: { accept: "text/html" } });
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain("Time zone: must be an IANA time zone");
    expect(html).toContain('value="&lt;b&gt;typed&lt;/b&gt;"');
    expect((await getEnvironment(t.ctx.db, t.env.id))?.name).toBe("Shop EU");
  });

  test("POST without the CSRF token or from another origin is refused and changes nothing", async () => {
    const noToken = await fetch(`${t.url}${settingsPath()}`, {
      method: "POST",
      headers: { cookie: login.cookie, origin: t.url, "content-type": "application/x-www-form-urlencoded" },
      body: "name=Hacked&timeZone=UTC",
    });
    expect(noToken.status).toBe(403);
    const crossSite = await login.fetch(settingsPath(), { method: "POST", body: form({ name: "Hacked", timeZone: "UTC" }), headers: { origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
    expect((await getEnvironment(t.ctx.db, t.env.id))?.name).toBe("Shop EU");
  });

  test("privacy switches are stored in environments.settings (other keys kept) and change the snippet", async () => {
    await t.ctx.db.update(environments).set({ settings: { someoneElses: 1 } }).where(eq(environments.id, t.env.id));
    const on = await login.fetch(`${settingsPath()}/privacy`, { method: "POST", body: form({ respectDnt: "on", storeIp: "on" }), redirect: "manual" });
    expect(on.status).toBe(303);
    expect((await getEnvironment(t.ctx.db, t.env.id))?.settings).toEqual({ someoneElses: 1, respectDnt: true, storeIp: true });
    const html = await (await login.fetch(settingsPath())).text();
    expect(html).toContain("respectDnt");
    const off = await login.fetch(`${settingsPath()}/privacy`, { method: "POST", body: form({}), redirect: "manual" });
    expect(off.status).toBe(303);
    expect((await getEnvironment(t.ctx.db, t.env.id))?.settings).toEqual({ someoneElses: 1, respectDnt: false, storeIp: false });
    const bad = await login.fetch(`${settingsPath()}/privacy`, { method: "POST", body: form({ storeIp: "maybe" }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: "storeIp" } });
  });

  test("creates another environment and lands on its settings", async () => {
    const res = await login.fetch(`${settingsPath()}/environments`, { method: "POST", body: form({ name: "Marketing site", timeZone: "America/New_York" }), redirect: "manual" });
    expect(res.status).toBe(303);
    const envs = await listEnvironments(t.ctx.db);
    const created = envs.find((e) => e.name === "Marketing site")!;
    expect(created.timeZone).toBe("America/New_York");
    expect(res.headers.get("location")).toBe(`/e/${created.id}/settings?saved=environment`);
    const html = await (await login.fetch(res.headers.get("location")!)).text();
    expect(html).toContain("Environment created.");
    // The switcher lists both and keeps the section.
    expect(html).toContain(`href="/e/${t.env.id}/settings"`);
  });

  test("unknown environment: 404 page", async () => {
    const res = await login.fetch(`/e/0000000000/settings`, { headers: { accept: "text/html" } });
    expect(res.status).toBe(404);
  });
});

describe("the store-IP switch reaches ingestion", () => {
  const collect = (envId: string) => fetch(`${t.url}/api/collect`, {
    method: "POST",
    // A browser's user agent: bots are dropped before sessions are made.
    headers: { "content-type": "application/json", "user-agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36" },
    body: JSON.stringify({
      envId, source: "web", library: { name: "loupe.js", version: "0.1.0" }, userId: String(Math.floor(Math.random() * 1e12) + 1),
      sessionId: String(Math.floor(Math.random() * 1e12) + 1), sentAt: Date.now(),
      messages: [{ kind: "event", id: crypto.randomUUID(), type: "pageview", time: Date.now(), page: { url: "https://shop.test/", domain: "shop.test", path: "/" } }],
    }),
  });
  const sessionIp = async (envId: string) => (await t.ctx.db.query.sessions.findFirst({ where: (s, { eq }) => eq(s.envId, envId) }))?.ip;

  test("on: sessions keep the client IP; off (the default): they don't", async () => {
    const on = await createEnvironment(t.ctx.db, "IP on");
    const off = await createEnvironment(t.ctx.db, "IP off");
    await login.fetch(`/e/${on.id}/settings/privacy`, { method: "POST", body: form({ storeIp: "on" }), redirect: "manual" });
    expect((await collect(on.id)).status).toBe(200);
    expect((await collect(off.id)).status).toBe(200);
    expect(await sessionIp(on.id)).toMatch(/127\.0\.0\.1/);
    expect(await sessionIp(off.id)).toBeNull();
  });
});
