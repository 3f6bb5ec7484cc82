// Identity in the browser: two devices of one person become one user with both sessions; a
// different identity or resetIdentity starts a new user and session; junk identities are refused.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { identityMerges } from "../../src/db/schema";
import { launchBrowser } from "../helpers/browser";
import { startTestApp, type TestApp } from "../helpers/app";
import { eventually, HUMAN_BROWSER_ARGS, startSpaSite, type SpaSite } from "../helpers/spa-site";
import { storedEvents, storedSessions, storedUsers } from "../helpers/stored";

let t: TestApp;
let site: SpaSite;
let browser: Browser | null;
beforeAll(async () => {
  t = await startTestApp();
  site = startSpaSite({ loupeUrl: t.url, envId: t.env.id, loadOptions: { batchInterval: 200 } });
  // *.acme.test resolves to this machine, for subdomains sharing one user through cookieDomain.
  browser = await launchBrowser([...HUMAN_BROWSER_ARGS, "--host-resolver-rules=MAP *.acme.test 127.0.0.1"]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  site?.close();
  await t?.close();
}, 60_000);

type Loupe = Record<string, (...a: unknown[]) => unknown>;
const call = (page: Page, method: string, ...args: unknown[]) =>
  page.evaluate(([m, a]) => (window as unknown as { loupe: Loupe }).loupe[m as string](...(a as unknown[])), [method, args] as const);
async function visit(path: string, viewport = { width: 1280, height: 800 }) {
  const context = await browser!.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${site.url}${path}`);
  await page.waitForFunction(() => (window as { loupe?: { __loupe?: boolean } }).loupe?.__loupe === true);
  return { context, page, userId: (await call(page, "getUserId")) as string };
}

test("two browsers identifying as the same person end up as one user with both sessions", async () => {
  if (!browser) return;
  const laptop = await visit("/signup");
  const phone = await visit("/pricing", { width: 390, height: 844 });
  expect(phone.userId).not.toBe(laptop.userId);
  await phone.page.click("#billing");
  await eventually(() => storedUsers(t.ctx.db, t.env.id), (u) => u.length === 2, "two anonymous users");

  await laptop.page.fill("#email", "grace@acme.test");
  await laptop.page.click("#create"); // the app calls loupe.identify(email)
  await laptop.page.waitForURL(/\/welcome$/);
  // The laptop's identify lands first, so the phone's user is the one merged away.
  await eventually(() => storedUsers(t.ctx.db, t.env.id), (u) => u.some((x) => x.identity === "grace@acme.test"), "the laptop's identity");
  await call(phone.page, "identify", "grace@acme.test");
  await phone.page.click(".plan .choose"); // after identify, still from the phone's own user id
  const laptopSession = await call(laptop.page, "getSessionId");
  const phoneSession = await call(phone.page, "getSessionId");

  const users = await eventually(() => storedUsers(t.ctx.db, t.env.id), (u) => u.length === 1 && u[0].identity === "grace@acme.test", "the merge");
  const user = users[0];
  expect(String(user.id)).toBe(laptop.userId); // the phone's anonymous user merged into the identified one
  const events = await eventually(() => storedEvents(t.ctx.db, t.env.id), (r) => r.some((e) => e.targetText === "Choose Pro"), "the phone's click after identify");
  expect(new Set(events.map((e) => e.userId))).toEqual(new Set([user.id]));
  const sessions = await storedSessions(t.ctx.db, t.env.id);
  expect(sessions.map((s) => String(s.id)).sort()).toEqual([laptopSession, phoneSession].map(String).sort());
  expect(sessions.every((s) => s.userId === user.id)).toBe(true);
  expect(new Set(events.map((e) => String(e.sessionId)))).toEqual(new Set([laptopSession, phoneSession].map(String)));
  const merges = await t.ctx.db.select().from(identityMerges).where(eq(identityMerges.envId, t.env.id));
  expect(merges.map((m) => [String(m.fromUserId), String(m.intoUserId), m.identity])).toEqual([[phone.userId, laptop.userId, "grace@acme.test"]]);
  await laptop.context.close();
  await phone.context.close();
}, 90_000);

test("a different identity on an identified device, and resetIdentity, start a new user and session; junk is refused", async () => {
  if (!browser) return;
  const { context, page, userId } = await visit("/");
  const warnings: string[] = [];
  page.on("console", (m) => { if (m.type() === "warning") warnings.push(m.text()); });
  await call(page, "identify", "linus@acme.test");
  const firstSession = await call(page, "getSessionId");
  await call(page, "identify", "null"); // junk: refused in the page, nothing changes
  expect(warnings.some((w) => w.includes("junk identity"))).toBe(true);
  expect(await call(page, "getIdentity")).toBe("linus@acme.test");
  expect(await call(page, "getUserId")).toBe(userId);

  await call(page, "identify", "margaret@acme.test");
  const second = { user: await call(page, "getUserId"), session: await call(page, "getSessionId") };
  expect(second.user).not.toBe(userId);
  expect(second.session).not.toBe(firstSession);
  await call(page, "track", "As Margaret");

  await call(page, "resetIdentity");
  const third = { user: await call(page, "getUserId"), session: await call(page, "getSessionId") };
  expect(third.user).not.toBe(second.user);
  expect(await call(page, "getIdentity")).toBeNull();
  await page.click("#buy");

  await eventually(() => storedEvents(t.ctx.db, t.env.id), (r) => r.some((e) => e.targetText === "Buy now"), "the click after reset");
  const users = await storedUsers(t.ctx.db, t.env.id);
  const byId = new Map(users.map((u) => [String(u.id), u]));
  expect(byId.get(userId)!.identity).toBe("linus@acme.test");
  expect(byId.get(String(second.user))!.identity).toBe("margaret@acme.test");
  expect(byId.get(String(third.user))!.identity).toBeNull();
  const events = await storedEvents(t.ctx.db, t.env.id);
  expect(String(events.find((e) => e.name === "As Margaret")!.userId)).toBe(String(second.user));
  expect(String(events.find((e) => e.targetText === "Buy now")!.sessionId)).toBe(String(third.session));
  expect(users.some((u) => u.identity === "null")).toBe(false);
  await context.close();
}, 90_000);

test("a session rolls over after 30 idle minutes: new session id and session_start, same user", async () => {
  if (!browser) return;
  const { context, page, userId } = await visit("/");
  const first = (await call(page, "getSessionId")) as string;
  // Age the stored last-activity time (cookie and localStorage hold "user|session|lastActivity36|identity").
  await page.evaluate(() => {
    const name = Object.keys(localStorage).find((k) => /^_loupe_\d+$/.test(k))!;
    const [u, s, , i] = localStorage.getItem(name)!.split("|");
    const v = [u, s, (Date.now() - 31 * 60_000).toString(36), i].join("|");
    document.cookie = `${name}=${v}; path=/`;
    localStorage.setItem(name, v);
  });
  await page.waitForTimeout(1100); // the snippet re-reads storage at most once a second
  expect(await call(page, "getSessionId")).toBeNull(); // expired, and reading it starts nothing
  await page.click("#buy");
  const second = (await call(page, "getSessionId")) as string;
  expect(second).not.toBe(first);
  expect(await call(page, "getUserId")).toBe(userId);
  const events = await eventually(() => storedEvents(t.ctx.db, t.env.id), (r) => r.some((e) => String(e.sessionId) === second && e.type === "click"), "the click in the new session");
  const typesIn = (session: string) => events.filter((e) => String(e.sessionId) === session).map((e) => e.type).sort();
  expect(typesIn(second)).toEqual(["click", "session_start"]);
  expect(typesIn(first)).toEqual(["pageview", "session_start"]);
  await context.close();
}, 60_000);

test("cookieDomain lets subdomains share one user and session (and ids work without crypto.randomUUID on plain http)", async () => {
  if (!browser) return;
  const shared = startSpaSite({ loupeUrl: t.url, envId: t.env.id, loadOptions: { batchInterval: 200, cookieDomain: "acme.test" }, hostname: "127.0.0.1" });
  try {
    const port = new URL(shared.url).port;
    const context = await browser.newContext();
    const www = await context.newPage();
    await www.goto(`http://www.acme.test:${port}/`);
    await www.waitForFunction(() => (window as { loupe?: { __loupe?: boolean } }).loupe?.__loupe === true);
    expect(await www.evaluate(() => window.isSecureContext)).toBe(false); // so the UUID fallback made the event ids
    await www.click("#buy");
    const app = await context.newPage();
    await app.goto(`http://app.acme.test:${port}/pricing`);
    await app.waitForFunction(() => (window as { loupe?: { __loupe?: boolean } }).loupe?.__loupe === true);
    const ids = { www: await call(www, "getUserId"), app: await call(app, "getUserId") };
    expect(ids.app).toBe(ids.www);
    expect(await call(app, "getSessionId")).toBe(await call(www, "getSessionId"));
    const events = await eventually(() => storedEvents(t.ctx.db, t.env.id), (r) => r.some((e) => e.domain === "app.acme.test"), "the second subdomain's pageview");
    const mine = events.filter((e) => String(e.userId) === ids.www);
    expect(new Set(mine.map((e) => e.domain))).toEqual(new Set(["www.acme.test", "app.acme.test"]));
    expect(mine.filter((e) => e.type === "session_start")).toHaveLength(1);
    for (const e of mine) expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await context.close();
  } finally {
    shared.close();
  }
}, 60_000);
