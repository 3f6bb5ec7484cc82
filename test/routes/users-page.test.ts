import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { csvCell } from "../../src/users/csv";
import { clearSuggestionCache } from "../../src/filters/suggestions";
import { driver } from "../helpers/db";
import { startTestApp, type TestApp } from "../helpers/app";
import { loginAs, type LoggedIn } from "../helpers/auth";
import { seedScenario, seedUser, seedVisit, minutesAgo, type Scenario } from "../helpers/fixtures";

const f = (group: unknown) => `f=${encodeURIComponent(JSON.stringify(group))}`;

describe(`users list over HTTP (${driver})`, () => {
  let t: TestApp;
  let me: LoggedIn;
  let s: Scenario;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp();
    s = await seedScenario(t.ctx.db, t.env.id);
    me = await loginAs(t);
    base = `/e/${t.env.id}`;
  }, 60_000);
  afterAll(() => t.close(), 60_000);

  test("/e/:env lands on the Users page, which lists users with the count", async () => {
    const r = await me.fetch(base, { redirect: "manual" });
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe(`${base}/users`);
    const html = await (await me.fetch(`${base}/users`)).text();
    expect(html).toContain(`id="user-${s.alice.id}"`);
    expect(html).toContain("<strong>3</strong> users");
    expect(html.indexOf(`user-${s.alice.id}`)).toBeLessThan(html.indexOf(`user-${s.bob.id}`));
  });

  test("a new environment explains how to get data in", async () => {
    const { createEnvironment } = await import("../../src/environments/environments");
    const fresh = await createEnvironment(t.ctx.db, "Brand new");
    const html = await (await me.fetch(`/e/${fresh.id}/users`)).text();
    expect(html).toContain("No users yet");
    expect(html).toContain(`href="/e/${fresh.id}/settings"`);
    expect(html).toContain("loupe demo");
    expect(html).toContain("npm run demo");
    const none = await (await me.fetch(`${base}/users?q=zzzz-nobody`)).text();
    expect(none).toContain("No users match");
    expect(none).toContain("Clear filters and search");
  });

  test("a hostile filter URL shows a clear message on the page; fragments and CSV answer 400", async () => {
    const page = await me.fetch(`${base}/users?f=${encodeURIComponent("[{\"k\":\"sql\",\"raw\":\"1=1; drop table users\"}]")}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("could not be read");
    expect(html).toContain("Filter group 1 is not a valid filter");
    for (const path of [`${base}/users-list/results?f=nope`, `${base}/users.csv?t=9y`, `${base}/users-list/more?f=[]&cursor=x`]) {
      const r = await me.fetch(path);
      expect(r.status).toBe(400);
    }
    const bad = await me.fetch(`${base}/users-list/more?cursor=${encodeURIComponent("1.last.x.1")}`);
    expect(bad.status).toBe(400);
  });

  test("the builder turns form fields into a filter in the URL (303 to the canonical view)", async () => {
    const qs = new URLSearchParams({ add: "1", bk: "user", bkey: "custom:plan", bop: "eq", bv: "pro", bg: "new" });
    const r = await me.fetch(`${base}/users?${qs}`, { redirect: "manual" });
    expect(r.status).toBe(303);
    const loc = r.headers.get("location")!;
    expect(decodeURIComponent(loc)).toContain(`f=[{"k":"user","s":"custom","key":"plan","op":"eq","v":"pro"}]`);
    const html = await (await me.fetch(loc)).text();
    expect(html).toContain(`user-${s.alice.id}`);
    expect(html).not.toContain(`user-${s.bob.id}"`);
    const missing = await (await me.fetch(`${base}/users?${new URLSearchParams({ add: "1", bk: "user", bkey: "custom:plan", bop: "gt", bv: "lots" })}`)).text();
    expect(missing).toContain("Filter not added");
  });

  test("NUL characters and junk in every parameter never reach PostgreSQL (no 500s)", async () => {
    const junk = encodeURIComponent("a\u0000'\"<x>");
    const paths = [
      `${base}/users?q=${junk}`, `${base}/users-list/results?q=${junk}`, `${base}/users.csv?q=${junk}`,
      `${base}/users-list/suggest?bk=user&bkey=custom:${junk}&bv=${junk}`, `${base}/users-list/suggest?bk=eprop&bevent=custom:${junk}&bkey=${junk}&bv=${junk}`,
      `${base}/users-list/builder?bk=eprop&bevent=custom:${junk}`, `${base}/users-list/row/${s.bob.id}?q=${junk}`,
      `${base}/users-list/row/${junk}`, `${base}/users?add=1&bk=user&bkey=custom:${junk}&bop=eq&bv=${junk}`,
      `${base}/users?t=range&from=0000-01-01&to=0001-01-01`, `${base}/users-list/more?cursor=${junk}`,
    ];
    for (const path of paths) {
      const r = await me.fetch(path, { redirect: "manual" });
      expect(`${r.status} ${path}`).not.toStartWith("5");
    }
  });

  test("the count line reads as a sentence for every timeline choice", async () => {
    const line = async (qs: string) => {
      const html = await (await me.fetch(`${base}/users?${qs}`)).text();
      const p = /<p class="count" id="users-count">([\s\S]*?)<span class="muted">/.exec(html)![1];
      return p.replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim();
    };
    expect(await line("")).toBe("3 users active in the past 7 days");
    expect(await line("t=24h")).toBe("3 users active in the past 24 hours");
    expect(await line("t=1d")).toMatch(/^\d+ users? active today$/);
    expect(await line("t=30d")).toBe("4 users active in the past 30 days");
    expect(await line("t=90d")).toBe("4 users active in the past 90 days");
    expect(await line("t=14d")).toBe("3 users active in the past 14 days");
    expect(await line("t=all")).toBe("4 users active at any time");
    expect(await line("t=range&from=2026-12-01&to=2026-12-01")).toMatch(/^\d+ users? active on 1 Dec 2026$/);
    expect(await line("t=range&from=2020-01-01&to=2020-01-31")).toBe("0 users active between 1 Jan 2020 and 31 Jan 2020");
    expect(await line(`q=alice`)).toBe("1 matching user active in the past 7 days");
    const none = await (await me.fetch(`${base}/users?t=range&from=2020-01-01&to=2020-01-31`)).text();
    expect(none).toContain("Nobody was active between 1 Jan 2020 and 31 Jan 2020.");
  });

  test("toolbar: past N days and dates fold into a clean URL", async () => {
    const r = await me.fetch(`${base}/users?toolbar=1&t=custom&days=14&from=&to=&q=`, { redirect: "manual" });
    expect(r.headers.get("location")).toBe(`${base}/users?t=14d`);
  });

  test("row fragment (expanded) shows key properties and latest sessions", async () => {
    const html = await (await me.fetch(`${base}/users-list/row/${s.alice.id}?expanded=1`)).text();
    expect(html).toStartWith(`<tbody id="user-${s.alice.id}"`);
    expect(html).toContain("Key properties");
    expect(html).toContain("Latest sessions");
    expect(html).toContain("Berlin");
    // Each session opens in place to its first events (a fragment of the session's own read).
    const preview = /hx-get="([^"]+\/preview)"/.exec(html)![1];
    const events = await (await me.fetch(preview, { headers: { "hx-request": "true" } })).text();
    expect(events).toContain('class="mini-event rage-event"');
    expect(events).toContain("Checkout failed");
    expect(events).toContain("Open this session →");
  });

  test("suggestions: top values as you type, as datalist options", async () => {
    clearSuggestionCache();
    const html = await (await me.fetch(`${base}/users-list/suggest?bk=user&bkey=custom:plan&bv=`)).text();
    expect(html).toContain(`<datalist id="bv-options">`);
    for (const v of ["pro", "free", "enterprise"]) expect(html).toContain(`value="${v}"`);
    const typed = await (await me.fetch(`${base}/users-list/suggest?bk=user&bkey=custom:plan&bv=ENT`)).text();
    expect(typed).toContain(`value="enterprise"`);
    expect(typed).not.toContain(`value="pro"`);
    const ev = await (await me.fetch(`${base}/users-list/suggest?bk=eprop&bevent=raw:pageview&bkey=path&bv=pri`)).text();
    expect(ev).toContain(`value="/pricing"`);
    const builder = await (await me.fetch(`${base}/users-list/builder?bk=eprop`)).text();
    expect(builder).toContain(`value="custom:Checkout failed"`);
  });

  test("CSV export streams the filtered list, escaping formulas", async () => {
    const evil = await seedUser(t.ctx.db, t.env.id, { identity: "=HYPERLINK(\"http://x\")", properties: { email: "+1@x.test, \"quoted\"" } });
    await seedVisit(t.ctx.db, t.env.id, evil.id, minutesAgo(1), [{ type: "pageview" }]);
    const r = await me.fetch(`${base}/users.csv?${f([{ k: "user", s: "identity", op: "set" }, { k: "user", s: "custom", key: "email", op: "contains", v: "+1" }])}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("text/csv");
    expect(r.headers.get("content-disposition")).toContain("attachment");
    const text = await r.text();
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toStartWith("user_id,identifier,identity,email");
    expect(lines[0]).toEndWith(",first_city,app_version,company,plan,seats"); // every custom property seen
    expect(lines[1]).toMatch(/,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00,/);
    const chosen = await (await me.fetch(`${base}/users.csv?t=all&prop=plan&prop=seats`)).text();
    expect(chosen.split("\r\n")[0]).toEndWith(",first_city,plan,seats");
    const refused = await me.fetch(`${base}/users.csv?prop=`);
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.field).toBe("prop.0");
    expect(lines.length).toBe(3); // header, the formula user, Alice (identified, in the past 7 days)
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(text).toContain(`"'+1@x.test, ""quoted"""`);
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@cmd")).toBe("'@cmd");
    expect(csvCell("plain")).toBe("plain");
  });

  test("segments: save with CSRF, list, open, rename, delete; no CSRF is refused", async () => {
    const group = JSON.stringify([{ k: "user", s: "custom", key: "plan", op: "eq", v: "pro" }]);
    const refused = await fetch(`${t.url}${base}/segments`, { method: "POST", headers: { cookie: me.cookie, origin: t.url }, body: new URLSearchParams({ name: "Pro", f: group }), redirect: "manual" });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const saved = await me.fetch(`${base}/segments`, { method: "POST", body: new URLSearchParams({ name: "Pro users", f: group, return: "t=30d" }), redirect: "manual" });
    expect(saved.status).toBe(303);
    const loc = saved.headers.get("location")!;
    expect(loc).toContain("t=30d");
    expect(loc).toContain("segment=");
    const users = await (await me.fetch(loc)).text();
    expect(users).toContain("Segment: <strong>Pro users</strong>");
    const dup = await me.fetch(`${base}/segments`, { method: "POST", body: new URLSearchParams({ name: "Pro users", f: group }), redirect: "manual" });
    expect(decodeURIComponent(dup.headers.get("location")!.replace(/\+/g, " "))).toContain("already exists");
    const list = await (await me.fetch(`${base}/segments`)).text();
    const id = /segment-(\d+)/.exec(list)![1];
    expect(list).toContain("plan equals “pro”");
    const open = await me.fetch(`${base}/segments/${id}/open`, { redirect: "manual" });
    expect(open.headers.get("location")).toContain(`segment=${id}`);
    const renamed = await (await me.fetch(`${base}/segments/${id}/rename`, { method: "POST", body: new URLSearchParams({ name: "<b>Paying</b>" }) })).text();
    expect(renamed).toContain("&lt;b&gt;Paying&lt;/b&gt;");
    const deleted = await me.fetch(`${base}/segments/${id}/delete`, { method: "POST", body: new URLSearchParams({}) });
    expect(deleted.status).toBe(200);
    expect(await deleted.text()).toContain("No segments yet");
  });
});
