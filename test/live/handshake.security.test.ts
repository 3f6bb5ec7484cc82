// The live WebSocket handshake: Origin and authentication are checked before upgrading; kiosk tokens
// open their own wall (page and socket) and nothing else; revoking one closes its open socket at once.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { createEnvironment } from "../../src/environments/environments";
import { startTestApp, type TestApp } from "../helpers/app";
import { loginAs, type LoggedIn } from "../helpers/auth";
import { liveClient } from "../helpers/ws-client";

setDefaultTimeout(60_000);

let t: TestApp;
let admin: LoggedIn;

beforeAll(async () => {
  t = await startTestApp();
  admin = await loginAs(t);
}, 60_000);
afterAll(() => t.close());

async function createKiosk(opts: Record<string, string> = {}): Promise<{ token: string; url: string; id: number }> {
  const res = await admin.fetch(`/e/${t.env.id}/settings/kiosk`, { method: "POST", body: new URLSearchParams({ name: "Office TV", ...opts }) });
  expect(res.status).toBe(201);
  const html = await res.text();
  const url = /data-kiosk-url="?[^>]*>([^<]+)</.exec(html)?.[1];
  expect(url).toBeDefined();
  const token = url!.split("/wall/")[1];
  const id = Number(/id="kiosk-(\d+)"/.exec(html)?.[1]);
  return { token, url: url!, id };
}

describe("dashboard socket", () => {
  test("no session: refused before the upgrade", async () => {
    const res = await fetch(`${t.url}/live`, { headers: { origin: t.url } });
    expect(res.status).toBe(401);
    const c = liveClient(`${t.url}/live`, { origin: t.url });
    expect(await c.opened).toBe(false);
  });

  test("a forged session cookie is refused", async () => {
    const c = liveClient(`${t.url}/live`, { origin: t.url, cookie: "loupe_session=" + "A".repeat(43) });
    expect(await c.opened).toBe(false);
  });

  test("wrong or missing Origin: 403 even with a valid session", async () => {
    for (const origin of ["https://evil.example", "null", `${t.url}.evil.example`]) {
      const res = await fetch(`${t.url}/live`, { headers: { origin, cookie: admin.cookie } });
      expect(res.status).toBe(403);
      const c = liveClient(`${t.url}/live`, { origin, cookie: admin.cookie });
      expect(await c.opened).toBe(false);
    }
    const c = liveClient(`${t.url}/live`, { cookie: admin.cookie });
    expect(await c.opened).toBe(false);
  });

  test("session + same Origin: opens and says the server version", async () => {
    const c = liveClient(`${t.url}/live`, { origin: t.url, cookie: admin.cookie });
    expect(await c.opened).toBe(true);
    const hello = await c.next((f) => f.type === "hello");
    expect(hello.version).toBe(t.ctx.version);
    c.send({ type: "subscribe", id: "w", view: { kind: "wall", envId: t.env.id } });
    const push = await c.next((f) => f.type === "push" && f.sub === "w");
    // The wall arrives as its tiles in HTML, like every live page (views/live/pushes.tsx).
    expect(push.content).toContain('data-figure="active">0</p>');
    c.send({ type: "subscribe", id: "x", view: { kind: "nope", envId: t.env.id } });
    expect((await c.next((f) => f.type === "error" && f.sub === "x")).message).toContain("view.kind");
    c.send({ garbage: true });
    expect((await c.next((f) => f.type === "error" && !f.sub)).code).toBe("invalid_message");
    c.ws.close();
  });

  test("logging out ends access: the next subscription closes the socket", async () => {
    const other = await loginAs(t);
    const c = liveClient(`${t.url}/live`, { origin: t.url, cookie: other.cookie });
    expect(await c.opened).toBe(true);
    await other.fetch("/logout", { method: "POST", body: new URLSearchParams(), redirect: "manual" });
    c.send({ type: "subscribe", id: "w", view: { kind: "wall", envId: t.env.id } });
    expect((await c.closed).code).toBe(4403);
  });
});

describe("kiosk links", () => {
  test("a token opens its wall page and socket without a login, and nothing else", async () => {
    const { token, url } = await createKiosk({ mask: "1" });
    expect(url).toStartWith(`${t.url}/wall/`);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    expect(html).toContain("Active now");
    expect(html).toContain('<meta name="referrer" content="no-referrer"/>');

    const c = liveClient(`${t.url}/wall/${token}/live`, { origin: t.url });
    expect(await c.opened).toBe(true);
    // The token fixes the environment and options: asking for another environment or unmasked closes the socket.
    c.send({ type: "subscribe", id: "w", view: { kind: "wall", envId: t.env.id } });
    const push = await c.next((f) => f.type === "push" && f.sub === "w");
    expect(push.content).toContain('data-figure="sessionsToday"');
    const other = await createEnvironment(t.ctx.db, "Other product");
    c.send({ type: "subscribe", id: "o", view: { kind: "wall", envId: other.id } });
    const pushOther = await c.next((f) => f.sub === "o" || false, 2000).catch(() => null);
    // The kiosk's own environment is forced, so "o" still shows its own wall, never the other one.
    if (pushOther) expect(JSON.stringify(pushOther)).not.toContain(other.id);

    // Everywhere else, the token is worth nothing.
    for (const path of [`/wall/${token}/x`, `/wall/${token}/live`, `/wall/${token}/e/${t.env.id}/users`, `/wall/${token}/settings/kiosk`]) {
      const res = await fetch(`${t.url}${path}`, { redirect: "manual", headers: { accept: "application/json" } });
      expect(res.status).toBe(404);
    }
    for (const path of [`/e/${t.env.id}/wall?token=${token}`, `/e/${t.env.id}/settings/kiosk?token=${token}`, `/e/${t.env.id}/users?token=${token}`]) {
      const res = await fetch(`${t.url}${path}`, { redirect: "manual", headers: { accept: "application/json", authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401); // the dashboard's answer to anyone without a login
    }
    const asCookie = await fetch(`${t.url}/e/${t.env.id}`, { redirect: "manual", headers: { cookie: `loupe_session=${token}` } });
    expect(asCookie.status).not.toBe(200);
    const dashboardSocket = liveClient(`${t.url}/live`, { origin: t.url, cookie: `loupe_session=${token}` });
    expect(await dashboardSocket.opened).toBe(false);
    // And its wall socket still checks the Origin.
    const cross = liveClient(`${t.url}/wall/${token}/live`, { origin: "https://evil.example" });
    expect(await cross.opened).toBe(false);
    c.ws.close();
  });

  test("an unknown token is a 404 for the page and the socket", async () => {
    const unknown = await fetch(`${t.url}/wall/${"x".repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("text/html");
    expect(await unknown.text()).toContain("This wall link is not valid");
    expect((await fetch(`${t.url}/wall/nope`)).status).toBe(404);
    const c = liveClient(`${t.url}/wall/${"x".repeat(43)}/live`, { origin: t.url });
    expect(await c.opened).toBe(false);
  });

  test("revoking a token closes its open socket at once and refuses it afterwards", async () => {
    const { token, id } = await createKiosk();
    const c = liveClient(`${t.url}/wall/${token}/live`, { origin: t.url });
    expect(await c.opened).toBe(true);
    await c.next((f) => f.type === "hello");
    const res = await admin.fetch(`/e/${t.env.id}/settings/kiosk/${id}/revoke`, { method: "POST", body: new URLSearchParams(), redirect: "manual" });
    expect(res.status).toBe(303);
    // At once: by the revocation itself, not by the periodic re-check ("access ended").
    expect(await c.closed).toEqual({ code: 4403, reason: "kiosk link revoked" });
    // The page says it was revoked (410, to the holder of its secret); the socket stays refused.
    const page = await fetch(`${t.url}/wall/${token}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("This wall link was revoked");
    const again = liveClient(`${t.url}/wall/${token}/live`, { origin: t.url });
    expect(await again.opened).toBe(false);
    const list = await (await admin.fetch(`/e/${t.env.id}/settings/kiosk`)).text();
    expect(list).toContain("Revoked");
    expect(list).not.toContain(token);
  });

  test("Settings shows the Kiosk links section, whose list loads from the kiosk route", async () => {
    await createKiosk({ name: "Lobby screen" });
    const settings = await (await admin.fetch(`/e/${t.env.id}/settings`)).text();
    expect(settings).toContain("Kiosk links");
    expect(settings).toContain(`hx-get="/e/${t.env.id}/settings/kiosk/list"`);
    const list = await admin.fetch(`/e/${t.env.id}/settings/kiosk/list`);
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain("Lobby screen");
    expect(html).not.toContain("/wall/"); // the secret is shown once, at creation, never in lists
    const anonymous = await fetch(`${t.url}/e/${t.env.id}/settings/kiosk/list`, { headers: { accept: "application/json" } });
    expect(anonymous.status).toBe(401);
  });

  test("creating a link without CSRF token or with bad input is refused", async () => {
    const noCsrf = await fetch(`${t.url}/e/${t.env.id}/settings/kiosk`, { method: "POST", headers: { cookie: admin.cookie, origin: t.url, "content-type": "application/x-www-form-urlencoded" }, body: "name=x" });
    expect(noCsrf.status).toBe(403);
    const bad = await admin.fetch(`/e/${t.env.id}/settings/kiosk`, { method: "POST", body: new URLSearchParams({ name: "" }) });
    expect(bad.status).toBe(400);
    const badSegment = await admin.fetch(`/e/${t.env.id}/settings/kiosk`, { method: "POST", body: new URLSearchParams({ name: "x", segment: "999" }) });
    expect(badSegment.status).toBe(400);
    expect((await badSegment.json()).error.field).toBe("segment");
  });
});
