// The snippet in a real single-page app on another origin, through the real collection endpoint into
// the real database: pageviews (incl. SPA route changes), clicks, changes, a submit, identify, user
// properties, a rage click, the stored hierarchies, and no typed secret anywhere.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { launchBrowser, recordProblems } from "../helpers/browser";
import { startTestApp, type TestApp } from "../helpers/app";
import { eventually, HUMAN_BROWSER_ARGS, startSpaSite, type SpaSite } from "../helpers/spa-site";
import { everythingStored, storedEvents, storedSessions, storedUsers } from "../helpers/stored";
import expectedHierarchies from "../fixtures/spa/expected-hierarchies.json";

const SECRETS = { password: "hunter2-PW-SECRET-71", bio: "BIO-SECRET-TEXT-93", search: "SEARCH-SECRET-44" };
const EMAIL = "ada.lovelace@acme.test";

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

test("a visit to a single-page app is stored with the right pages, targets, user, session and rage flags", async () => {
  if (!browser) return;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = await recordProblems(page);
  await page.goto(`${site.url}/?utm_source=newsletter&utm_campaign=fall`, { referer: "https://www.google.com/" });
  await page.waitForFunction(() => (window as { loupe?: { __loupe?: boolean } }).loupe?.__loupe === true);

  await page.click("#like svg path"); // an icon inside a button counts as the button
  await page.click(".menu-btn .icon");
  await page.click("#theme"); // toggles a class after the click is captured
  await page.click("#theme"); // ...so the second click's hierarchy carries it
  await page.click("#buy", { clickCount: 3 }); // a rage click
  await page.click("a.logo svg circle");
  await page.click("a.card p"); // a long text; SPA route change to /pricing
  await page.waitForURL(/\/pricing$/);
  await page.click("#billing"); // replaceState to ?billing=yearly
  await page.click(".plan .choose strong");
  await page.click("a.nav-link[data-route=signup]");
  await page.waitForURL(/\/signup$/);
  await page.fill("#email", EMAIL);
  await page.fill("#password", SECRETS.password);
  await page.fill("#bio", SECRETS.bio);
  await page.selectOption("#plan", "pro");
  await page.check("#terms");
  await page.click("#create"); // submit → identify, addUserProperties, pushState /welcome
  await page.waitForURL(/\/welcome$/);
  await page.click("a.anchor"); // hash change
  await page.waitForURL(/#next-steps$/);
  // Going back within the snippet's 30 ms settle time would rightly merge both moves into none.
  await eventually(() => storedEvents(t.ctx.db, t.env.id), (r) => r.some((e) => e.props.hash === "#next-steps"), "the hash pageview");
  await page.goBack(); // popstate
  await page.waitForURL(/\/welcome$/);
  await eventually(() => storedEvents(t.ctx.db, t.env.id), (r) => r.filter((e) => e.type === "pageview" && e.path === "/welcome").length === 3, "the popstate pageview");
  await page.click("a.nav-link[data-route=docs]");
  await page.fill("#search", SECRETS.search);
  await page.press("#search", "Enter");
  const userId = await page.evaluate(() => (window as unknown as { loupe: { getUserId(): string } }).loupe.getUserId());
  const sessionId = await page.evaluate(() => (window as unknown as { loupe: { getSessionId(): string } }).loupe.getSessionId());
  expect(await page.evaluate(() => (window as unknown as { loupe: { getIdentity(): string } }).loupe.getIdentity())).toBe(EMAIL);

  const rows = await eventually(() => storedEvents(t.ctx.db, t.env.id), (r) => r.filter((e) => e.type === "pageview").length >= 9 && r.some((e) => e.type === "change" && e.path === "/docs"), "the visit's events", 15_000, (r) => r.map((e) => `${e.type} ${e.path}`));
  await context.close();

  // Pageviews: the landing page, SPA pushState, replaceState, hash change, popstate; titles set after the URL.
  const pageviews = rows.filter((e) => e.type === "pageview").map((e) => [e.path, e.props.query ?? "", e.props.hash ?? "", e.title]);
  expect(pageviews).toEqual([
    ["/", "?utm_source=newsletter&utm_campaign=fall", "", "Acme Shop"],
    ["/", "", "", "Acme Shop"], // the logo link
    ["/pricing", "", "", "Pricing · Acme"],
    ["/pricing", "?billing=yearly", "", "Pricing · Acme"],
    ["/signup", "", "", "Sign up · Acme"],
    ["/welcome", "", "", "Welcome aboard · Acme"],
    ["/welcome", "", "#next-steps", "Welcome aboard · Acme"],
    ["/welcome", "", "", "Welcome aboard · Acme"],
    ["/docs", "", "#intro", "Docs · Acme"],
  ]);
  for (const e of rows) {
    expect(String(e.userId)).toBe(userId);
    expect(String(e.sessionId)).toBe(sessionId);
    expect(e.source).toBe("web");
    expect(e.domain).toBe("localhost");
  }
  expect(rows.filter((e) => e.type === "session_start")).toHaveLength(1);

  // Clicks: targets resolved to the button/link, text trimmed and capped, hierarchies as checked in.
  const clicks = rows.filter((e) => e.type === "click");
  const byText = (text: string) => clicks.filter((e) => e.targetText === text);
  expect(byText("Like")[0]).toMatchObject({ targetTag: "button", rage: false });
  expect(byText("☰ Menu")[0]).toMatchObject({ targetTag: "button", rage: false });
  expect(byText("Buy now").map((e) => e.rage)).toEqual([true, true, true]);
  expect(clicks.filter((e) => e.targetText !== "Buy now").every((e) => !e.rage)).toBe(true);
  const card = clicks.find((e) => e.targetTag === "a" && e.targetText?.startsWith("Why Acme? Acme ships"))!;
  expect(card.targetText!.length).toBe(255);
  expect(card.href).toBe(`${site.url}/pricing`);
  expect(byText("Choose Pro")[0].targetTag).toBe("button");
  const stored: Record<string, string> = {};
  for (const e of rows.filter((r) => r.hierarchy)) stored[`${e.type} ${String(e.targetText || e.props.target_id || e.targetTag).slice(0, 40)}`] ??= e.hierarchy!;
  const theme = clicks.filter((e) => e.targetText === "Dark mode").map((e) => e.hierarchy);
  expect({ ...stored, "click Dark mode (second)": theme[1] }).toEqual(expectedHierarchies);

  // A change on every field but the password; the submit names the form; identity and properties landed.
  const changes = rows.filter((e) => e.type === "change").map((e) => e.hierarchy!.split(" > ").at(-1));
  // (A textarea's change fires when it loses focus, so the order of the first fields varies.)
  expect(changes.sort()).toEqual([`input#email[name="email"][type="email"]`, `input#search.search[type="search"][name="q"]`, `input#terms[name="terms"][type="checkbox"]`, `select#plan[name="plan"]`, `textarea#bio[name="bio"]`]);
  expect(rows.filter((e) => e.type === "submit").map((e) => e.hierarchy!.split(" > ").at(-1))).toEqual([`form#signup.form[name="signup"][data-form="signup"]`]);
  const users = await storedUsers(t.ctx.db, t.env.id);
  expect(users).toHaveLength(1);
  expect(users[0]).toMatchObject({ identity: EMAIL, properties: { plan: "pro", signed_up: true } });
  expect(String(users[0].id)).toBe(userId);
  const sessions = await storedSessions(t.ctx.db, t.env.id);
  expect(sessions).toHaveLength(1);
  expect(sessions[0]).toMatchObject({ source: "web", referrer: "https://www.google.com/", utmSource: "newsletter", utmCampaign: "fall" });
  expect(sessions[0].library).toMatch(/^loupe\.js /);
  expect(sessions[0].browser).toMatch(/Chrom/);

  // Nothing typed into a field is stored, in any column or property of any table.
  const everything = (await everythingStored(t.ctx.db, t.env.id)).join("\n");
  for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
  expect(problems.all()).toEqual([]);
}, 90_000);

test("four fast clicks on a button whose classes change every 100 ms are one rage burst", async () => {
  if (!browser) return;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${site.url}/status`);
  await page.waitForFunction(() => (window as { loupe?: { __loupe?: boolean } }).loupe?.__loupe === true);
  const userId = await page.evaluate(() => (window as unknown as { loupe: { getUserId(): string } }).loupe.getUserId());
  const button = page.locator("button.retry");
  for (let i = 0; i < 4; i++) {
    const before = await button.getAttribute("class");
    await button.click();
    // The next click lands on a restyled button: wait for the page's next class change.
    if (i < 3) await page.waitForFunction((c) => document.querySelector("button.retry")!.getAttribute("class") !== c, before);
  }
  const clicks = await eventually(
    async () => (await storedEvents(t.ctx.db, t.env.id)).filter((e) => String(e.userId) === userId && e.type === "click"),
    (r) => r.length === 4, "the four clicks",
  );
  expect(new Set(clicks.map((e) => e.hierarchy)).size).toBeGreaterThan(1); // the classes did change between clicks
  const span = clicks[3].time.getTime() - clicks[0].time.getTime();
  expect(span).toBeLessThan(1000);
  expect(clicks.map((e) => e.rage)).toEqual([true, true, true, true]);
  await context.close();
}, 60_000);
