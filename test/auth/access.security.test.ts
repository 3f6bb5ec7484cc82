// Every dashboard route refuses anonymous requests; public routes stay public. Routes are enumerated
// from the running app, so a page added later is covered without touching this file.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { startTestApp, type TestApp } from "../helpers/app";
import { loginAs } from "../helpers/auth";

setDefaultTimeout(60_000); // starting Loupe on PGlite (and Chromium) takes longer than bun's 5 s default

/** Paths anyone may call: health, static files, the login flow, the snippet and ingestion APIs. */
const PUBLIC_PATHS = [/^\/healthz$/, /^\/readyz$/, /^\/assets\//, /^\/favicon\.ico$/, /^\/login$/, /^\/setup$/, /^\/loupe\.js$/, /^\/loupe-record\.js$/, /^\/api\//];
/** Public paths that check a credential of their own (metrics token, kiosk token, session on the socket). */
const OWN_CREDENTIAL_PATHS = [/^\/metrics$/, /^\/live$/, /^\/wall\/:token(\/live)?$/];
const isPublic = (path: string) => [...PUBLIC_PATHS, ...OWN_CREDENTIAL_PATHS].some((re) => re.test(path));

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await loginAs(t); // an account exists, so refusals point at /login rather than /setup
}, 60_000);
afterAll(() => t.close());

/** Real routes (not middleware) of the whole app, with parameters filled in. */
function dashboardRoutes(): { method: string; path: string; url: string }[] {
  const seen = new Set<string>();
  const out: { method: string; path: string; url: string }[] = [];
  for (const r of t.app.routes) {
    if (r.path.includes("*") || isPublic(r.path)) continue;
    const method = r.method === "ALL" ? "GET" : r.method;
    const url = r.path
      .replace(/:env(\{[^}]*\})?/g, t.env.id)
      .replace(/:[A-Za-z_]+(\{[^}]*\})?\??/g, "1");
    const key = `${method} ${url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method, path: r.path, url });
  }
  return out;
}

describe("anonymous requests to the dashboard", () => {
  test("the route list includes the known dashboard pages", () => {
    const paths = dashboardRoutes().map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain("GET /");
    expect(paths).toContain("GET /e/:env");
    expect(paths).toContain("POST /logout");
  });

  test("page navigations are redirected to /login with next=", async () => {
    for (const r of dashboardRoutes().filter((r) => r.method === "GET")) {
      const res = await fetch(t.url + r.url, { redirect: "manual", headers: { accept: "text/html" } });
      expect({ route: r.path, status: res.status }).toEqual({ route: r.path, status: 302 });
      const location = res.headers.get("location") ?? "";
      expect(location).toStartWith("/login");
      if (r.url !== "/") expect(new URL(location, t.url).searchParams.get("next")).toBe(r.url);
      const body = await res.text();
      expect(body).not.toContain(t.env.id);
    }
  });

  test("htmx, fetch and API requests get 401 JSON (htmx also gets HX-Redirect)", async () => {
    for (const r of dashboardRoutes()) {
      for (const headers of [{ accept: "application/json" }, { "hx-request": "true", accept: "text/html" }] as Record<string, string>[]) {
        const init: RequestInit = { method: r.method, redirect: "manual", headers: { ...headers, origin: t.url } };
        if (r.method !== "GET" && r.method !== "HEAD") {
          init.body = new URLSearchParams({ x: "1" });
          (init.headers as Record<string, string>)["content-type"] = "application/x-www-form-urlencoded";
        }
        const res = await fetch(t.url + r.url, init);
        expect({ route: `${r.method} ${r.path}`, status: res.status }).toEqual({ route: `${r.method} ${r.path}`, status: 401 });
        expect((await res.json()).error.code).toBe("unauthorized");
        if (headers["hx-request"]) expect(res.headers.get("hx-redirect") ?? "").toStartWith("/login");
      }
    }
  });

  test("unknown paths do not reveal whether they exist", async () => {
    const res = await fetch(`${t.url}/e/${t.env.id}/no-such-page`, { redirect: "manual", headers: { accept: "text/html" } });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toStartWith("/login");
  });

  test("a forged or malformed session cookie is refused", async () => {
    for (const value of ["x", "A".repeat(43), "'; drop table accounts; --", "%00"]) {
      const res = await fetch(`${t.url}/e/${t.env.id}`, { redirect: "manual", headers: { cookie: `loupe_session=${value}`, accept: "application/json" } });
      expect(res.status).toBe(401);
    }
  });
});

describe("routes with their own credential", () => {
  test("kiosk walls and the live socket refuse anonymous or bogus-token requests", async () => {
    const bogus = "A".repeat(43);
    for (const path of ["/live", `/wall/${bogus}`, `/wall/${bogus}/live`]) {
      const res = await fetch(t.url + path, { redirect: "manual", headers: { accept: "text/html" } });
      expect({ path, refused: res.status >= 400 }).toEqual({ path, refused: true });
      expect(await res.text()).not.toContain(t.env.id);
    }
  });

  test("/metrics demands its bearer token once LOUPE_METRICS_TOKEN is set", async () => {
    const guarded = await startTestApp({ LOUPE_METRICS_TOKEN: "a-metrics-token-of-32-characters" });
    try {
      expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${guarded.url}/metrics`, { headers: { authorization: "Bearer wrong-token-wrong-token" } })).status).toBe(401);
      expect((await fetch(`${guarded.url}/metrics`, { headers: { authorization: "Bearer a-metrics-token-of-32-characters" } })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});

describe("public routes stay public", () => {
  test("health, assets and login answer without a session", async () => {
    for (const path of ["/healthz", "/readyz", "/assets/htmx.min.js", "/assets/loupe.css", "/favicon.ico", "/login"]) {
      const res = await fetch(t.url + path, { redirect: "manual" });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
  });

  test("ingestion routes are not behind the login (mount them before the dashboard)", async () => {
    const ingest = [...new Set(t.app.routes.filter((r) => /^\/api\//.test(r.path) && r.method === "POST" && !r.path.includes("*")).map((r) => r.path))];
    for (const path of ingest) {
      const res = await fetch(t.url + path, { method: "POST", redirect: "manual", headers: { "content-type": "application/json", origin: "https://customer.example" }, body: "{}" });
      expect({ path, status: res.status }).not.toEqual({ path, status: 401 });
      expect(res.headers.get("location") ?? "").not.toStartWith("/login");
    }
  });
});
