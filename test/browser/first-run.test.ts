// Chromium on a fresh Loupe: setup → logged in → logout → login → environment home, under the strict CSP,
// with htmx loaded, its requests carrying the CSRF token, and no console errors, CSP violations or 404s.
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import type { Browser } from "playwright-core";
import { launchBrowser, recordProblems } from "../helpers/browser";
import { startTestApp, type TestApp } from "../helpers/app";

setDefaultTimeout(60_000); // starting Loupe on PGlite (and Chromium) takes longer than bun's 5 s default

let t: TestApp;
let browser: Browser | null;
beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t.close();
});

const ADMIN = { email: "first@loupe.test", password: "a-fine-long-password" };

test("first run in a real browser", async () => {
  if (!browser) return; // launchBrowser() warned loudly (and throws under CI=true)
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = await recordProblems(page);
  const envHome = `${t.url}/e/${t.env.id}`;
  // The environment opens on its home page, or on its Users page once that exists.
  const inEnvironment = (url: URL) => url.pathname === `/e/${t.env.id}` || url.pathname === `/e/${t.env.id}/users`;

  // A fresh Loupe sends the first visitor to setup.
  await page.goto(t.url + "/");
  expect(page.url()).toBe(`${t.url}/setup`);
  await page.fill("#email", ADMIN.email);
  await page.fill("#password", ADMIN.password);
  await page.fill("#confirm", ADMIN.password);
  await Promise.all([page.waitForURL(inEnvironment), page.click("button[type=submit]")]);

  // Logged in inside the environment, htmx loaded, the CSRF token available to scripts.
  expect(await page.textContent("header.topbar")).toContain("Log out");
  expect(await page.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx)).toBe("object");
  expect(await page.getAttribute('meta[name="csrf-token"]', "content")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "loupe_session")!;
  expect(session.httpOnly).toBe(true);
  expect(session.sameSite).toBe("Lax");
  expect(await page.evaluate(() => document.cookie)).not.toContain("loupe_session");

  // Log out with the layout's form (carries _csrf).
  await Promise.all([page.waitForURL(`${t.url}/login?reason=logged-out`), page.click("form[action='/logout'] button")]);
  expect(await page.textContent("[role=status]")).toContain("You are logged out.");
  await page.goto(envHome);
  expect(page.url()).toBe(`${t.url}/login?next=${encodeURIComponent(`/e/${t.env.id}`)}`);

  // Log in again; next= brings us back to the page we asked for.
  await page.fill("#email", ADMIN.email);
  await page.fill("#password", ADMIN.password);
  await Promise.all([page.waitForURL(inEnvironment), page.click("button[type=submit]")]);
  expect(await page.textContent("header.topbar")).toContain("Log out");

  // `/` opens the environment.
  await page.goto(t.url + "/");
  expect(inEnvironment(new URL(page.url()))).toBe(true);
  expect(await page.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx)).toBe("object");

  // An htmx request (no form, so only app.js's X-CSRF-Token header) is accepted: htmx follows HX-Redirect.
  await Promise.all([
    page.waitForURL(`${t.url}/login?reason=logged-out`),
    page.evaluate(() => (window as unknown as { htmx: { ajax(v: string, p: string): Promise<void> } }).htmx.ajax("POST", "/logout")),
  ]);

  expect(problems.all()).toEqual([]);
  await context.close();
}, 60_000);

test("a page that breaks the CSP is reported (the recorder works)", async () => {
  if (!browser) return;
  const page = await browser.newPage();
  const problems = await recordProblems(page);
  await page.goto(`${t.url}/login`);
  await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__inline = 1";
    document.head.appendChild(s);
  });
  // The violation event and its console message arrive asynchronously: wait for them before leaving the page.
  for (let i = 0; i < 50 && problems.cspViolations.length === 0; i++) await page.waitForTimeout(100);
  expect(problems.cspViolations.length).toBeGreaterThan(0);
  await page.goto(`${t.url}/assets/missing.js`).catch(() => {});
  await page.waitForTimeout(200);
  expect(problems.badResponses.some((r) => r.startsWith("404 "))).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
  await page.close();
}, 60_000);
