// User and session pages over real HTTP: redirects for merged-away ids, 400/404s, htmx fragments, Define seam.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { userAliases } from "../../src/db/schema";
import { startTestApp, type TestApp } from "../helpers/app";
import { loginAs, type LoggedIn } from "../helpers/auth";
import { seedScenario, seedSession, type Scenario } from "../helpers/fixtures";

let t: TestApp;
let login: LoggedIn;
let s: Scenario;
const base = () => `/e/${t.env.id}/users`;
const html = { accept: "text/html" };
const hx = { "hx-request": "true" };

beforeAll(async () => {
  t = await startTestApp();
  login = await loginAs(t);
  s = await seedScenario(t.ctx.db, t.env.id);
  await t.ctx.db.insert(userAliases).values({ envId: t.env.id, aliasId: 9_007_199_254_740_991, userId: s.alice.id });
}, 120_000);
afterAll(() => t?.close(), 60_000);

describe("user page routes", () => {
  test("renders the user page", async () => {
    const res = await login.fetch(`${base()}/${s.bob.id}`, { headers: html });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain("bob@example.org");
    expect(body).toContain('id="user-properties"');
    expect(body).toContain("/assets/user-page.js");
  });

  test("a merged-away user id redirects to the surviving user, keeping the rest of the path", async () => {
    const res = await login.fetch(`${base()}/9007199254740991`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${base()}/${s.alice.id}`);
    const sessions = await login.fetch(`${base()}/9007199254740991/sessions?after=1_1`, { redirect: "manual", headers: hx });
    expect(sessions.headers.get("location")).toBe(`${base()}/${s.alice.id}/sessions?after=1_1`);
  });

  test("bad ids are 400 naming the field; unknown ones 404", async () => {
    for (const [path, field] of [["/abc", "user"], ["/9007199254740993", "user"], ["/-1", "user"], [`/${s.bob.id}/sessions/x1`, "session"], [`/${s.bob.id}/sessions?after=zzz`, "after"]] as const) {
      const res = await login.fetch(`${base()}${path}`, { headers: hx });
      expect(res.status).toBe(400);
      expect((await res.json()).error.field).toBe(field);
    }
    expect((await login.fetch(`${base()}/12345`, { headers: html })).status).toBe(404);
    expect((await login.fetch(`/e/0000000000/users/${s.bob.id}`, { headers: html })).status).toBe(404);
  });

  test("a session under the wrong user redirects to its owner; events fragment pages", async () => {
    const [bobSession] = (await t.ctx.db.query.sessions.findMany({ where: (x, { eq }) => eq(x.userId, s.bob.id) }));
    const wrong = await login.fetch(`${base()}/${s.alice.id}/sessions/${bobSession.id}`, { redirect: "manual" });
    expect(wrong.status).toBe(302);
    expect(wrong.headers.get("location")).toBe(`${base()}/${s.bob.id}/sessions/${bobSession.id}`);
    const page = await (await login.fetch(`${base()}/${s.bob.id}/sessions/${bobSession.id}`)).text();
    expect(page).toContain('class="frequent"');
    expect(page).toMatch(/id="event-[0-9a-f-]{36}"/);
  });

  test("the event panel: fragment for htmx, the session page with the panel open otherwise", async () => {
    const [session] = await t.ctx.db.query.sessions.findMany({ where: (x, { eq }) => eq(x.userId, s.bob.id) });
    const [event] = await t.ctx.db.query.events.findMany({ where: (x, { eq }) => eq(x.sessionId, session.id) });
    const url = `${base()}/${s.bob.id}/sessions/${session.id}/events/${event.id}`;
    const fragment = await login.fetch(url, { headers: hx });
    expect(fragment.status).toBe(200);
    const text = await fragment.text();
    expect(text).not.toContain("<html");
    expect(text).toContain("event-panel");
    expect(text).toContain("Defined events arrive in a later release");
    expect(text).not.toContain("/definitions/new");
    const plain = await login.fetch(url, { redirect: "manual" });
    expect(plain.status).toBe(302);
    expect(plain.headers.get("location")).toBe(`${base()}/${s.bob.id}/sessions/${session.id}?event=${event.id}`);
    const full = await (await login.fetch(plain.headers.get("location")!)).text();
    expect(full).toContain('class="event-panel"');
    // An event of another session is not shown under this one.
    const [other] = await t.ctx.db.query.events.findMany({ where: (x, { eq }) => eq(x.userId, s.alice.id) });
    expect((await login.fetch(`${base()}/${s.bob.id}/sessions/${session.id}/events/${other.id}`, { headers: hx })).status).toBe(404);
  });

  test("sessions fragment: rows then a load-more row while more remain", async () => {
    for (let i = 0; i < 60; i++) await seedSession(t.ctx.db, t.env.id, { userId: s.anon.id, startedAt: new Date(Date.now() - (i + 10) * 3600_000) });
    const first = await (await login.fetch(`${base()}/${s.anon.id}`)).text();
    const next = /hx-get="([^"]+sessions\?after=[^"]+)"/.exec(first)?.[1]?.replace(/&amp;/g, "&");
    expect(next).toBeDefined();
    const fragment = await (await login.fetch(next!, { headers: hx })).text();
    expect(fragment.match(/<tr id="session-/g)?.length).toBe(11);
    expect(fragment).not.toContain("sessions-more");
  });
});

describe("the Define button seam", () => {
  test("links to the Define form with the event id once that route exists", async () => {
    const { Hono } = await import("hono");
    const { userPageRoutes } = await import("../../src/routes/user-page");
    const { loadEnvironment } = await import("../../src/routes/environment");
    const app = new Hono();
    app.use("*", async (c, next) => { c.set("auth" as never, { csrfToken: "t", session: { lastEnvId: t.env.id } } as never); await next(); });
    app.use("/e/:env/*", loadEnvironment(t.ctx) as never);
    app.route("/e/:env/users", userPageRoutes(t.ctx, { canDefine: () => true }) as never);
    const [session] = await t.ctx.db.query.sessions.findMany({ where: (x, { eq }) => eq(x.userId, s.bob.id) });
    const [event] = await t.ctx.db.query.events.findMany({ where: (x, { eq }) => eq(x.sessionId, session.id) });
    const res = await app.request(`/e/${t.env.id}/users/${s.bob.id}/sessions/${session.id}/events/${event.id}`, { headers: hx });
    const text = await res.text();
    expect(text).toContain(`href="/e/${t.env.id}/definitions/new?from=${event.id}"`);
    expect(text).not.toContain("Defined events arrive in a later release");
  });
});

describe("the event panel shows every property", () => {
  test("page, screen, target, hierarchy and custom properties, with times in the environment's zone", async () => {
    const { seedEvent } = await import("../helpers/fixtures");
    const { environments } = await import("../../src/db/schema");
    const { eq } = await import("drizzle-orm");
    await t.ctx.db.update(environments).set({ timeZone: "Asia/Tokyo" }).where(eq(environments.id, t.env.id));
    const [session] = await t.ctx.db.query.sessions.findMany({ where: (x, { eq }) => eq(x.userId, s.bob.id) });
    const e = await seedEvent(t.ctx.db, t.env.id, {
      sessionId: session.id, type: "click", time: new Date("2026-11-20T23:30:00Z"), domain: "shop.test", path: "/cart", title: "Your cart",
      targetText: "Checkout", targetTag: "button", href: "/checkout", hierarchy: 'html > body > main#app > button#go.btn.primary[type="submit"]',
      props: { query: "?a=1", hash: "#top", referrer: "https://ref.test/", screen_width: 1920, screen_height: 1080, viewport_width: 1280, viewport_height: 720, target_id: "go", target_class: ["btn", "primary"], coupon: "XMAS", items: 3, tags: ["a", "b"] },
    });
    const html = await (await login.fetch(`${base()}/${s.bob.id}/sessions/${session.id}/events/${e.id}`, { headers: hx })).text();
    for (const text of ["shop.test/cart?a=1#top", "Your cart", "https://ref.test/", "1920 × 1080", "1280 × 720", "Checkout", "/checkout", "btn primary", "main#app", 'button#go.btn.primary[type=&quot;submit&quot;]', "coupon", "XMAS", "items", "[&quot;a&quot;,&quot;b&quot;]", "21 Nov 2026, 08:30:00 GMT+9"]) {
      expect(html).toContain(text);
    }
  });
});

describe("the event panel reads what ingest writes", () => {
  test("an event sent with screen and viewport shows Screen and Viewport rows, not four custom properties", async () => {
    const { collect, newDevice, pageview } = await import("../helpers/ingest");
    const d = newDevice(t.env.id);
    const sent = pageview(Date.now(), "https://shop.test/sizes");
    const res = await collect(t.url, d, [{ ...sent, screen: { width: 2560, height: 1440 }, viewport: { width: 1280, height: 1300 } }]);
    expect(res.status).toBe(200);
    const html = await (await login.fetch(`${base()}/${d.userId}/sessions/${d.sessionId}/events/${sent.id}`, { headers: hx })).text();
    expect(html).toMatch(/<th scope="row">Screen<\/th>\s*<td>2560 × 1440<\/td>/);
    expect(html).toMatch(/<th scope="row">Viewport<\/th>\s*<td>1280 × 1300<\/td>/);
    for (const key of ["screen_width", "screen_height", "viewport_width", "viewport_height"]) expect(html).not.toContain(key);
    expect(html).toContain("No custom properties.");
  });
});
