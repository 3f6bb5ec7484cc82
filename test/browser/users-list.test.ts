// The Users list in real Chromium: timeline, OR group and event-property filters built through the UI,
// row expansion, sort, search, load more, saving a segment; screenshots at 1366×768 and 1920×1080.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/app";
import { loginAs, type LoggedIn } from "../helpers/auth";
import AxeBuilder from "@axe-core/playwright";
import { launchBrowser, recordProblems } from "../helpers/browser";
import { passThroughLiveSocket } from "../helpers/live-socket";
import { driver } from "../helpers/db";
import { minutesAgo, seedScenario, seedUser, seedVisit, type Scenario } from "../helpers/fixtures";

const OUT = "test-output";

describe(`users list in Chromium (${driver})`, () => {
  let t: TestApp;
  let me: LoggedIn;
  let s: Scenario;
  let browser: Browser | null;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    t = await startTestApp();
    s = await seedScenario(t.ctx.db, t.env.id);
    // Enough quiet users for a second page.
    for (let i = 0; i < 55; i++) {
      const u = await seedUser(t.ctx.db, t.env.id, { properties: { email: `reader${i}@news.test`, plan: "free" }, firstSeen: minutesAgo(600 + i * 10) });
      await seedVisit(t.ctx.db, t.env.id, u.id, minutesAgo(600 + i * 10), [{ type: "pageview", path: "/blog" }]);
    }
    me = await loginAs(t);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t.close();
  }, 60_000);

  async function open(width: number, height: number, colorScheme: "light" | "dark" = "light"): Promise<{ page: Page; problems: Awaited<ReturnType<typeof recordProblems>> }> {
    const context = await browser!.newContext({ viewport: { width, height }, colorScheme });
    await me.addToBrowser(context);
    await passThroughLiveSocket(context);
    const page = await context.newPage();
    const problems = await recordProblems(page);
    return { page, problems };
  }
  const rowIds = (page: Page) => page.locator("tbody.user").evaluateAll((els) => els.map((e) => e.id));

  test("timeline, OR group, event-property filter, expand, sort, search, load more, save segment", async () => {
    if (!browser) return;
    const { page, problems } = await open(1366, 768);
    const users = `${t.url}/e/${t.env.id}/users`;
    await page.goto(users);
    expect(await page.locator("tbody.user").count()).toBe(50);
    await page.screenshot({ path: `${OUT}/users-list-1366.png` });
    const noHorizontalScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await noHorizontalScroll()).toBe(true);

    // Load more: the next page appends without repeats.
    await page.click("#users-more button");
    await page.waitForFunction(() => document.querySelectorAll("tbody.user").length > 50);
    const all = await rowIds(page);
    expect(all.length).toBe(58);
    expect(new Set(all).size).toBe(58);
    expect(await page.locator("#users-more button").count()).toBe(0);

    // Timeline: past 24 hours, then 30 days (the server-only user was last seen 20 days ago).
    await page.selectOption("#timeline", "30d");
    await page.waitForURL(/t=30d/);
    await page.click("#users-more button");
    await page.waitForFunction(() => document.querySelectorAll("tbody.user").length > 50);
    expect(await page.locator(`#user-${s.server.id}`).count()).toBe(1);
    await page.selectOption("#timeline", "24h");
    await page.waitForURL(/t=24h/);
    expect(await page.locator(`#user-${s.server.id}`).count()).toBe(0);
    // Past N days through its own input.
    await page.selectOption("#timeline", "custom");
    await page.fill("#tl-days", "25");
    await page.click(".tl-apply");
    await page.waitForURL(/t=25d/);
    expect(await page.locator("#users-count").innerText()).toContain("past 25 days");

    // An OR group built through the UI: plan = pro OR plan = enterprise.
    await page.click("#add-filter");
    await page.waitForSelector("form.builder select[name=bkey]");
    await page.selectOption("select[name=bkey]", "custom:plan");
    await page.fill("input[name=bv]", "pro");
    await page.click("form.builder button[type=submit]");
    await page.waitForURL(/f=/);
    expect(await rowIds(page)).toEqual([`user-${s.alice.id}`]);
    await page.click(".or-add");
    await page.waitForSelector("form.builder select[name=bkey]");
    expect(await page.locator("select[name=bg]").inputValue()).toBe("0");
    await page.selectOption("select[name=bkey]", "custom:plan");
    await page.fill("input[name=bv]", "enterprise");
    await page.click("form.builder button[type=submit]");
    await page.waitForFunction(() => document.querySelectorAll(".filter-group .filter-chip").length === 2);
    expect(await page.locator(".filter-group").count()).toBe(1);
    expect(new Set(await rowIds(page))).toEqual(new Set([`user-${s.alice.id}`, `user-${s.server.id}`]));

    // An event-property filter (AND): did pageview where Path contains /checkout.
    await page.click("#add-filter");
    await page.waitForSelector("form.builder select[name=bk]");
    await page.selectOption("select[name=bk]", "eprop");
    await page.waitForSelector("form.builder select[name=bevent]");
    await page.selectOption("select[name=bevent]", "raw:pageview");
    // The builder re-renders for the chosen event (its property keys): wait for the server-selected option.
    await page.waitForSelector("form.builder select[name=bevent] option[value='raw:pageview'][selected]", { state: "attached" });
    await page.selectOption("select[name=bkey]", "path");
    await page.selectOption("select[name=bop]", "contains");
    await page.fill("input[name=bv]", "/check");
    // Suggestions follow the typing: only values containing "/check" remain.
    await page.waitForFunction(() => [...document.querySelectorAll("#bv-options option")].map((o) => (o as HTMLOptionElement).value).join() === "/checkout");
    await page.click("form.builder button[type=submit]");
    await page.waitForFunction(() => document.querySelectorAll(".filter-group").length === 2);
    expect(await rowIds(page)).toEqual([`user-${s.alice.id}`]);
    expect(await page.locator(".filter-bar").innerText()).toContain("Did pageview where Path contains");

    // Save the filters as a segment.
    await page.click("summary:has-text('Save as segment')");
    await page.fill("#segment-name", "Paying checkout visitors");
    await page.click(".save-segment button[type=submit]");
    await page.waitForURL(/segment=/);
    expect(await page.locator(".segment-tag").innerText()).toContain("Paying checkout visitors");

    // Expand a row in place.
    await page.click(`#expand-${s.alice.id}`);
    await page.waitForSelector(`#user-${s.alice.id}-details`);
    expect(await page.locator(`#expand-${s.alice.id}`).getAttribute("aria-expanded")).toBe("true");
    expect(await page.locator(`#user-${s.alice.id}-details`).textContent()).toContain("Latest sessions");
    // Each latest session opens to its events in place: the checkout visit with its rage clicks in red.
    const latest = page.locator(`#user-${s.alice.id}-details .mini-sessions > li`).first();
    await latest.locator("summary").click();
    await latest.locator(".mini-event").first().waitFor();
    expect(await latest.locator(".mini-event .event-name").allTextContents()).toEqual(["Viewed /checkout", 'Clicked "Pay now"', 'Clicked "Pay now"', 'Clicked "Pay now"', "Checkout failed"]);
    expect(await latest.locator(".mini-event.rage-event").count()).toBe(2);
    expect(await latest.locator(".mini-event.rage-event .event-name").first().evaluate((e) => getComputedStyle(e).color)).toBe("rgb(200, 30, 30)");
    await page.screenshot({ path: `${OUT}/users-list-expanded-session-1366.png`, fullPage: true });
    await latest.locator(".mini-event", { hasText: "Checkout failed" }).locator("a").click();
    await page.waitForURL(/\/sessions\/\d+\?event=/);
    await page.waitForSelector("#event-panel .event-panel-head");
    expect(await page.locator("#event-panel h2").textContent()).toBe("Checkout failed");
    await page.goBack();
    await page.waitForSelector(`#user-${s.alice.id}`);
    await page.screenshot({ path: `${OUT}/users-list-filters-1366.png`, fullPage: true });

    // Sort by events, then search (htmx results, URL kept in step).
    await page.goto(`${users}?t=all`);
    await page.click("th a.sort:has-text('Events')");
    await page.waitForURL(/sort=events/);
    expect((await rowIds(page))[0]).toBe(`user-${s.alice.id}`);
    await page.fill("#user-search", "bob@");
    await page.waitForFunction(() => document.querySelectorAll("tbody.user").length === 1);
    expect(await rowIds(page)).toEqual([`user-${s.bob.id}`]);
    await page.waitForFunction(() => location.search.includes("q=bob"));
    expect(page.url()).toContain("sort=events");

    expect(problems.all()).toEqual([]);
  }, 120_000);

  test("screenshots: 1920×1080 dark theme, no horizontal scrolling, empty state", async () => {
    if (!browser) return;
    const { page, problems } = await open(1920, 1080);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${t.url}/e/${t.env.id}/users?t=30d`);
    await page.click(`#expand-${s.alice.id}`);
    await page.waitForSelector(`#user-${s.alice.id}-details`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: `${OUT}/users-list-1920-dark.png` });
    await page.goto(`${t.url}/e/${t.env.id}/users?q=nobody-like-this`);
    expect(await page.locator(".empty h2").innerText()).toBe("No users match");
    await page.screenshot({ path: `${OUT}/users-list-1920-dark-empty.png` });
    expect(problems.all()).toEqual([]);
  }, 60_000);

  for (const scheme of ["light", "dark"] as const) {
    test(`axe: filters, open builder, expanded row and the Segments page have no serious violations (${scheme})`, async () => {
      if (!browser) return;
      const { page, problems } = await open(1366, 768, scheme);
      const group = encodeURIComponent(JSON.stringify([{ k: "user", s: "custom", key: "plan", op: "eq", v: "pro" }, { k: "event", did: true, e: { raw: "click" }, cnt: { op: "atLeast", n: 2 } }]));
      await page.goto(`${t.url}/e/${t.env.id}/users?t=30d&f=${group}`);
      await page.click(`#expand-${s.alice.id}`);
      await page.waitForSelector(`#user-${s.alice.id}-details`);
      await page.click("#add-filter");
      await page.waitForSelector("form.builder");
      await page.click("summary:has-text('Save as segment')");
      const found: string[] = [];
      const check = async (name: string) => {
        const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
        for (const v of result.violations) {
          if (v.impact === "serious" || v.impact === "critical") found.push(`${name}: ${v.id} ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
        }
      };
      await check("users with filters");
      await page.screenshot({ path: `${OUT}/users-list-builder-1366-${scheme}.png`, fullPage: true });
      await page.goto(`${t.url}/e/${t.env.id}/segments`);
      await check("segments");
      await page.screenshot({ path: `${OUT}/segments-1366-${scheme}.png` });
      if (found.length) console.error(found.join("\n"));
      expect(found).toEqual([]);
      expect(problems.all()).toEqual([]);
    }, 60_000);
  }
});
