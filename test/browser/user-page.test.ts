// Chromium on the user page and a session's events: property search, Most frequent highlighting,
// the event panel, rage clicks in red, paging, no horizontal scrolling, screenshots at two sizes.
import { expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { definitions, events as eventsTable, identityMerges } from "../../src/db/schema";
import { recordProblems } from "../helpers/browser";
import { useBrowserApp } from "../helpers/browser-app";
import { passThroughLiveSocket } from "../helpers/live-socket";
import { minutesAgo, seedScenario, seedSession, seedUser, type Scenario } from "../helpers/fixtures";

let s: Scenario;
const OUT = "test-output";

const fx = useBrowserApp(async ({ t }) => {
  s = await seedScenario(t.ctx.db, t.env.id);
  await t.ctx.db.insert(identityMerges).values({ envId: t.env.id, fromUserId: 4242, intoUserId: s.alice.id, identity: "alice@acme.test", reason: "identify on iOS app", at: minutesAgo(90) });
  // Enough older sessions for a second page.
  for (let i = 0; i < 55; i++) await seedSession(t.ctx.db, t.env.id, { userId: s.alice.id, startedAt: minutesAgo(60 * 24 * 45 + i * 60), eventCount: i % 7, landingPage: `/docs/page-${i}` });
});

async function open(width: number, height: number): Promise<Page> {
  const context = await fx.browser!.newContext({ viewport: { width, height } });
  await fx.login.addToBrowser(context);
  await passThroughLiveSocket(context);
  return context.newPage();
}

const noHorizontalScroll = (page: Page) => page.evaluate(() => [document.documentElement, ...document.querySelectorAll(".table-wrap, .panel")].every((el) => el.scrollWidth <= el.clientWidth + 1));

test("user page: facts, property search, merge history, sessions with load more", async () => {
  if (!fx.browser) return;
  const page = await open(1366, 768);
  const problems = await recordProblems(page);
  await page.goto(`${fx.t.url}/e/${fx.t.env.id}/users/${s.alice.id}`);
  await expect(page.locator("h1.identifier").textContent()).resolves.toBe("alice@acme.test");
  // The live connection still works through the routed socket.
  await page.waitForSelector('[data-live-state][data-state="live"]', { state: "attached" }).catch(async (err) => {
    console.error("live state:", await page.locator("[data-live-state]").evaluate((el) => `${el.getAttribute("data-state")} ${el.textContent}`));
    throw err;
  });
  await expect(page.locator(".facts").textContent()).resolves.toContain("Initial referrer");
  await expect(page.locator(".merges").textContent()).resolves.toContain("4242");

  const props = page.locator("#user-properties [data-filter-item]");
  const total = await props.count();
  expect(total).toBeGreaterThan(8);
  await page.locator("#user-properties-search").fill("plan");
  await expect(page.locator("#user-properties [data-filter-item]:visible").count()).resolves.toBe(1);
  await expect(page.locator("#user-properties [data-filter-item]:visible").textContent()).resolves.toContain("pro");
  await page.locator("#user-properties-search").fill("nothing-like-this");
  await expect(page.locator("#user-properties [data-filter-item]:visible").count()).resolves.toBe(0);
  await expect(page.locator("[data-filter-empty]").isVisible()).resolves.toBe(true);
  await page.locator("#user-properties-search").fill("");
  await expect(page.locator("#user-properties [data-filter-item]:visible").count()).resolves.toBe(total);

  // 3 scenario sessions + 55 older: 50 on the first page, the rest after "load more".
  await expect(page.locator("#user-sessions tr[id^=session-]").count()).resolves.toBe(50);
  await expect(page.locator("#user-sessions").textContent()).resolves.toContain("iOS");
  await page.getByRole("button", { name: "Load older sessions" }).click();
  await page.waitForFunction(() => document.querySelectorAll("#user-sessions tr[id^=session-]").length === 58);
  await expect(page.locator("#sessions-more").count()).resolves.toBe(0);
  expect(await noHorizontalScroll(page)).toBe(true);
  await page.screenshot({ path: `${OUT}/user-page-1366.png`, fullPage: false });
  expect(problems.all()).toEqual([]);
  await page.context().close();
}, 60_000);

test("session page: Most frequent highlights instances, rage clicks red, clicking an event opens its properties", async () => {
  if (!fx.browser) return;
  const page = await open(1366, 768);
  const problems = await recordProblems(page);
  await page.goto(`${fx.t.url}/e/${fx.t.env.id}/users/${s.alice.id}`);
  await page.locator("#user-sessions tr").first().getByRole("link", { name: "View events" }).click();
  await page.waitForSelector(".frequent");

  const chip = page.locator(".chip", { hasText: 'Clicked "Pay now"' });
  await expect(chip.locator(".chip-count").textContent()).resolves.toBe("3");
  await chip.hover();
  await expect(page.locator(".events .event.highlighted").count()).resolves.toBe(3);
  await expect(page.locator(".events").getAttribute("class")).resolves.toContain("highlighting");
  await page.mouse.move(5, 700);
  await expect(page.locator(".events .event.highlighted").count()).resolves.toBe(0);
  // Keyboard: focusing the chip highlights too.
  await chip.focus();
  await expect(page.locator(".events .event.highlighted").count()).resolves.toBe(3);
  await chip.blur();

  const rage = page.locator(".events .event.rage-event");
  await expect(rage.count()).resolves.toBe(2);
  const [rageColor, normalColor, danger] = await page.evaluate(() => [
    getComputedStyle(document.querySelector(".event.rage-event .event-name")!).color,
    getComputedStyle(document.querySelector(".event:not(.rage-event) .event-name")!).color,
    getComputedStyle(document.documentElement).getPropertyValue("--danger").trim(),
  ]);
  expect(rageColor).not.toBe(normalColor);
  expect(danger).toBe("#c81e1e");
  expect(rageColor).toBe("rgb(200, 30, 30)");

  await page.locator(".events .event", { hasText: "Checkout failed" }).locator("a").click();
  await page.waitForSelector("#event-panel .event-panel-head");
  const panel = await page.locator("#event-panel").textContent();
  expect(panel).toContain("card_declined");
  expect(panel).toContain("reason");
  expect(panel).toContain("amount");
  await expect(page.locator(".events .event.selected").count()).resolves.toBe(1);
  const define = page.locator("#event-panel .define-disabled");
  await expect(define.getAttribute("title")).resolves.toBe("Defined events arrive in a later release");
  await expect(page.locator("#event-panel button", { hasText: "Define" }).isDisabled()).resolves.toBe(true);

  // The click target's hierarchy and text show on a click event.
  await page.locator(".events .event.rage-event").first().locator("a").click();
  await page.waitForFunction(() => document.querySelector("#event-panel")!.textContent!.includes("form#pay"));
  expect(await noHorizontalScroll(page)).toBe(true);
  await page.screenshot({ path: `${OUT}/session-page-1366.png` });
  expect(problems.all()).toEqual([]);
  await page.context().close();
}, 60_000);

test("a clicked event is a URL: the address bar follows, Back and Forward reopen each panel", async () => {
  if (!fx.browser) return;
  const page = await open(1366, 768);
  const problems = await recordProblems(page);
  const session = `${fx.t.url}/e/${fx.t.env.id}/users/${s.alice.id}/sessions/`;
  await page.goto(`${fx.t.url}/e/${fx.t.env.id}/users/${s.alice.id}`);
  await page.locator("#user-sessions tr").first().getByRole("link", { name: "View events" }).click();
  await page.waitForSelector(".frequent");
  const sessionUrl = page.url();
  expect(sessionUrl.startsWith(session)).toBe(true);
  const idOf = (text: string) => page.locator(".events .event", { hasText: text }).first().getAttribute("id").then((id) => id!.slice("event-".length));
  const [failed, pageview] = [await idOf("Checkout failed"), await idOf("Viewed /checkout")];
  const panelTitle = () => page.locator("#event-panel h2").textContent();

  await page.locator(`#event-${failed} a`).click();
  await page.waitForURL(`${sessionUrl}?event=${failed}`);
  await page.waitForFunction(() => document.querySelector("#event-panel h2")?.textContent === "Checkout failed");
  await page.locator(`#event-${pageview} a`).click();
  await page.waitForURL(`${sessionUrl}?event=${pageview}`);
  await page.waitForFunction(() => document.querySelector("#event-panel h2")?.textContent === "Viewed /checkout");

  await page.goBack();
  await page.waitForURL(`${sessionUrl}?event=${failed}`);
  await page.waitForFunction(() => document.querySelector("#event-panel h2")?.textContent === "Checkout failed");
  await expect(page.locator(".events .event.selected").getAttribute("id")).resolves.toBe(`event-${failed}`);
  await page.goBack();
  await page.waitForURL(sessionUrl);
  await page.waitForSelector("#event-panel .empty-panel");
  await expect(page.locator(".events .event.selected").count()).resolves.toBe(0);
  await page.goForward();
  await page.waitForURL(`${sessionUrl}?event=${failed}`);
  await page.waitForFunction(() => document.querySelector("#event-panel h2")?.textContent === "Checkout failed");
  // The URL is a bookmark: opened afresh, it shows that event's panel.
  await page.goto(`${sessionUrl}?event=${pageview}`);
  await expect(panelTitle()).resolves.toBe("Viewed /checkout");
  expect(problems.all()).toEqual([]);
  await page.context().close();
}, 60_000);

test("screenshots at 1920×1080 in both themes without horizontal scrolling", async () => {
  if (!fx.browser) return;
  for (const scheme of ["light", "dark"] as const) {
    const page = await open(1920, 1080);
    await page.emulateMedia({ colorScheme: scheme });
    const problems = await recordProblems(page);
    await page.goto(`${fx.t.url}/e/${fx.t.env.id}/users/${s.alice.id}`);
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: `${OUT}/user-page-1920-${scheme}.png` });
    await page.locator("#user-sessions tr").first().getByRole("link", { name: "View events" }).click();
    await page.waitForSelector(".frequent");
    await page.locator(".events .event", { hasText: "Checkout failed" }).locator("a").click();
    await page.waitForSelector("#event-panel .event-panel-head");
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: `${OUT}/session-page-1920-${scheme}.png` });
    expect(problems.all()).toEqual([]);
    await page.context().close();
  }
}, 60_000);

test("a long session pages its events with Load more; defined events show their name and colour", async () => {
  if (!fx.browser) return;
  const db = fx.t.ctx.db;
  const u = await seedUser(db, fx.t.env.id, { identity: "busy@acme.test" });
  const session = await seedSession(db, fx.t.env.id, { userId: u.id, startedAt: minutesAgo(120), eventCount: 450 });
  const start = minutesAgo(120).getTime();
  await db.insert(eventsTable).values(Array.from({ length: 450 }, (_, i) => ({
    envId: fx.t.env.id, id: crypto.randomUUID(), userId: u.id, sessionId: session.id, source: "web", time: new Date(start + i * 1000),
    type: i % 2 ? "click" : "pageview", path: i % 4 === 0 ? "/pricing" : "/docs", targetText: i % 2 ? "Next" : null, targetTag: i % 2 ? "button" : null, props: {},
  })));
  await db.insert(definitions).values({ envId: fx.t.env.id, name: "Saw pricing", color: "#16a34a", conditions: [{ eventType: "pageview", path: { op: "equals", value: "/pricing" } }] });
  const page = await open(1366, 768);
  const problems = await recordProblems(page);
  await page.goto(`${fx.t.url}/e/${fx.t.env.id}/users/${u.id}/sessions/${session.id}`);
  await expect(page.locator("#session-events > li.event").count()).resolves.toBe(200);
  await page.getByRole("button", { name: "Load more events" }).click();
  await page.waitForFunction(() => document.querySelectorAll("#session-events > li.event").length === 400);
  await page.getByRole("button", { name: "Load more events" }).click();
  await page.waitForFunction(() => document.querySelectorAll("#session-events > li.event").length === 450);
  await expect(page.locator("#events-more").count()).resolves.toBe(0);
  const ids = await page.locator("#session-events > li.event").evaluateAll((els) => els.map((e) => e.id));
  expect(new Set(ids).size).toBe(450);

  const defined = page.locator(".events .event.defined").first();
  await expect(defined.locator(".event-name").textContent()).resolves.toBe("Saw pricing");
  await expect(defined.locator(".event-raw").textContent()).resolves.toBe("Viewed /pricing");
  await expect(defined.locator(".dot").getAttribute("class")).resolves.toContain("c-green");
  const chip = page.locator(".chip", { hasText: "Saw pricing" });
  await expect(chip.locator(".chip-count").textContent()).resolves.toBe("113");
  await chip.hover();
  // Rows added by Load more are highlighted too.
  await expect(page.locator(".events .event.highlighted").count()).resolves.toBe(113);
  await page.screenshot({ path: `${OUT}/session-highlight-1366.png` });
  expect(problems.all()).toEqual([]);
  await page.context().close();
}, 60_000);
