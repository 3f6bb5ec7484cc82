// Chromium on the wall screen under `loupe demo` traffic: opened from a kiosk link without a login, one
// screen at 1920×1080 (and 1280×720), numbers move, rage clicks flash, a server upgrade reloads it,
// revocation stops it, and a shortened soak keeps the JS heap and DOM flat (bench/live/soak-wall.ts: 10 min).
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, CDPSession, Page } from "playwright-core";
import { runDemo } from "../../src/cli/demo";
import { liveHub } from "../../src/routes/live-hub";
import { startTestApp, type TestApp } from "../helpers/app";
import { loginAs, type LoggedIn } from "../helpers/auth";
import { launchBrowser, recordProblems } from "../helpers/browser";
import { click, collect, newDevice, pageview } from "../helpers/ingest";

setDefaultTimeout(180_000);

let t: TestApp;
let admin: LoggedIn;
let browser: Browser | null;
let kioskUrl = "";
let kioskId = 0;
const traffic = new AbortController();
let demo: Promise<unknown> = Promise.resolve();
const OUT = "test-output";
const SOAK_MS = Number(process.env.LOUPE_WALL_SOAK_MS ?? 60_000);

beforeAll(async () => {
  t = await startTestApp();
  admin = await loginAs(t);
  const res = await admin.fetch(`/e/${t.env.id}/settings/kiosk`, { method: "POST", body: new URLSearchParams({ name: "Office TV", mask: "1", event: "pageview" }) });
  const html = await res.text();
  kioskUrl = /data-kiosk-url="?[^>]*>([^<]+)</.exec(html)![1];
  kioskId = Number(/id="kiosk-(\d+)"/.exec(html)![1]);
  demo = runDemo({ url: t.url, envId: t.env.id, rate: 15, minutes: null, signal: traffic.signal });
  browser = await launchBrowser();
});
afterAll(async () => {
  traffic.abort();
  await browser?.close();
  await demo.catch(() => {}); // the demo's last requests are answered before the server goes
  await t?.close();
});

async function openWall(width: number, height: number): Promise<Page> {
  const context = await browser!.newContext({ viewport: { width, height } }); // no login cookie
  const page = await context.newPage();
  await page.goto(kioskUrl);
  await page.waitForSelector('[data-live-state][data-state="live"]', { timeout: 10_000 });
  return page;
}

/** Headings, hints and the chart's line of text that do not show whole (clipped or ellipsed), as "class: text". */
const cutOff = (page: Page) =>
  page.locator(".tile h2, .tile .hint, .chart-now, .chart-axis span").evaluateAll((els) =>
    els.filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1).map((e) => `${e.className || e.tagName}: ${e.textContent}`));

/** The chart's time axis: five clock times a quarter of an hour apart, the last one the current minute's start. */
async function expectTimeAxis(page: Page) {
  const marks = await page.locator("[data-chart-axis] span").allTextContents();
  expect(marks).toHaveLength(5);
  const minutes = marks.map((m) => Number(m.slice(0, 2)) * 60 + Number(m.slice(3, 5)));
  for (let i = 1; i < 5; i++) expect((minutes[i] - minutes[i - 1] + 1440) % 1440).toBe(15);
  const now = new Date();
  const minuteNow = now.getUTCHours() * 60 + now.getUTCMinutes(); // the test environment's zone is UTC
  expect([minuteNow, (minuteNow + 1439) % 1440]).toContain(minutes[4]);
}

/** Everything on one screen: nothing scrolls, every tile ends inside the viewport ("" when it fits). */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const d = document.documentElement;
    const out = [...document.querySelectorAll(".tile, .wall-head")]
      .map((e) => ({ e, r: e.getBoundingClientRect() }))
      .filter(({ r }) => r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5)
      .map(({ e, r }) => `${e.className} ends at ${Math.round(r.right)}×${Math.round(r.bottom)}`);
    if (d.scrollHeight > innerHeight || d.scrollWidth > innerWidth) out.push(`document ${d.scrollWidth}×${d.scrollHeight}`);
    return out.join("; ");
  });

const figure = (page: Page, name: string) => page.locator(`[data-figure="${name}"]`).textContent();

/** JS heap after a forced GC, and the number of nodes in the document (what a bounded DOM bounds). */
async function heap(cdp: CDPSession, page: Page): Promise<{ used: number; nodes: number }> {
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  const nodes = await page.evaluate(() => {
    let n = 0;
    const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
    while (walker.nextNode()) n++;
    return n;
  });
  return { used: usedSize, nodes };
}

test("kiosk wall at 1920×1080: no login, one screen, numbers move, rage clicks flash", async () => {
  if (!browser) return;
  const page = await openWall(1920, 1080);
  const problems = await recordProblems(page);
  await page.screenshot({ path: `${OUT}/live-wall-${page.viewportSize()!.width}x${page.viewportSize()!.height}.png` });
  expect(await overflow(page)).toBe("");
  expect(await page.locator("h1").textContent()).toBe("Test product");
  expect(await page.locator(".tile-counter h2").textContent()).toBe("pageview");
  expect(await page.locator(".tile-counter .hint").textContent()).toBe("events today");
  expect(await cutOff(page)).toEqual([]);
  await expectTimeAxis(page);
  expect(await page.locator(".chart-now").textContent()).toContain("so far this minute");

  const before = { sessions: await figure(page, "sessionsToday"), minute: await figure(page, "perMinuteNow"), counter: await figure(page, "counter") };
  await page.waitForFunction(
    (b) => {
      const f = (n: string) => document.querySelector(`[data-figure="${n}"]`)?.textContent;
      return f("sessionsToday") !== b.sessions && f("counter") !== b.counter;
    },
    before,
    { timeout: 20_000 },
  );
  expect(Number((await figure(page, "active"))!.replace(/,/g, ""))).toBeGreaterThan(0);
  expect(await page.locator("[data-feed] li").count()).toBeGreaterThan(0);
  expect(await page.locator("[data-feed] li").count()).toBeLessThanOrEqual(12);
  // Identities are masked on a kiosk link with "mask" set.
  for (const who of await page.locator("[data-feed] .who").allTextContents()) expect(who).toMatch(/^User \d{1,4}…$/);
  expect(await page.locator("[data-chart-line]").getAttribute("points")).toMatch(/^[\d.]+,[\d.]+( [\d.]+,[\d.]+){59}$/);

  // Three fast clicks on one button are a rage click: it appears on the wall, flashing.
  const d = newDevice(t.env.id);
  const now = Date.now();
  await collect(t.url, d, [pageview(now - 100), click(now), click(now + 150), click(now + 300)]);
  // The burst flashes, listed once with its three clicks.
  const mine = page.locator("[data-rage] li.flash", { hasText: `User ${d.userId.slice(0, 4)}…` }).filter({ hasText: "Buy now" });
  await mine.first().waitFor({ timeout: 10_000 });
  await expect(mine.allTextContents()).resolves.toEqual([expect.stringContaining("×3")]);
  await page.screenshot({ path: `${OUT}/live-wall-1920x1080.png` });
  expect(problems.all()).toEqual([]);

  // The token opens the wall and nothing else.
  for (const path of ["/x", "/live", "/../settings"]) {
    const res = await page.request.get(`${kioskUrl}${path}`, { maxRedirects: 0 });
    expect(res.status()).toBe(404);
  }
  const dashboard = await page.request.get(`${t.url}/e/${t.env.id}/users`, { maxRedirects: 0 });
  expect(dashboard.status()).toBe(401); // no session: the dashboard refuses (a kiosk token is no login)
  await page.context().close();
});

test("usable at 1280×720; the dashboard wall at /e/:env/wall shows real identities", async () => {
  if (!browser) return;
  const page = await openWall(1280, 720);
  await page.screenshot({ path: `${OUT}/live-wall-${page.viewportSize()!.width}x${page.viewportSize()!.height}.png` });
  expect(await overflow(page)).toBe("");
  await page.screenshot({ path: `${OUT}/live-wall-1280x720.png` });
  await page.context().close();

  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await admin.addToBrowser(context);
  const dash = await context.newPage();
  const problems = await recordProblems(dash);
  await dash.goto(`${t.url}/e/${t.env.id}/wall`);
  await dash.waitForSelector('[data-live-state][data-state="live"]', { timeout: 10_000 });
  expect(await overflow(dash)).toBe("");
  await dash.waitForSelector("[data-feed] li", { timeout: 10_000 });
  // No counter chosen: no empty tile; Active now and Sessions today fill the row up to the feed.
  expect(await dash.locator(".tile-counter").count()).toBe(0);
  const [today, chart] = await Promise.all([dash.locator(".tile-today").boundingBox(), dash.locator(".tile-chart").boundingBox()]);
  expect(Math.abs(today!.x + today!.width - (chart!.x + chart!.width))).toBeLessThan(1);
  await dash.screenshot({ path: `${OUT}/live-wall-dashboard-no-counter.png` });
  // A segment counter's heading shows its whole name at 1920×1080.
  const seg = await admin.fetch(`/e/${t.env.id}/segments`, { method: "POST", body: new URLSearchParams({ name: "Stark customers", f: JSON.stringify([{ k: "user", s: "identity", op: "set" }]) }), redirect: "manual" });
  const segmentId = /segment=(\d+)/.exec(seg.headers.get("location") ?? "")![1];
  await dash.goto(`${t.url}/e/${t.env.id}/wall?segment=${segmentId}`);
  await dash.waitForSelector('[data-live-state][data-state="live"]', { timeout: 10_000 });
  await expect(dash.locator(".tile-counter h2").textContent()).resolves.toBe("Stark customers");
  expect(await cutOff(dash)).toEqual([]);
  expect(await overflow(dash)).toBe("");
  await dash.screenshot({ path: `${OUT}/live-wall-dashboard-segment.png` });
  expect(problems.all()).toEqual([]);
  await context.close();
});

test("a server upgrade reloads the wall; a dropped socket reconnects; revoking the link stops it", async () => {
  if (!browser) return;
  const page = await openWall(1920, 1080);
  await page.evaluate(() => ((window as unknown as { beforeUpgrade: boolean }).beforeUpgrade = true));
  const hub = liveHub(t.ctx);
  // Simulate a restart into a new version: the new server says so in its hello.
  const oldVersion = t.ctx.version;
  (hub as unknown as { version: string }).version = "99.0.0";
  t.ctx.version = "99.0.0";
  try {
    for (const c of hub.connections) c.socket.close(1012, "restart");
    await page.waitForFunction(() => !(window as unknown as { beforeUpgrade?: boolean }).beforeUpgrade && document.querySelector("#wall")?.getAttribute("data-version") === "99.0.0", null, { timeout: 15_000 });
    await page.waitForSelector('[data-live-state][data-state="live"]', { timeout: 10_000 });
  } finally {
    (hub as unknown as { version: string }).version = oldVersion;
    t.ctx.version = oldVersion;
  }
  await page.reload();
  await page.waitForSelector('[data-live-state][data-state="live"]', { timeout: 10_000 });

  const res = await admin.fetch(`/e/${t.env.id}/settings/kiosk/${kioskId}/revoke`, { method: "POST", body: new URLSearchParams(), redirect: "manual" });
  expect(res.status).toBe(303);
  await page.waitForSelector('[data-live-state][data-state="revoked"]', { timeout: 3000 });
  // The screen replaces its numbers with the reason, readable across the room.
  await expect(page.locator(".wall-revoked h2").textContent()).resolves.toBe("This wall link was revoked");
  expect(await page.locator(".wall-revoked").isVisible()).toBe(true);
  expect(await page.locator(".tile").evaluateAll((tiles) => tiles.filter((t) => t.checkVisibility()).length)).toBe(0);
  await page.screenshot({ path: `${OUT}/live-wall-revoked.png` });
  // Reloading it (as a TV does after a power cut) shows a full-screen page saying so, not JSON.
  const answer = await page.request.get(kioskUrl);
  expect(answer.status()).toBe(410);
  expect(answer.headers()["content-type"]).toContain("text/html");
  await page.reload();
  await expect(page.locator(".wall-closed-page h2").textContent()).resolves.toBe("This wall link was revoked");
  const shown = await page.locator(".wall-closed-page").boundingBox();
  expect([shown!.width, shown!.height]).toEqual([1920, 1080]);
  // A link that never existed says so too.
  const unknown = await page.goto(kioskUrl.replace(/\/wall\/.+$/, `/wall/${"x".repeat(43)}`));
  expect(unknown!.status()).toBe(404);
  await expect(page.locator(".wall-closed-page h2").textContent()).resolves.toBe("This wall link is not valid");
  await page.context().close();
});

test(`soak: ${Math.round(SOAK_MS / 1000)} s of traffic keeps the wall's JS heap and DOM flat`, async () => {
  if (!browser) return;
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await admin.addToBrowser(context);
  const page = await context.newPage();
  await page.goto(`${t.url}/e/${t.env.id}/wall`);
  await page.waitForSelector('[data-live-state][data-state="live"]', { timeout: 10_000 });
  const cdp = await context.newCDPSession(page);
  // Warm up until the bounded lists are full (the feed holds at most 12 sessions).
  await page.waitForFunction(() => document.querySelectorAll("[data-feed] li").length >= 12, null, { timeout: 60_000 });
  const start = await heap(cdp, page);
  const pushesBefore = liveHub(t.ctx).stats.framesSent;
  await Bun.sleep(SOAK_MS);
  const end = await heap(cdp, page);
  console.log(`[wall soak] ${SOAK_MS / 1000} s: heap ${(start.used / 1e6).toFixed(2)} → ${(end.used / 1e6).toFixed(2)} MB, DOM nodes ${start.nodes} → ${end.nodes}, frames sent ${liveHub(t.ctx).stats.framesSent - pushesBefore}`);
  expect(liveHub(t.ctx).stats.framesSent - pushesBefore).toBeGreaterThan(SOAK_MS / 5000);
  expect(end.used - start.used).toBeLessThan(1_000_000);
  expect(end.nodes - start.nodes).toBeLessThan(100);
  expect(await page.locator("[data-feed] li").count()).toBeLessThanOrEqual(12);
  expect(await page.locator("[data-rage] li").count()).toBeLessThanOrEqual(5);
  await context.close();
}, SOAK_MS + 120_000);
