// How the snippet sends: never after stopTracking (nor after a reload), on page hide, retried with
// backoff while Loupe fails, and never at the host page's expense; the CSP-friendly install and DNT/GPC.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser, recordProblems } from "../helpers/browser";
import { startTestApp, type TestApp } from "../helpers/app";
import { eventually, HUMAN_BROWSER_ARGS, startSpaSite, type SpaSite } from "../helpers/spa-site";
import { storedEvents, storedUsers } from "../helpers/stored";
import { createHash } from "node:crypto";
import { snippetCspHash, snippetSource } from "../../src/snippet";

let t: TestApp;
let browser: Browser | null;
const sites: SpaSite[] = [];
beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser(HUMAN_BROWSER_ARGS);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  for (const s of sites) s.close();
  await t?.close();
}, 60_000);

function site(opts: Partial<Parameters<typeof startSpaSite>[0]> = {}): SpaSite {
  const s = startSpaSite({ loupeUrl: t.url, envId: t.env.id, loadOptions: { batchInterval: 200 }, ...opts });
  sites.push(s);
  return s;
}
async function open(url: string): Promise<{ context: BrowserContext; page: Page; collects: string[] }> {
  const context = await browser!.newContext();
  const page = await context.newPage();
  const collects: string[] = [];
  page.on("request", (r) => { if (r.url().includes("/api/collect")) collects.push(r.postData() ?? ""); });
  await page.goto(url);
  await page.waitForFunction(() => (window as { loupe?: { __loupe?: boolean } }).loupe?.__loupe === true);
  return { context, page, collects };
}
const call = (page: Page, method: string, ...args: unknown[]) =>
  page.evaluate(([m, a]) => (window as unknown as Record<string, Record<string, (...x: unknown[]) => unknown>>).loupe[m as string](...(a as unknown[])), [method, args] as const);
/** A stand-in for Loupe: serves the real snippet, answers `failWith` to collection until `healthy`, then proxies to Loupe. */
function startFlakyLoupe(failWith = 500) {
  const state = { healthy: false, attempts: [] as number[], bodies: [] as string[], url: "", stop: () => {} };
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      const body = req.method === "POST" ? await req.text() : undefined;
      if (url.pathname === "/api/collect") {
        state.attempts.push(Date.now());
        state.bodies.push(body ?? "");
        if (!state.healthy) return new Response("boom", { status: failWith, headers: { "access-control-allow-origin": "*" } });
      }
      const headers = new Headers(req.headers);
      headers.delete("accept-encoding");
      headers.delete("host");
      const res = await fetch(`${t.url}${url.pathname}`, { method: req.method, headers, body });
      // fetch decoded any gzip: pass on the bytes with only the headers that still hold.
      const keep = ["content-type", "access-control-allow-origin", "cross-origin-resource-policy"];
      return new Response(await res.arrayBuffer(), { status: res.status, headers: keep.flatMap((k) => (res.headers.get(k) ? [[k, res.headers.get(k)!]] : [])) as [string, string][] });
    },
  });
  state.url = `http://127.0.0.1:${server.port}`;
  state.stop = () => server.stop(true);
  return state;
}
const eventsOf = async (userId: string) => (await storedEvents(t.ctx.db, t.env.id)).filter((e) => String(e.userId) === userId);

test("stopTracking sends nothing, also after a reload, until startTracking", async () => {
  if (!browser) return;
  const { context, page, collects } = await open(`${site().url}/`);
  const userId = (await call(page, "getUserId")) as string;
  await call(page, "identify", "opted.out@acme.test");
  await eventually(() => eventsOf(userId), (r) => r.some((e) => e.type === "pageview"), "the first pageview");
  await page.click("#buy"); // queued, not yet sent when tracking stops: dropped too
  await call(page, "stopTracking");
  const sentBefore = collects.length;
  const storedBefore = (await eventsOf(userId)).length;
  await page.click("#like");
  await call(page, "track", "Should not be sent");
  await call(page, "identify", "stopped@acme.test");
  await page.click("a.nav-link[data-route=pricing]");
  await page.reload();
  await page.waitForFunction(() => (window as { loupe?: { __loupe?: boolean } }).loupe?.__loupe === true);
  await page.click("#billing");

  // Logging out while opted out still forgets the person on this device, and still sends nothing.
  await call(page, "resetIdentity");
  expect(await call(page, "getIdentity")).toBeNull();
  const afterReset = (await call(page, "getUserId")) as string;
  expect(afterReset).not.toBe(userId);

  await call(page, "startTracking");
  await call(page, "track", "Tracking again");
  const resumed = await eventually(() => eventsOf(afterReset), (r) => r.some((e) => e.name === "Tracking again"), "the event after startTracking");
  // The event after startTracking is the sentinel: the snippet sends in order, so anything captured while
  // stopped would have gone out before it or with it. Every request since stopping is the new user's resume.
  const since = collects.slice(sentBefore).map((body) => JSON.parse(body) as { userId: string; messages: { type?: string; name?: string }[] });
  expect(since.length).toBeGreaterThan(0);
  for (const batch of since) {
    expect(batch.userId).toBe(afterReset);
    for (const m of batch.messages) expect(m.type === "session_start" || m.name === "Tracking again").toBe(true);
  }
  expect((await eventsOf(userId)).length).toBe(storedBefore);
  expect((await eventsOf(userId)).some((e) => e.targetText === "Buy now")).toBe(false);
  expect(resumed.map((e) => e.type).sort()).toEqual(["custom", "session_start"]);
  expect((await storedEvents(t.ctx.db, t.env.id)).some((e) => e.name === "Should not be sent")).toBe(false);
  await context.close();
}, 90_000);

test("events still queued when the page is hidden arrive: navigating away and closing the tab", async () => {
  if (!browser) return;
  // A minute-long batch interval: only the page-hide flush can deliver these.
  const slow = site({ loadOptions: { batchInterval: 60_000 } });
  const { context, page } = await open(`${slow.url}/`);
  const userId = (await call(page, "getUserId")) as string;
  await page.click("#buy");
  await call(page, "track", "Leaving by link");
  await page.goto(`${slow.url}/blank`);
  const stored = await eventually(() => eventsOf(userId), (r) => r.some((e) => e.name === "Leaving by link"), "the flush on navigation");
  expect(stored.map((e) => e.type).sort()).toEqual(["click", "custom", "pageview", "session_start"]);

  const second = await context.newPage();
  await second.goto(`${slow.url}/pricing`);
  await second.waitForFunction(() => (window as { loupe?: { __loupe?: boolean } }).loupe?.__loupe === true);
  await call(second, "track", "Leaving by closing");
  await second.close({ runBeforeUnload: true });
  await eventually(() => eventsOf(userId), (r) => r.some((e) => e.name === "Leaving by closing"), "the flush on close");
  await context.close();
}, 90_000);

test("a failing Loupe (500s, then up again) is retried with backoff; host handlers and the host's own errors are untouched", async () => {
  if (!browser) return;
  const flaky = startFlakyLoupe();
  const attempts = flaky.attempts;
  try {
    const s = site({ loupeUrl: flaky.url });
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = await recordProblems(page, (status, url) => status === 500 && url.includes("/api/collect"));
    await page.goto(`${s.url}/`);
    await page.waitForFunction(() => (window as { loupe?: { __loupe?: boolean } }).loupe?.__loupe === true);
    // The host's own broken handler: its error must not stop the snippet or anything else.
    await page.evaluate(() => document.getElementById("buy")!.addEventListener("click", () => { throw new Error("host bug"); }));
    for (let i = 0; i < 3; i++) await page.click("#buy", { delay: 400 });
    expect(await page.evaluate(() => (window as unknown as { buys: number }).buys)).toBe(3); // the host's handler ran every time
    expect(await page.textContent("#status")).toBe("Added 3");
    await eventually(async () => attempts.length, (n) => n >= 3, "three attempts while failing", 15_000);
    const gaps = attempts.slice(1).map((a, i) => a - attempts[i]);
    expect(Math.min(...gaps)).toBeGreaterThan(700); // backing off (1 s, 2 s, … ±25 %), not hammering, whatever is clicked meanwhile
    const userId = (await call(page, "getUserId")) as string;
    expect(await eventsOf(userId)).toEqual([]);

    flaky.healthy = true;
    const stored = await eventually(() => eventsOf(userId), (r) => r.filter((e) => e.type === "click").length === 3, "the retried batch", 40_000);
    expect(stored.filter((e) => e.type === "pageview")).toHaveLength(1); // delivered once, no duplicates
    expect(problems.pageErrors.every((e) => e.includes("host bug"))).toBe(true);
    expect(problems.pageErrors.length).toBe(3);
    expect(problems.consoleErrors.filter((m) => !m.includes("500"))).toEqual([]);
    await context.close();
  } finally {
    flaky.stop();
  }
}, 120_000);

test("batches still failing when the page is hidden are kept on the device and sent from the next page", async () => {
  if (!browser) return;
  const flaky = startFlakyLoupe();
  try {
    const s = site({ loupeUrl: flaky.url });
    const { context, page } = await open(`${s.url}/`);
    const userId = (await call(page, "getUserId")) as string;
    await eventually(async () => flaky.attempts.length, (n) => n >= 1, "a failed attempt");
    await call(page, "track", "Kept for later");
    await page.goto(`${s.url}/blank`); // hidden while failing: nothing beaconed into the void
    flaky.healthy = true;
    expect(await eventsOf(userId)).toEqual([]);
    await page.goto(`${s.url}/pricing`);
    const stored = await eventually(() => eventsOf(userId), (r) => r.some((e) => e.name === "Kept for later") && r.some((e) => e.path === "/pricing"), "the kept batch and the new pageview");
    expect(stored.filter((e) => e.type === "pageview").map((e) => e.path).sort()).toEqual(["/", "/pricing"]);
    await context.close();
  } finally {
    flaky.stop();
  }
}, 90_000);

/** Event ids in a collection body. */
const idsIn = (body: string) => (JSON.parse(body) as { messages: { id: string }[] }).messages.map((m) => m.id);

test("an emoji at a length limit reaches the server intact: whole when it fits, left out whole when it does not", async () => {
  if (!browser) return;
  const { context, page } = await open(`${site().url}/`);
  const userId = (await call(page, "getUserId")) as string;
  await call(page, "track", `${"n".repeat(1022)}😀`); // 1,024 UTF-16 units: fits
  await call(page, "track", `${"m".repeat(1023)}😀`); // 1,025: the limit falls inside the emoji
  await page.evaluate(() => {
    const b = document.createElement("button");
    b.id = "emoji-button";
    b.textContent = `${"a".repeat(254)}😀`;
    document.body.append(b);
  });
  await page.click("#emoji-button");
  const stored = await eventually(() => eventsOf(userId), (r) => r.filter((e) => e.type === "custom").length === 2 && r.some((e) => e.type === "click"), "both events and the click");
  const names = stored.filter((e) => e.type === "custom").map((e) => e.name).sort();
  expect(names).toEqual([`${"m".repeat(1023)}`, `${"n".repeat(1022)}😀`]);
  expect(stored.find((e) => e.type === "click")!.targetText).toBe("a".repeat(254));
  await context.close();
}, 60_000);

test("a batch refused with 400 is dropped with a console warning, never retried", async () => {
  if (!browser) return;
  const refusing = startFlakyLoupe(400);
  try {
    const { context, page } = await open(`${site({ loupeUrl: refusing.url }).url}/`);
    const warned = page.waitForEvent("console", { predicate: (m) => m.type() === "warning" && m.text().includes("HTTP 400"), timeout: 15_000 });
    await call(page, "track", "Refused");
    await warned;
    // A sentinel: the next event's batch. By then a refused batch sent again would have shown up.
    await call(page, "track", "Next");
    const bodyNames = (b: string) => (JSON.parse(b) as { messages: { name?: string }[] }).messages.map((m) => m.name);
    await eventually(async () => refusing.bodies.flatMap(bodyNames), (names) => names.includes("Next"), "the next batch");
    const ids = refusing.bodies.flatMap(idsIn);
    expect(ids.length).toBeGreaterThan(2);
    expect(new Set(ids).size).toBe(ids.length); // every event was sent once: nothing refused came back
    await context.close();
  } finally {
    refusing.stop();
  }
}, 60_000);

test("a batch that keeps failing with 5xx is retried with backoff for retryFor, then dropped with a warning", async () => {
  if (!browser) return;
  const failing = startFlakyLoupe(503);
  try {
    const s = site({ loupeUrl: failing.url, loadOptions: { batchInterval: 200, retryFor: 2500 } });
    const { context, page } = await open(`${s.url}/`);
    const userId = (await call(page, "getUserId")) as string;
    const gaveUp = page.waitForEvent("console", { predicate: (m) => m.type() === "warning" && m.text().includes("gave up on"), timeout: 20_000 });
    await call(page, "track", "Doomed");
    await gaveUp;
    expect(failing.attempts.length).toBeGreaterThanOrEqual(2);
    // The first batch sent is the one given up on first (events queued later count their own time).
    const doomed = idsIn(failing.bodies[0]);
    failing.healthy = true;
    await call(page, "track", "After");
    const stored = await eventually(() => eventsOf(userId), (r) => r.some((e) => e.name === "After"), "the next event");
    expect(stored.filter((e) => doomed.includes(e.id))).toEqual([]);
    await context.close();
  } finally {
    failing.stop();
  }
}, 60_000);

test("with Loupe down entirely (script and endpoint unreachable) the page and its calls to loupe still work", async () => {
  if (!browser) return;
  const s = site({ loupeUrl: "http://127.0.0.1:9" }); // discard port: nothing listens
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = await recordProblems(page, () => true);
  await page.goto(`${s.url}/`);
  await page.evaluate(() => {
    const l = (window as unknown as { loupe: Record<string, (...a: unknown[]) => unknown> }).loupe;
    l.identify("x@acme.test"); l.track("Queued"); l.addEventProperties({ a: 1 }); l.getUserId();
  });
  await page.click("#buy");
  await page.click("a.nav-link[data-route=pricing]");
  await page.waitForURL(/\/pricing$/);
  expect(await page.textContent("h1")).toBe("Pricing");
  expect(problems.pageErrors).toEqual([]);

  // Script loads, endpoint down: retries quietly, the page goes on.
  const half = site({ loadOptions: { host: "http://127.0.0.1:9", batchInterval: 200 } });
  const p2 = await context.newPage();
  const problems2 = await recordProblems(p2, () => true);
  await p2.goto(`${half.url}/`);
  await p2.waitForFunction(() => (window as { loupe?: { __loupe?: boolean } }).loupe?.__loupe === true);
  const failed: string[] = [];
  p2.on("requestfailed", (r) => { if (r.url().includes("/api/collect")) failed.push(r.url()); });
  await p2.click("#buy");
  await p2.click("#theme");
  expect(await p2.getAttribute("#theme", "class")).toContain("is-on");
  // Wait for the thing: the snippet has tried and failed more than once, and the page took no harm.
  await eventually(async () => failed.length, (n) => n >= 2, "two failed collection attempts");
  expect(problems2.pageErrors).toEqual([]);
  await context.close();
}, 90_000);

test("the CSP-friendly data-env tag loads itself and replays calls pushed before it arrived", async () => {
  if (!browser) return;
  const s = site({ install: "script" });
  const context = await browser.newContext();
  await context.addInitScript(() => {
    const queue: unknown[][] = [];
    queue.push(["track", "Pushed early", { plan: "pro" }]);
    (window as unknown as { loupe: unknown[][] }).loupe = queue;
  });
  const page = await context.newPage();
  const problems = await recordProblems(page);
  await page.goto(`${s.url}/`);
  await page.waitForFunction(() => (window as { loupe?: { __loupe?: boolean } }).loupe?.__loupe === true);
  const userId = (await call(page, "getUserId")) as string;
  const stored = await eventually(() => eventsOf(userId), (r) => r.some((e) => e.name === "Pushed early") && r.some((e) => e.type === "pageview"), "the auto-loaded snippet's events");
  expect(stored.find((e) => e.name === "Pushed early")!.props).toMatchObject({ plan: "pro" });
  expect(problems.all()).toEqual([]);
  await context.close();
}, 90_000);

test("respectDnt: Global Privacy Control means nothing is sent or stored on the device", async () => {
  if (!browser) return;
  const s = site({ loadOptions: { batchInterval: 200, respectDnt: true } });
  const context = await browser.newContext();
  await context.addInitScript(() => Object.defineProperty(navigator, "globalPrivacyControl", { get: () => true }));
  const { page, collects } = await (async () => {
    const page = await context.newPage();
    const collects: string[] = [];
    page.on("request", (r) => { if (r.url().includes("/api/collect")) collects.push(r.url()); });
    await page.goto(`${s.url}/`);
    await page.waitForFunction(() => (window as { loupe?: { __loupe?: boolean } }).loupe?.__loupe === true);
    return { page, collects };
  })();
  await page.click("#buy");
  await call(page, "track", "Private");
  // Sentinel: leaving the page is when the snippet flushes whatever it holds (sendBeacon on pagehide).
  await page.goto(`${s.url}/pricing`);
  await page.waitForFunction(() => (window as { loupe?: { __loupe?: boolean } }).loupe?.__loupe === true);
  expect(collects).toEqual([]);
  expect(await call(page, "getUserId")).toBeNull();
  expect(await page.evaluate(() => document.cookie)).not.toContain("_loupe_");
  await context.close();
}, 60_000);

test("calls made through the stub before /loupe.js arrives are replayed in order once it loads", async () => {
  if (!browser) return;
  const s = site({
    afterStub: [
      `loupe.addEventProperties({ app_version: "2.1.0", beta: true });`,
      `loupe.identify("early@acme.test");`,
      `loupe.addUserProperties({ plan: "team" });`,
      `loupe.track("Booted", { ms: 42 });`,
      `loupe.removeEventProperty("beta");`,
    ].join("\n"),
  });
  const { context, page } = await open(`${s.url}/`);
  expect(await call(page, "getIdentity")).toBe("early@acme.test");
  const userId = (await call(page, "getUserId")) as string;
  const stored = await eventually(() => eventsOf(userId), (r) => r.some((e) => e.name === "Booted") && r.some((e) => e.type === "pageview"), "the queued calls");
  expect(stored.find((e) => e.name === "Booted")!.props).toMatchObject({ app_version: "2.1.0", beta: true, ms: 42 });
  await page.click("#buy"); // after removeEventProperty: only app_version persists
  const click = (await eventually(() => eventsOf(userId), (r) => r.some((e) => e.type === "click"), "the click")).find((e) => e.type === "click")!;
  expect(click.props).toMatchObject({ app_version: "2.1.0" });
  expect(click.props).not.toHaveProperty("beta");
  const user = (await storedUsers(t.ctx.db, t.env.id)).find((u) => String(u.id) === userId)!;
  expect(user).toMatchObject({ identity: "early@acme.test", properties: { plan: "team" } });
  await context.close();
}, 60_000);

test("disableAutocapture turns off the named kinds only; track still works", async () => {
  if (!browser) return;
  const s = site({ loadOptions: { batchInterval: 200, disableAutocapture: ["click", "submit"] } });
  const { context, page } = await open(`${s.url}/signup`);
  const userId = (await call(page, "getUserId")) as string;
  await page.fill("#email", "quiet@acme.test");
  await page.click("#create");
  await page.waitForURL(/\/welcome$/);
  await call(page, "track", "Still tracked");
  const stored = await eventually(() => eventsOf(userId), (r) => r.some((e) => e.name === "Still tracked") && r.filter((e) => e.type === "pageview").length === 2, "pageviews and the custom event");
  expect(new Set(stored.map((e) => e.type))).toEqual(new Set(["session_start", "pageview", "change", "custom"]));
  await context.close();
}, 60_000);

test("under a strict Content-Security-Policy both installs work with no violation: the stub by its hash, the data-env tag as is", async () => {
  if (!browser) return;
  expect(snippetCspHash(t.url, t.env.id)).toBe(`'sha256-${createHash("sha256").update(`\n${snippetSource(t.url, t.env.id)}\n`).digest("base64")}'`);
  for (const install of ["stub", "script"] as const) {
    const s = site({ install, strictCsp: true, loadOptions: undefined });
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = await recordProblems(page);
    const response = await page.goto(`${s.url}/`);
    expect(response!.headers()["content-security-policy"]).toContain("script-src 'self' http://127.0.0.1");
    await page.waitForFunction(() => (window as { loupe?: { __loupe?: boolean } }).loupe?.__loupe === true);
    const userId = (await call(page, "getUserId")) as string;
    await page.click("#buy");
    await eventually(() => eventsOf(userId), (r) => r.some((e) => e.type === "click"), `the click (${install})`);
    expect(problems.all()).toEqual([]);
    await context.close();
  }
}, 60_000);
