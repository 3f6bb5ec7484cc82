// The wall's figures against seeded data: every number is checked, not just "it moves".
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { events, segments } from "../../src/db/schema";
import { createEnvironment, type Environment } from "../../src/environments/environments";
import { MinuteCache, maskedIdentifier, wallFigures } from "../../src/live/wall-figures";
import { wallCounter } from "../../src/live/wall-view";
import { zonedMidnight, localDay } from "../../src/filters/timeline";
import { testDatabase, type TestDatabase } from "../helpers/db";
import { minutesAgo, seedEvent, seedSession, seedUser } from "../helpers/fixtures";

setDefaultTimeout(60_000);

let db: TestDatabase;
let env: Environment;
const ctx = () => ({ db: db.db, countQuery: () => {} });
const NOW = Date.now();

beforeAll(async () => {
  db = await testDatabase();
  // Pacific/Kiritimati (UTC+14) puts "today" far from UTC's, so a UTC-day bug shows.
  env = await createEnvironment(db.db, "Wall test", "Pacific/Kiritimati");
  const alice = await seedUser(db.db, env.id, { identity: "alice@acme.test" });
  const bob = await seedUser(db.db, env.id, { properties: { email: "bob@acme.test", plan: "pro" } });
  const old = await seedUser(db.db, env.id, { identity: "old@acme.test" });

  const a1 = await seedSession(db.db, env.id, { userId: alice.id, startedAt: minutesAgo(3, new Date(NOW)), lastAt: minutesAgo(1, new Date(NOW)), city: "Paris", country: "France", region: null });
  for (const [m, path] of [[3, "/"], [2, "/pricing"], [1, "/pricing"]] as const) await seedEvent(db.db, env.id, { sessionId: a1.id, time: minutesAgo(m, new Date(NOW)), type: "pageview", path });
  const b1 = await seedSession(db.db, env.id, { userId: bob.id, source: "ios", startedAt: minutesAgo(2, new Date(NOW)), lastAt: minutesAgo(0.5, new Date(NOW)) });
  await seedEvent(db.db, env.id, { sessionId: b1.id, time: minutesAgo(2, new Date(NOW)), type: "screen_view", path: null, title: "Cart" });
  for (let i = 0; i < 3; i++) await seedEvent(db.db, env.id, { sessionId: b1.id, time: new Date(NOW - 20_000 + i * 200), type: "touch", path: null, targetText: "Buy", hierarchy: "body|button#buy", rage: true });
  // Active 40 minutes ago: in the chart and today's sessions, not in "active now" or the new-session feed.
  const o1 = await seedSession(db.db, env.id, { userId: old.id, startedAt: minutesAgo(45, new Date(NOW)), lastAt: minutesAgo(40, new Date(NOW)) });
  await seedEvent(db.db, env.id, { sessionId: o1.id, time: minutesAgo(40, new Date(NOW)), type: "custom", name: "signup" });
  // One burst on a nav link: the first click navigates (the others land on the new page) and marks the link active.
  const carol = await seedUser(db.db, env.id, { identity: "carol@acme.test" });
  const c1 = await seedSession(db.db, env.id, { userId: carol.id, startedAt: minutesAgo(1, new Date(NOW)) });
  for (const [i, path, cls] of [[0, "/", ""], [1, "/pricing", ".active"], [2, "/pricing", ".active.focus"]] as const) {
    await seedEvent(db.db, env.id, { sessionId: c1.id, time: new Date(NOW - 10_000 + i * 150), type: "click", path, targetText: "Pricing", hierarchy: `body > nav > a.nav${cls}[data-nav="pricing"]`, rage: true });
  }
  // An event in the minute under way: counted apart, never drawn as a (partial, so low) point.
  await seedEvent(db.db, env.id, { sessionId: c1.id, time: new Date(NOW), type: "custom", name: "tick" });
  await db.db.insert(segments).values({ envId: env.id, name: "Pro users", filters: { groups: [[{ k: "user", s: "custom", key: "plan", op: "eq", v: "pro" }]] } });
});
afterAll(() => db.close());

describe("wall figures", () => {
  test("active now, sessions today in the environment's zone, the per-minute chart, feed, rage and top pages", async () => {
    const f = await wallFigures(ctx(), env, { mask: false, minutes: new MinuteCache(), counter: null }, NOW);
    expect(f.active).toBe(3);
    const midnight = zonedMidnight(localDay(new Date(NOW), env.timeZone), env.timeZone).getTime();
    expect(f.sessionsToday).toBe([45, 3, 2, 1].filter((m) => NOW - m * 60_000 >= midnight).length);
    // 60 completed minutes, ending where the current minute starts; the current one is apart.
    expect(f.perMinute).toHaveLength(60);
    expect(f.minuteStart + 60 * 60_000).toBe(Math.floor(NOW / 60_000) * 60_000);
    expect(f.thisMinute).toBeGreaterThanOrEqual(1);
    expect(f.perMinute.reduce((a, b) => a + b, 0) + f.thisMinute).toBe(3 + 1 + 3 + 1 + 3 + 1);
    expect(f.feed.map((s) => s.who)).toEqual(["carol@acme.test", "bob@acme.test", "alice@acme.test"]);
    expect(f.feed[2]).toMatchObject({ where: "Paris, France", source: "web", page: "/pricing" });
    expect(f.feed[1]).toMatchObject({ source: "ios", page: "Cart" });
    // A burst is one entry: not split by the classes the page toggled, nor by the page its first click opened.
    expect(f.rage.map((r) => [r.who, r.target, r.clicks, r.page])).toEqual([["carol@acme.test", "Pricing", 3, "/"], ["bob@acme.test", "Buy", 3, ""]]);
    expect(f.topPages).toEqual([{ page: "/", users: 1 }, { page: "/pricing", users: 1 }, { page: "Cart", users: 1 }].sort((a, b) => a.page.localeCompare(b.page)));
  });

  test("masked identities show only the first digits of the user id", async () => {
    const f = await wallFigures(ctx(), env, { mask: true, minutes: new MinuteCache(), counter: null }, NOW);
    for (const s of [...f.feed, ...f.rage]) expect(s.who).toMatch(/^User \d{1,4}…$/);
    expect(JSON.stringify(f)).not.toContain("acme.test");
    expect(maskedIdentifier(1234567890)).toBe("User 1234…");
  });

  test("counters: users of a saved segment active today, or today's count of one event", async () => {
    const [seg] = await db.db.select().from(segments);
    const bySegment = await wallCounter(db.db, env.id, { segmentId: seg.id, event: null });
    const f1 = await wallFigures(ctx(), env, { mask: false, minutes: new MinuteCache(), counter: bySegment }, NOW);
    expect(f1.counter).toEqual({ label: "Pro users", unit: "users active today", value: 1 });
    const byEvent = await wallCounter(db.db, env.id, { segmentId: null, event: "pageview" });
    const f2 = await wallFigures(ctx(), env, { mask: false, minutes: new MinuteCache(), counter: byEvent }, NOW);
    expect(f2.counter?.value).toBe(3);
    const custom = await wallCounter(db.db, env.id, { segmentId: null, event: "signup" });
    const midnight = zonedMidnight(localDay(new Date(NOW), env.timeZone), env.timeZone).getTime();
    expect((await wallFigures(ctx(), env, { mask: false, minutes: new MinuteCache(), counter: custom }, NOW)).counter?.value).toBe(NOW - 40 * 60_000 >= midnight ? 1 : 0);
    expect(await wallCounter(db.db, env.id, { segmentId: 999_999, event: null })).toBeNull();
  });

  test("completed minutes are cached: a later refresh recounts only the last two minutes", async () => {
    const minutes = new MinuteCache();
    const first = await wallFigures(ctx(), env, { mask: false, minutes, counter: null }, NOW);
    // Tamper with the database behind the cache's back: an old minute is not re-read, the current one is.
    await db.db.delete(events);
    const again = await wallFigures(ctx(), env, { mask: false, minutes, counter: null }, NOW);
    expect(again.perMinute.slice(0, 59)).toEqual(first.perMinute.slice(0, 59));
    expect(again.perMinute.slice(59)).toEqual([0]);
    expect(again.thisMinute).toBe(0);
  });
});
