// Session cookies, logout, expiry, login failures that reveal nothing, throttling and open redirects.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { eq } from "drizzle-orm";
import { createAccount } from "../../src/auth/accounts";
import { hashToken } from "../../src/auth/tokens";
import { authSessions } from "../../src/db/schema";
import { startTestApp, type TestApp } from "../helpers/app";
import { loginAs, TEST_ADMIN } from "../helpers/auth";

setDefaultTimeout(60_000); // starting Loupe on PGlite (and Chromium) takes longer than bun's 5 s default

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await createAccount(t.ctx.db, TEST_ADMIN);
}, 60_000);
afterAll(() => t.close());

function postLogin(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${t.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: t.url, "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields),
  });
}

const sessionCookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith("loupe_session=")) ?? "";

describe("the session cookie", () => {
  test("is HttpOnly, SameSite=Lax, Path=/, with an expiry, and not Secure over plain HTTP", async () => {
    const cookie = sessionCookieOf(await postLogin(TEST_ADMIN));
    expect(cookie).toMatch(/^loupe_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    expect(cookie).toMatch(/Max-Age=\d{6,}/);
    expect(cookie).not.toContain("Secure");
  });

  test("only the SHA-256 of the token is stored", async () => {
    const token = sessionCookieOf(await postLogin(TEST_ADMIN)).split(";")[0].split("=")[1];
    const rows = await t.ctx.db.select().from(authSessions);
    expect(rows.some((r) => r.tokenHash === token)).toBe(false);
    expect(rows.some((r) => r.tokenHash === hashToken(token))).toBe(true);
  });

  test("is Secure behind a trusted HTTPS proxy, and HSTS is sent; an untrusted X-Forwarded-Proto changes nothing", async () => {
    const proxied = await startTestApp({ LOUPE_TRUST_PROXY: "true" });
    try {
      await createAccount(proxied.ctx.db, TEST_ADMIN);
      const login = (headers: Record<string, string>) =>
        fetch(`${proxied.url}/login`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(TEST_ADMIN) });
      const host = new URL(proxied.url).host;
      const viaProxy = await login({ "x-forwarded-proto": "https", origin: `https://${host}` });
      expect(viaProxy.status).toBe(303);
      expect(sessionCookieOf(viaProxy)).toContain("Secure");
      expect(viaProxy.headers.get("strict-transport-security")).toContain("max-age=");
    } finally {
      await proxied.close();
    }
    const direct = await postLogin(TEST_ADMIN, { "x-forwarded-proto": "https" });
    expect(sessionCookieOf(direct)).not.toContain("Secure");
    expect(direct.headers.get("strict-transport-security")).toBeNull();
  });

  test("a logged-out cookie no longer works", async () => {
    const user = await loginAs(t);
    expect((await user.fetch(`/e/${t.env.id}`)).status).toBe(200);
    const out = await user.fetch("/logout", { method: "POST", body: new URLSearchParams(), redirect: "manual" });
    expect(out.status).toBe(303);
    expect(sessionCookieOf(out)).toContain("Max-Age=0");
    const again = await fetch(`${t.url}/e/${t.env.id}`, { redirect: "manual", headers: { cookie: user.cookie, accept: "application/json" } });
    expect(again.status).toBe(401);
  });

  test("an expired session no longer works", async () => {
    const user = await loginAs(t);
    const token = user.cookie.split("=")[1];
    await t.ctx.db.update(authSessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(authSessions.tokenHash, hashToken(token)));
    const res = await user.fetch(`/e/${t.env.id}`, { redirect: "manual", headers: { accept: "application/json" } });
    expect(res.status).toBe(401);
  });
});

describe("login failures", () => {
  test("an unknown email and a wrong password get the same answer", async () => {
    const unknown = await postLogin({ email: "nobody@loupe.test", password: "whatever-long-enough" }, { accept: "application/json" });
    const wrong = await postLogin({ email: TEST_ADMIN.email, password: "whatever-long-enough" }, { accept: "application/json" });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await unknown.text()).toBe(await wrong.text());
    expect(sessionCookieOf(unknown)).toBe("");
    expect(sessionCookieOf(wrong)).toBe("");

    const page = (res: Response) => res.text().then((h) => h.replace(/value="[^"]*@[^"]*"/, 'value=""'));
    const unknownPage = await page(await postLogin({ email: "nobody@loupe.test", password: "x" }, { accept: "text/html" }));
    const wrongPage = await page(await postLogin({ email: TEST_ADMIN.email, password: "x" }, { accept: "text/html" }));
    expect(unknownPage).toBe(wrongPage);
    expect(unknownPage).toContain("Email or password is incorrect.");
  });

  test("an unknown email takes about as long as a wrong password (argon2 runs either way)", async () => {
    const time = async (email: string) => {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        await postLogin({ email, password: `wrong-password-${i}` }, { accept: "application/json" });
        runs.push(performance.now() - start);
      }
      return runs.sort((a, b) => a - b)[1];
    };
    const wrong = await time(TEST_ADMIN.email);
    const unknown = await time("nobody-timing@loupe.test");
    expect(unknown).toBeGreaterThan(wrong * 0.3);
  });

  test("after 10 failures, the same client and email get 429 + Retry-After, even with the right password", async () => {
    const victim = { email: "throttled@loupe.test", password: "the-right-password" };
    await createAccount(t.ctx.db, victim);
    for (let i = 0; i < 10; i++) expect((await postLogin({ email: victim.email, password: `nope-${i}` })).status).toBe(401);
    const blocked = await postLogin(victim, { accept: "application/json" });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await blocked.json()).error.code).toBe("rate_limited");
    expect((await postLogin(TEST_ADMIN)).status).toBe(303); // other accounts are unaffected
  });
});

describe("next= after login", () => {
  const attacks = [
    "https://evil.example/", "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
    "javascript:alert(1)", "http:evil.example", " //evil.example", "/%0a/evil.example", "evil.example", "/login", "/logout",
  ];

  test("open-redirect attempts land on this site", async () => {
    for (const next of attacks) {
      const res = await postLogin({ ...TEST_ADMIN, next });
      expect(res.status).toBe(303);
      const location = res.headers.get("location") ?? "";
      expect({ next, location: new URL(location, t.url).origin }).toEqual({ next, location: t.url });
      expect(location.startsWith("/") && !location.startsWith("//") && !location.includes("\\")).toBe(true);
    }
  });

  test("the same holds for GET /login?next= when already logged in", async () => {
    const user = await loginAs(t);
    for (const next of attacks) {
      const res = await fetch(`${t.url}/login?next=${encodeURIComponent(next)}`, { redirect: "manual", headers: { cookie: user.cookie } });
      expect(res.status).toBe(302);
      expect({ next, origin: new URL(res.headers.get("location") ?? "", t.url).origin }).toEqual({ next, origin: t.url });
    }
  });

  test("a same-site path with its query survives the round trip", async () => {
    const next = `/e/${t.env.id}?from=mail&x=%2F`;
    const bounce = await fetch(`${t.url}${next}`, { redirect: "manual", headers: { accept: "text/html" } });
    const loginPage = await (await fetch(new URL(bounce.headers.get("location")!, t.url))).text();
    expect(loginPage).toContain(`name="next" value="/e/${t.env.id}?from=mail&amp;x=%2F"`);
    const res = await postLogin({ ...TEST_ADMIN, next });
    expect(res.headers.get("location")).toBe(next);
  });
});

describe("security headers", () => {
  test("pages carry a strict CSP and the usual headers", async () => {
    const user = await loginAs(t);
    for (const res of [await fetch(`${t.url}/login`), await user.fetch(`/e/${t.env.id}`)]) {
      const csp = res.headers.get("content-security-policy") ?? "";
      for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'", "object-src 'none'"]) {
        expect(csp).toContain(directive);
      }
      expect(csp).toContain(`connect-src 'self' ws://${new URL(t.url).host}`);
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).not.toContain("unsafe-eval");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
      expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });

  test("public files stay loadable from other sites (no CORP same-origin)", async () => {
    const res = await fetch(`${t.url}/assets/htmx.min.js`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cross-origin-resource-policy")).toBeNull();
  });
});
