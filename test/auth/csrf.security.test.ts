// State changes on the dashboard need both a same-origin request and the session's CSRF token.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { findSession } from "../../src/auth/sessions";
import { startTestApp, type TestApp } from "../helpers/app";
import { loginAs, type LoggedIn } from "../helpers/auth";

setDefaultTimeout(60_000); // starting Loupe on PGlite (and Chromium) takes longer than bun's 5 s default

let t: TestApp;
let user: LoggedIn;
beforeAll(async () => {
  t = await startTestApp();
  user = await loginAs(t);
}, 60_000);
afterAll(() => t.close());

const form = (fields: Record<string, string>) => ({ "content-type": "application/x-www-form-urlencoded", body: new URLSearchParams(fields) });
const stillLoggedIn = async () => (await findSession(t.ctx.db, user.cookie.split("=")[1])) !== undefined;

/** A raw POST /logout as the logged-in user, with exactly the headers given (no helper defaults). */
async function postLogout(headers: Record<string, string>, body?: URLSearchParams | string) {
  return fetch(`${t.url}/logout`, { method: "POST", redirect: "manual", headers: { cookie: user.cookie, ...headers }, body });
}

describe("cross-origin requests", () => {
  test("a cross-origin form post is refused even with the right token", async () => {
    const { body } = form({ _csrf: user.csrf });
    const res = await postLogout({ origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" }, body);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("forbidden");
    expect(await stillLoggedIn()).toBe(true);
  });

  test("a cross-site post without Origin (Sec-Fetch-Site: cross-site) is refused", async () => {
    const res = await postLogout({ "sec-fetch-site": "cross-site", "content-type": "application/x-www-form-urlencoded" }, new URLSearchParams({ _csrf: user.csrf }));
    expect(res.status).toBe(403);
    expect(await stillLoggedIn()).toBe(true);
  });

  test("an Origin of the same host on another port or scheme is refused", async () => {
    const other = new URL(t.url);
    for (const origin of [`https://${other.host}`, `http://${other.hostname}:1`, "null"]) {
      const res = await postLogout({ origin, "content-type": "application/x-www-form-urlencoded" }, new URLSearchParams({ _csrf: user.csrf }));
      expect({ origin, status: res.status }).toEqual({ origin, status: 403 });
    }
    expect(await stillLoggedIn()).toBe(true);
  });
});

describe("the synchronizer token", () => {
  test("a same-origin post without the token is refused", async () => {
    const res = await postLogout({ origin: t.url, "content-type": "application/x-www-form-urlencoded" }, new URLSearchParams({}));
    expect(res.status).toBe(403);
    const error = (await res.json()).error;
    expect(error.code).toBe("forbidden");
    expect(error.field).toBe("_csrf");
    expect(await stillLoggedIn()).toBe(true);
  });

  test("a wrong token, another session's token or a JSON body without the header is refused", async () => {
    const other = await loginAs(t);
    expect(other.csrf).not.toBe(user.csrf);
    const attempts: [Record<string, string>, string | URLSearchParams][] = [
      [{ "content-type": "application/x-www-form-urlencoded" }, new URLSearchParams({ _csrf: "A".repeat(43) })],
      [{ "content-type": "application/x-www-form-urlencoded" }, new URLSearchParams({ _csrf: other.csrf })],
      [{ "content-type": "application/x-www-form-urlencoded", "x-csrf-token": user.csrf.slice(0, -1) }, new URLSearchParams({})],
      [{ "content-type": "application/json" }, JSON.stringify({ _csrf: user.csrf })],
      [{ "content-type": "text/plain" }, `_csrf=${user.csrf}`],
    ];
    for (const [headers, body] of attempts) {
      const res = await postLogout({ origin: t.url, ...headers }, body);
      expect({ headers, status: res.status }).toEqual({ headers, status: 403 });
    }
    expect(await stillLoggedIn()).toBe(true);
  });

  test("the token is accepted as a form field and as the X-CSRF-Token header (htmx)", async () => {
    const a = await loginAs(t);
    const viaField = await fetch(`${t.url}/logout`, { method: "POST", redirect: "manual", headers: { cookie: a.cookie, origin: t.url, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ _csrf: a.csrf }) });
    expect(viaField.status).toBe(303);
    const b = await loginAs(t);
    const viaHeader = await fetch(`${t.url}/logout`, { method: "POST", redirect: "manual", headers: { cookie: b.cookie, origin: t.url, "x-csrf-token": b.csrf, "hx-request": "true" } });
    expect(viaHeader.status).toBe(204);
    expect(viaHeader.headers.get("hx-redirect")).toStartWith("/login");
  });

  test("the token is on every dashboard page, in the meta tag and the logout form", async () => {
    const html = await (await user.fetch(`/e/${t.env.id}`)).text();
    expect(html).toContain(`<meta name="csrf-token" content="${user.csrf}"`);
    expect(html).toContain(`name="_csrf" value="${user.csrf}"`);
  });
});
