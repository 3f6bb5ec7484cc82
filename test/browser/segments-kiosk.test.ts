// Chromium on the Segments page and Settings → Kiosk links: every row's buttons can be clicked (no heading
// over the first row), the Mask identities checkbox is a checkbox, and deleting or revoking asks first.
import { expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { listKioskTokens } from "../../src/auth/kiosk";
import { segments } from "../../src/db/schema";
import { listSegments } from "../../src/filters/segments";
import { recordProblems } from "../helpers/browser";
import { useBrowserApp } from "../helpers/browser-app";
import { passThroughLiveSocket } from "../helpers/live-socket";

const fx = useBrowserApp(async ({ t, login }) => {
  const filters = { groups: [[{ k: "user", s: "custom", key: "plan", op: "eq", v: "pro" }]] };
  await t.ctx.db.insert(segments).values([{ envId: t.env.id, name: "Pro users", filters }, { envId: t.env.id, name: "Trial users", filters }]);
  for (const name of ["Office TV", "Lobby screen"]) {
    const res = await login.fetch(`/e/${t.env.id}/settings/kiosk`, { method: "POST", body: new URLSearchParams({ name, mask: "1" }) });
    expect(res.status).toBe(201);
  }
});

async function open(path: string): Promise<{ page: Page; problems: Awaited<ReturnType<typeof recordProblems>> }> {
  const context = await fx.browser!.newContext({ viewport: { width: 1366, height: 768 } });
  await fx.login.addToBrowser(context);
  await passThroughLiveSocket(context);
  const page = await context.newPage();
  const problems = await recordProblems(page);
  await page.goto(`${fx.t.url}${path}`);
  return { page, problems };
}

/** What a person pointing at the middle of each matching element would hit: "" when it is the element itself. */
const hitProblems = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) => els.map((el) => {
    el.scrollIntoView({ block: "center" });
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit && el.contains(hit) ? "" : `${el.textContent?.trim()} at ${Math.round(r.top)} is under <${hit?.tagName.toLowerCase()}> ${hit?.textContent?.trim().slice(0, 40)}`;
  }).filter(Boolean));

/** Clicks `button`, says no to the question, then yes; resolves with the question asked. */
async function refuseThenConfirm(page: Page, button: string): Promise<string> {
  const first = new Promise<string>((resolve) => page.once("dialog", (d) => { resolve(d.message()); void d.dismiss(); }));
  await page.click(button);
  const question = await first;
  page.once("dialog", (d) => void d.accept());
  await Promise.all([page.waitForEvent("load"), page.click(button)]);
  return question;
}

test("segments: the first row's buttons are clickable, and Delete asks before deleting", async () => {
  if (!fx.browser) return;
  const { page, problems } = await open(`/e/${fx.t.env.id}/segments`);
  expect(await hitProblems(page, ".segments-table tbody .btn:visible")).toEqual([]);
  const [first] = await listSegments(fx.t.ctx.db, fx.t.env.id);
  const question = await refuseThenConfirm(page, `#segment-${first.id} button.danger`);
  expect(question).toContain(`“${first.name}”`);
  await expect(page.locator(".notice").textContent()).resolves.toBe("Segment deleted.");
  // Refused once, confirmed once: exactly that segment is gone.
  expect((await listSegments(fx.t.ctx.db, fx.t.env.id)).map((s) => s.id)).not.toContain(first.id);
  expect(await listSegments(fx.t.ctx.db, fx.t.env.id)).toHaveLength(1);
  expect(problems.all()).toEqual([]);
  await page.context().close();
}, 60_000);

test("kiosk links: Revoke on the first row is clickable and asks first; Mask identities is a plain checkbox", async () => {
  if (!fx.browser) return;
  const { page, problems } = await open(`/e/${fx.t.env.id}/settings/kiosk`);
  expect(await hitProblems(page, "table.data tbody .btn:visible")).toEqual([]);
  const box = await page.locator('input[name="mask"]').boundingBox();
  expect(box!.width).toBeLessThan(30);
  await page.screenshot({ path: "test-output/kiosk-links-1366.png" });

  const [newest] = await listKioskTokens(fx.t.ctx.db, fx.t.env.id);
  const question = await refuseThenConfirm(page, `#kiosk-${newest.id} button.danger`);
  expect(question).toContain(`“${newest.name}”`);
  await expect(page.locator(`#kiosk-${newest.id}`).textContent()).resolves.toContain("Revoked");
  const states = (await listKioskTokens(fx.t.ctx.db, fx.t.env.id)).map((k) => [k.name, k.revokedAt !== null]);
  expect(states).toEqual([[newest.name, true], ["Office TV", false]]);

  // The Settings page's own list (loaded by htmx) has the same rows and questions.
  await page.goto(`${fx.t.url}/e/${fx.t.env.id}/settings`);
  await page.waitForSelector("#kiosk-links table.data");
  expect(await hitProblems(page, "#kiosk-links table.data tbody .btn:visible")).toEqual([]);
  expect(problems.all()).toEqual([]);
  await page.context().close();
}, 60_000);
