// Identity in the browser (SPEC §2): two devices of one person become one user with both sessions; a
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
  browser = await launchBrowser(HUMAN_BROWSER_ARGS);
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

  const users = await eventually(() => storedUsers(t.ctx.db, t.env.id), (u) => u.some((x) => String(x.id) === third.user), "the anonymous user after reset");
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
