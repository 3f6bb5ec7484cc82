// Chromium on live pages: two Users pages with different filters, an open session page, and a
// reconnect — pushes move/insert/append only the affected rows; expanded rows and scroll survive.
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { createEnvironment } from "../../src/environments/environments";
import { liveHub } from "../../src/routes/live-hub";
import { startTestApp, type TestApp } from "../helpers/app";
import { loginAs, type LoggedIn } from "../helpers/auth";
import { launchBrowser, recordProblems, type PageProblems } from "../helpers/browser";
import { collect, custom, identifyMsg, newDevice, pageview, type Device } from "../helpers/ingest";

setDefaultTimeout(60_000);

let t: TestApp;
let admin: LoggedIn;
let browser: Browser | null;
const people: Record<string, Device> = {};
const OUT = "test-output";

const filterQuery = (contains: string) => `f=${encodeURIComponent(JSON.stringify([{ k: "user", s: "identity", op: "contains", v: contains }]))}`;

async function send(d: Device, messages: unknown[]) {
  const res = await collect(t.url, d, messages);
  expect(res.status).toBeLessThan(300);
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await loginAs(t);
  // alice is active first, so on a "last seen" list she starts near the bottom; 30 others follow her.
  const names = ["alice", "bob", ...Array.from({ length: 30 }, (_, i) => `user${String(i).padStart(2, "0")}`)];
  for (const name of names) {
    people[name] = newDevice(t.env.id);
    await send(people[name], [identifyMsg(Date.now(), `${name}@example.com`), pageview(Date.now(), `https://shop.example/${name}`)]);
    await Bun.sleep(5);
  }
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function open(path: string, viewport = { width: 1366, height: 768 }, slowScripts = false): Promise<{ page: Page; problems: PageProblems }> {
  const context = await browser!.newContext({ viewport });
  await admin.addToBrowser(context);
  const page = await context.newPage();
  const problems = await recordProblems(page);
  // A busy machine or a slow network: the WebSocket extension and live.js arrive well after htmx.
  if (slowScripts) await page.route(/\/assets\/(hx-ws\.min|live)\.js$/, (route) => setTimeout(() => void route.continue(), 400));
  await page.goto(`${t.url}${path}`);
  await page.waitForSelector('[data-live-state][data-state="live"]', { timeout: 10_000 }).catch(async (err) => {
    const debug = await page.evaluate(() => {
      const region = document.querySelector("[data-live-view]") as (Element & { _htmx?: { ws?: { connection?: { socket?: WebSocket; attempt: number } } } }) | null;
      const conn = region?._htmx?.ws?.connection;
      return { visibility: document.visibilityState, state: region?.querySelector("[data-live-state]")?.textContent, hasConnection: !!conn, readyState: conn?.socket?.readyState, attempt: conn?.attempt, htmx: typeof (window as { htmx?: unknown }).htmx };
    });
    throw new Error(`${err}\n${JSON.stringify(debug)}; hub connections: ${liveHub(t.ctx).connections.size}; problems: ${problems.all()}`);
  });
  return { page, problems };
}

test("the live region connects when htmx's extensions arrive late", async () => {
  if (!browser) return;
  const { page, problems } = await open(`/e/${t.env.id}/users`, undefined, true);
  await expect(page.locator("[data-live-state]").textContent()).resolves.toBe("Live");
  expect(problems.all()).toEqual([]);
  await page.context().close();
});

const rowIds = (page: Page) => page.$$eval("#users-results table > tbody[id^=user-]", (els) => els.map((e) => e.id));

test("two Users pages with different filters: the matching one moves the user to the top, the other does not", async () => {
  if (!browser) return;
  const all = await open(`/e/${t.env.id}/users?${filterQuery("example.com")}`);
  const bobs = await open(`/e/${t.env.id}/users?${filterQuery("bob")}`);
  const aliceRow = `user-${people.alice.userId}`;

  const before = await rowIds(all.page);
  expect(before.length).toBe(32);
  expect(before.indexOf(aliceRow)).toBeGreaterThan(20);
  expect(await rowIds(bobs.page)).toEqual([`user-${people.bob.userId}`]);

  // Expand a row and scroll down: both must survive the push.
  const expanded = `user-${people.user10.userId}`;
  await all.page.click(`#${expanded} button.expand`);
  await all.page.waitForSelector(`#${expanded}.expanded tr.user-details`);
  await all.page.evaluate(() => window.scrollTo(0, 400));
  const scrollBefore = await all.page.evaluate(() => window.scrollY);
  expect(scrollBefore).toBeGreaterThan(300);
  await all.page.focus(`#${expanded} button.expand`);

  await send(people.alice, [custom(Date.now(), "upgraded")]);
  await all.page.waitForFunction((id) => document.querySelector("#users-results table > tbody[id^=user-]")?.id === id, aliceRow, { timeout: 5000 });
  await expect(all.page.locator(`#${aliceRow}.live .badge.live`).count()).resolves.toBe(1);

  const after = await rowIds(all.page);
  expect(after.length).toBe(32); // moved, not duplicated
  expect(new Set(after).size).toBe(32);
  await expect(all.page.locator(`#${expanded}.expanded tr.user-details`).count()).resolves.toBe(1);
  expect(await all.page.evaluate(() => document.activeElement?.closest("tbody")?.id)).toBe(expanded);
  const scrollAfter = await all.page.evaluate(() => window.scrollY);
  expect(Math.abs(scrollAfter - scrollBefore)).toBeLessThan(120); // no jump to the top (Chrome may anchor by a row)

  // The other page never showed alice and still does not. Sentinel: bob's activity, pushed to that page
  // after alice's batch was handled; a wrong row for alice would have arrived before it.
  await send(people.bob, [custom(Date.now(), "sentinel")]);
  await bobs.page.waitForSelector(`#user-${people.bob.userId}.live .badge.live`, { timeout: 5000 });
  expect(await rowIds(bobs.page)).toEqual([`user-${people.bob.userId}`]);

  // A brand-new user appears on the page whose filters match, with the count updated.
  const countBefore = await all.page.locator("#users-count strong").textContent();
  const zoe = newDevice(t.env.id);
  await send(zoe, [identifyMsg(Date.now(), "zoe@example.com"), pageview(Date.now())]);
  await all.page.waitForFunction((id) => document.querySelector("#users-results table > tbody[id^=user-]")?.id === id, `user-${zoe.userId}`, { timeout: 5000 });
  await all.page.waitForFunction((n) => document.querySelector("#users-count strong")?.textContent !== n, countBefore, { timeout: 5000 });
  await expect(all.page.locator("#users-count strong").textContent()).resolves.toBe("33");
  await all.page.screenshot({ path: `${OUT}/live-users-page.png` });

  expect(all.problems.all()).toEqual([]);
  expect(bobs.problems.all()).toEqual([]);
  await all.page.context().close();
  await bobs.page.context().close();
});

test("an open session page appends new events, and after a dropped socket catches up once each", async () => {
  if (!browser) return;
  const alice = people.alice;
  const { page, problems } = await open(`/e/${t.env.id}/users/${alice.userId}/sessions/${alice.sessionId}`);
  const live = custom(Date.now(), "live_one");
  await send(alice, [live]);
  await page.waitForSelector(`#event-${live.id}`, { timeout: 5000 });

  // Drop every socket as a restarting server would (1012: htmx reconnects after ~0.5 s), ingest meanwhile.
  for (const c of liveHub(t.ctx).connections) c.socket.close(1012, "restart");
  await page.waitForSelector('[data-live-state][data-state="reconnecting"]', { timeout: 2000 });
  const missed = Array.from({ length: 4 }, (_, i) => custom(Date.now() + i, `missed_${i}`));
  await send(alice, missed);
  await page.waitForSelector('[data-live-state][data-state="live"]', { timeout: 10_000 });
  for (const e of missed) await page.waitForSelector(`#event-${e.id}`, { timeout: 5000 });
  for (const e of [live, ...missed]) await expect(page.locator(`[id="event-${e.id}"]`).count()).resolves.toBe(1);
  const ids = await page.$$eval("#session-events > li[id^=event-]", (els) => els.map((e) => e.id));
  expect(new Set(ids).size).toBe(ids.length);
  expect(problems.all()).toEqual([]);
  await page.context().close();
});

test("a live session page keeps its header and Most frequent current; a hovered entry highlights new events", async () => {
  if (!browser) return;
  const bob = people.bob;
  const { page, problems } = await open(`/e/${t.env.id}/users/${bob.userId}/sessions/${bob.sessionId}`);
  const figure = (id: string) => page.locator(`#${id}`).textContent();
  const before = { events: await figure("session-event-count"), duration: await figure("session-duration") };
  expect(await page.locator(".chip", { hasText: "Opened cart" }).count()).toBe(0);

  const sent = [custom(Date.now() + 2000, "Opened cart"), custom(Date.now() + 2500, "Opened cart")];
  await send(bob, sent);
  const chip = page.locator(".chip", { hasText: "Opened cart" });
  await chip.waitFor({ timeout: 5000 });
  await expect(chip.locator(".chip-count").textContent()).resolves.toBe("2");
  expect(Number(await figure("session-event-count"))).toBe(Number(before.events) + 2);
  expect(await figure("session-duration")).not.toBe(before.duration);

  // Pointing at the entry highlights its events; one arriving meanwhile is highlighted as it appears.
  await chip.hover();
  await expect(page.locator(".events .event.highlighted").count()).resolves.toBe(2);
  const third = custom(Date.now() + 3000, "Opened cart");
  await send(bob, [third]);
  await page.waitForSelector(`#event-${third.id}.highlighted`, { timeout: 5000 });
  await expect(page.locator(".chip", { hasText: "Opened cart" }).locator(".chip-count").textContent()).resolves.toBe("3");
  await expect(page.locator(".events .event.highlighted").count()).resolves.toBe(3);
  expect(problems.all()).toEqual([]);
  await page.context().close();
});

test("a brand-new environment: the first user replaces the empty state", async () => {
  if (!browser) return;
  const fresh = await createEnvironment(t.ctx.db, "Fresh product");
  const { page, problems } = await open(`/e/${fresh.id}/users`);
  await expect(page.locator("#users-results .empty").count()).resolves.toBe(1);
  const first = newDevice(fresh.id);
  await send(first, [identifyMsg(Date.now(), "first@example.com"), pageview(Date.now())]);
  await page.waitForSelector(`#users-results table > tbody#user-${first.userId}`, { timeout: 10_000 });
  await expect(page.locator("#users-results .empty").count()).resolves.toBe(0);
  // The re-fetched section carries a live region of its own, which keeps the page live.
  await page.waitForSelector('[data-live-state][data-state="live"]', { timeout: 10_000 });
  const second = newDevice(fresh.id);
  await send(second, [identifyMsg(Date.now(), "second@example.com"), pageview(Date.now())]);
  await page.waitForFunction((id) => document.querySelector("#users-results table > tbody[id^=user-]")?.id === id, `user-${second.userId}`, { timeout: 10_000 });
  expect(problems.all()).toEqual([]);
  await page.context().close();
});

test("the user page shows a new session on top", async () => {
  if (!browser) return;
  const bob = people.bob;
  const { page, problems } = await open(`/e/${t.env.id}/users/${bob.userId}`);
  const phone: Device = { ...newDevice(t.env.id), userId: bob.userId };
  await send(phone, [pageview(Date.now(), "https://shop.example/from-another-device")]);
  await page.waitForFunction((id) => document.querySelector("#user-sessions > tr")?.id === id, `session-${phone.sessionId}`, { timeout: 10_000 });
  const ids = await page.$$eval("#user-sessions > tr[id^=session-]", (els) => els.map((e) => e.id));
  expect(new Set(ids).size).toBe(ids.length);
  expect(problems.all()).toEqual([]);
  await page.context().close();
});
