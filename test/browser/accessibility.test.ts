// axe-core in Chromium: no serious or critical violations on the users list, a user page, a session
// page (with an event panel open) and settings, in light and dark themes, at 1366×768 and 1920×1080.
import { expect, test } from "bun:test";
import AxeBuilder from "@axe-core/playwright";
import { recordProblems } from "../helpers/browser";
import { useBrowserApp } from "../helpers/browser-app";
import { passThroughLiveSocket } from "../helpers/live-socket";
import { seedScenario } from "../helpers/fixtures";

let pages: Record<string, string>;

const fx = useBrowserApp(async ({ t }) => {
  const s = await seedScenario(t.ctx.db, t.env.id);
  const [session] = await t.ctx.db.query.sessions.findMany({ where: (x, { eq }) => eq(x.userId, s.alice.id), orderBy: (x, { desc }) => desc(x.startedAt) });
  const [rage] = await t.ctx.db.query.events.findMany({ where: (x, { and, eq }) => and(eq(x.sessionId, session.id), eq(x.rage, true)) });
  const e = `/e/${t.env.id}`;
  pages = {
    users: `${e}/users`,
    user: `${e}/users/${s.alice.id}`,
    session: `${e}/users/${s.alice.id}/sessions/${session.id}?event=${rage.id}`,
    settings: `${e}/settings`,
  };
});

for (const scheme of ["light", "dark"] as const) {
  test(`no serious or critical axe violations, ${scheme} theme`, async () => {
    if (!fx.browser) return;
    const context = await fx.browser.newContext({ viewport: { width: 1366, height: 768 }, colorScheme: scheme });
    await fx.login.addToBrowser(context);
    await passThroughLiveSocket(context);
    const page = await context.newPage();
    const problems = await recordProblems(page);
    const found: string[] = [];
    for (const [name, path] of Object.entries(pages)) {
      const res = await page.goto(`${fx.t.url}${path}`);
      expect(res?.status()).toBe(200);
      const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
      for (const v of result.violations) {
        if (v.impact === "serious" || v.impact === "critical") {
          found.push(`${name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
        }
      }
      for (const size of [[1366, 768], [1920, 1080]] as const) {
        await page.setViewportSize({ width: size[0], height: size[1] });
        expect(await page.evaluate(() => [document.documentElement, ...document.querySelectorAll(".table-wrap, .panel")].every((el) => el.scrollWidth <= el.clientWidth + 1))).toBe(true);
        await page.screenshot({ path: `test-output/${name}-${size[0]}-${scheme}.png` });
      }
      await page.setViewportSize({ width: 1366, height: 768 });
    }
    if (found.length) console.error(found.join("\n"));
    expect(found).toEqual([]);
    expect(problems.all()).toEqual([]);
    await context.close();
  }, 120_000);
}
