// Chromium on Settings: change name and time zone, toggle privacy, create an environment, and switch
// environments with the dropdown (keyboard included) while staying in the same section.
import { expect, test } from "bun:test";
import { getEnvironment, listEnvironments } from "../../src/environments/environments";
import { recordProblems } from "../helpers/browser";
import { useBrowserApp } from "../helpers/browser-app";
import { passThroughLiveSocket } from "../helpers/live-socket";

const fx = useBrowserApp();

test("change settings through the page and switch environments keeping the section", async () => {
  if (!fx.browser) return;
  const context = await fx.browser.newContext({ viewport: { width: 1366, height: 768 } });
  await fx.login.addToBrowser(context);
  await passThroughLiveSocket(context);
  const page = await context.newPage();
  const problems = await recordProblems(page, (status, url) => status === 400 && url.endsWith("/settings"));
  await page.goto(`${fx.t.url}/e/${fx.t.env.id}/settings`);

  // A refused value comes back on the page, with what was typed kept.
  await page.fill("#env-name", "   ");
  await page.evaluate(() => document.querySelector<HTMLInputElement>("#env-name")!.removeAttribute("required"));
  await page.click("text=Save >> nth=0");
  // Failed once in CI (no error box within 30 s, not reproduced since): say what the page shows instead.
  await page.waitForSelector(".error-box", { timeout: 15_000 }).catch(async (err) => {
    const shown = await page.evaluate(() => document.body?.innerText.slice(0, 400)).catch((e) => String(e));
    throw new Error(`${err}
at ${page.url()}: ${shown}
problems: ${problems.all()}`);
  });
  await expect(page.locator(".error-box").textContent()).resolves.toContain("Name: must not be empty");

  await page.fill("#env-name", "Storefront");
  await page.selectOption("#env-tz", "Asia/Tokyo");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.waitForURL(/saved=general/);
  await expect(page.locator(".notice").textContent()).resolves.toBe("Name and time zone saved.");
  await expect(page.locator("#env-tz").inputValue()).resolves.toBe("Asia/Tokyo");
  expect(await getEnvironment(fx.t.ctx.db, fx.t.env.id)).toMatchObject({ name: "Storefront", timeZone: "Asia/Tokyo" });

  await page.check('input[name="respectDnt"]');
  await page.getByRole("button", { name: "Save privacy settings" }).click();
  await page.waitForURL(/saved=privacy/);
  expect((await getEnvironment(fx.t.ctx.db, fx.t.env.id))?.settings).toMatchObject({ respectDnt: true, storeIp: false });
  await expect(page.locator("#snippet-tag").textContent()).resolves.toContain('"respectDnt":true');

  await page.fill("#new-env-name", "Mobile app");
  await page.getByRole("button", { name: "Create environment" }).click();
  await page.waitForURL(/saved=environment/);
  const created = (await listEnvironments(fx.t.ctx.db)).find((e) => e.name === "Mobile app")!;
  expect(page.url()).toBe(`${fx.t.url}/e/${created.id}/settings?saved=environment`);

  // The switcher: keyboard-open, lists both, goes to the other environment's Settings.
  const summary = page.locator(".env-switcher summary");
  await summary.focus();
  await page.keyboard.press("Enter");
  await expect(page.locator(".env-switcher[open]").count()).resolves.toBe(1);
  await page.keyboard.press("Escape");
  await expect(page.locator(".env-switcher[open]").count()).resolves.toBe(0);
  await summary.click();
  await page.locator(".dropdown-menu a", { hasText: "Storefront" }).click();
  await page.waitForURL(`${fx.t.url}/e/${fx.t.env.id}/settings`);
  await expect(page.locator("#env-name").inputValue()).resolves.toBe("Storefront");
  // Only sections that exist are in the nav.
  await expect(page.locator("nav.nav a").allTextContents()).resolves.toEqual(["Users", "Segments", "Wall", "Settings"]);

  await page.screenshot({ path: "test-output/settings-saved-1366.png" });
  // The one refused form above answers 400 on purpose; Chromium logs that status to the console.
  expect(problems.all().filter((p) => !p.includes("status of 400"))).toEqual([]);
  expect(problems.consoleErrors.length).toBeLessThanOrEqual(1);
  await context.close();
}, 120_000);
