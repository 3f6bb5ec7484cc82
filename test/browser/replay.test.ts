// Session replay in Chromium, end to end: the snippet records a page on another origin (typing, a
// click, an SPA navigation), the session page plays it back — inputs masked, blocked elements absent,
// the recorded state reached, clicking an event jumps there — and a live session's new chunks arrive
// over the page's socket while it plays. Recording through the Settings switch is the second path.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import type { Browser, Frame, Page } from "playwright-core";
import { replayChunks, sessions } from "../../src/db/schema";
import { startTestApp, type TestApp } from "../helpers/app";
import { loginAs, type LoggedIn } from "../helpers/auth";
import { launchBrowser, recordProblems } from "../helpers/browser";
import { passThroughLiveSocket } from "../helpers/live-socket";
import { inflate } from "../helpers/replay";
import { startReplaySite } from "../helpers/replay-site";
import { eventually, HUMAN_BROWSER_ARGS } from "../helpers/spa-site";

const TYPED = "Ada Lovelace TYPED-SECRET-50";
const SECRETS = [TYPED, "TYPED-SECRET", "BLOCKED-SECRET-51", "BLOCKED-ATTR-SECRET-52", "REDACTED-SECRET-53"];

let t: TestApp;
let login: LoggedIn;
let browser: Browser | null;
beforeAll(async () => {
  t = await startTestApp();
  login = await loginAs(t);
  browser = await launchBrowser(HUMAN_BROWSER_ARGS);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
}, 60_000);

/** Everything recorded for the environment so far, as one JSON text. */
async function recorded(envId: string, sessionId?: number): Promise<{ text: string; sessionId: number | null }> {
  const rows = await t.ctx.db.select().from(replayChunks)
    .where(and(eq(replayChunks.envId, envId), sessionId === undefined ? undefined : eq(replayChunks.sessionId, sessionId))).orderBy(replayChunks.seq);
  return { text: JSON.stringify(rows.flatMap((r) => inflate(r.data))), sessionId: rows[0]?.sessionId ?? null };
}

/**
 * Playwright injects the problem recorder into every new document, and rrweb's iframe is one (each
 * rebuild of a page): its sandbox, which allows no scripts, refuses it. That refusal is the sandbox at
 * work, not a problem of the page.
 */
const SANDBOX_REFUSED = /^console: Blocked script execution in '.*\/replay' because the document's frame is sandboxed and the 'allow-scripts' permission is not set\.$/;
const realProblems = (all: string[]) => all.filter((p) => !SANDBOX_REFUSED.test(p));

async function openSessionPage(sessionId: number): Promise<{ page: Page; player: Frame; problems: Awaited<ReturnType<typeof recordProblems>> }> {
  const [s] = await t.ctx.db.select().from(sessions).where(and(eq(sessions.envId, t.env.id), eq(sessions.id, sessionId)));
  const context = await browser!.newContext({ viewport: { width: 1400, height: 900 } });
  await login.addToBrowser(context);
  await passThroughLiveSocket(context);
  const page = await context.newPage();
  const problems = await recordProblems(page);
  await page.goto(`${t.url}/e/${t.env.id}/users/${s.userId}/sessions/${s.id}`);
  const player = await (await page.waitForSelector("#replay-frame")).contentFrame();
  await player!.waitForSelector('body[data-state="ready"]', { state: "attached", timeout: 20_000 });
  // Every chunk stored so far has been read (a seek before that lands on what has arrived).
  await player!.waitForFunction(() => (window as unknown as { __loupeLoadedMs?: number }).__loupeLoadedMs !== undefined);
  return { page, player: player!, problems };
}
/** The page as rebuilt by the player, inside rrweb's sandboxed iframe. */
async function replayed(player: Frame): Promise<Frame> {
  return (await (await player.waitForSelector(".replayer-wrapper > iframe", { state: "attached" })).contentFrame())!;
}
/**
 * Waits until the rebuilt page shows `text` in `selector`. Polled from the player's document (same
 * origin): nothing polls inside rrweb's iframe, where no script may run.
 */
function replayShows(player: Frame, selector: string, text: string, timeout = 30_000) {
  return player.waitForFunction(([sel, want]) => {
    const doc = document.querySelector<HTMLIFrameElement>(".replayer-wrapper > iframe")?.contentDocument;
    return doc?.querySelector(sel)?.textContent === want;
  }, [selector, text] as const, { timeout });
}

test("a recorded visit plays on its session page: inputs masked, blocked elements absent, the recorded state reached; clicking an event jumps to it", async () => {
  if (!browser) return;
  const site = startReplaySite(t.url, t.env.id, { replay: true, batchInterval: 200 });
  try {
    const visitor = await browser.newPage();
    await visitor.goto(site.url);
    await visitor.fill("#name", TYPED);
    await visitor.click("#pay");
    // Recording times and event times are each corrected by their own upload's clock reading (a few ms
    // apart, more under load): the navigation waits until the click's chunk is stored, so the moment of
    // the click and the moment of the navigation are seconds apart in the replay.
    await eventually(() => recorded(t.env.id), (r) => r.text.includes("Paid"), "the chunk of the click", 20_000, (r) => r.text.length);
    await visitor.click("#next"); // an SPA navigation: one recording goes on
    await visitor.waitForURL(/\/done$/);
    const rec = await eventually(() => recorded(t.env.id), (r) => r.text.includes("Order complete"), "the recording of the SPA navigation", 20_000, (r) => r.text.length);
    for (const secret of SECRETS) expect(rec.text).not.toContain(secret);
    await visitor.close();

    const { page, player, problems } = await openSessionPage(rec.sessionId!);
    // The end of the timeline: the page as the visit left it. (Its last chunk may still be arriving,
    // sent as the visitor's page closed: a seek lands on what has arrived, so seek again until it is there.)
    const box = (await player.locator("#timeline").boundingBox())!;
    await eventually(async () => {
      await player.locator("#timeline").click({ position: { x: box.width - 1, y: box.height / 2 } });
      return player.evaluate(() => document.querySelector<HTMLIFrameElement>(".replayer-wrapper > iframe")?.contentDocument?.getElementById("title")?.textContent);
    }, (title) => title === "Thank you", "the replayed page's final state", 30_000);
    const frame = await replayed(player);
    expect(await frame.textContent("#status")).toBe("Paid");
    expect(await frame.textContent("#thanks")).toBe("Order complete");
    expect(await frame.inputValue("#name")).toBe("*".repeat(TYPED.length));
    expect(await frame.textContent("#account")).toMatch(/^\*+$/);
    const html = await frame.content();
    for (const secret of SECRETS) expect(html).not.toContain(secret);

    // Clicking an event jumps to its moment (the click on "Pay now": before the SPA navigation), and
    // that event is the one highlighted as playing.
    const pay = page.locator("#session-events li.event", { hasText: "Pay now" });
    const payAt = Date.parse((await pay.locator("time").getAttribute("datetime"))!);
    await pay.locator(".event-link").click();
    await player.waitForFunction((at) => Math.abs(Number(document.body.dataset.at) - at) <= 1, payAt);
    await replayShows(player, "#title", "Checkout");
    expect(await frame.inputValue("#name")).toBe("*".repeat(TYPED.length));
    await page.waitForSelector('#session-events li.event[data-playing="true"]', { state: "attached" });
    expect(await page.locator('#session-events li.event[data-playing="true"]').textContent()).toContain("Pay now");
    // The timeline shows the session's events as marks.
    expect(await player.locator("#marks .mark").count()).toBeGreaterThanOrEqual(4);
    expect(realProblems(problems.all())).toEqual([]);
    await page.context().close();
  } finally {
    site.close();
  }
});

test("with the Settings switch on, a live session's new chunks arrive over the page's socket while it plays", async () => {
  if (!browser) return;
  const form = new URLSearchParams({ replayEnabled: "on", samplePercent: "100" });
  const saved = await login.fetch(`/e/${t.env.id}/settings/replay`, { method: "POST", body: form, redirect: "manual" });
  expect(saved.status).toBe(303);
  // A fresh environment-settings read: the switch applies to this environment's next collection answers.
  const site = startReplaySite(t.url, t.env.id, { batchInterval: 200 });
  try {
    const visitor = await browser.newPage();
    await visitor.goto(`${site.url}/?live`);
    await visitor.fill("#name", "x");
    const before = await recorded(t.env.id);
    // Ingestion re-reads environment settings every few seconds: the visitor goes on clicking, and one
    // of the collection answers carries the switch.
    const rec = await eventually(async () => {
      await visitor.click("#title");
      return t.ctx.db.select().from(replayChunks).where(eq(replayChunks.envId, t.env.id));
    }, (rows) => rows.some((r) => r.sessionId !== before.sessionId), "a recording started by the Settings switch", 30_000, (r) => r.length);
    const sessionId = rec.find((r) => r.sessionId !== before.sessionId)!.sessionId;

    const { player, problems } = await openSessionPage(sessionId);
    await player.waitForSelector('#live[aria-pressed="true"]', { state: "attached" });
    // The visitor acts while the player is open: once its chunk is stored, it reaches the player live.
    await visitor.click("#pay");
    await eventually(() => recorded(t.env.id, sessionId), (r) => r.text.includes("Paid"), "the chunk of the click", 20_000, (r) => r.text.length);
    await replayShows(player, "#status", "Paid");
    expect(Number(await player.evaluate(() => document.body.dataset.liveChunks ?? 0))).toBeGreaterThan(0);
    expect(realProblems(problems.all())).toEqual([]);
    await visitor.close();
  } finally {
    site.close();
  }
});
