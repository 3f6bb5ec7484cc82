import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createEnvironment, type Environment } from "../../src/environments/environments";
import { parseView, DEFAULT_VIEW, type UsersView } from "../../src/filters/view";
import { countUsers, listUsers, userListRow, userMatchesView } from "../../src/users/list";
import { driver, testDatabase, type TestDatabase } from "../helpers/db";
import { daysAgo, hoursAgo, minutesAgo, seedEvent, seedScenario, seedSession, seedUser, seedVisit, type Scenario } from "../helpers/fixtures";

const view = (qs = ""): UsersView => {
  const { view, error } = parseView(new URLSearchParams(qs));
  if (error) throw new Error(error.message);
  return view;
};

describe(`users list (${driver})`, () => {
  let database: TestDatabase;
  let env: Environment;
  let s: Scenario;

  beforeAll(async () => {
    database = await testDatabase();
    env = await createEnvironment(database.db, "List", "Europe/Paris");
    s = await seedScenario(database.db, env.id);
  }, 60_000);
  afterAll(() => database.close(), 60_000);

  const ids = async (qs = "", extra: Partial<Parameters<typeof listUsers>[1]> = {}) =>
    (await listUsers(database.db, { env, view: view(qs), ...extra })).rows.map((r) => r.id);

  test("default: past 7 days, newest last activity first", async () => {
    expect(await ids()).toEqual([s.alice.id, s.anon.id, s.bob.id]);
    expect(await countUsers(database.db, { env, view: DEFAULT_VIEW })).toBe(3);
  });

  test("timelines: 24 h, 30 days, all time, past N days, between two dates", async () => {
    expect(await ids("t=24h")).toEqual([s.alice.id, s.anon.id, s.bob.id]);
    expect(await ids("t=30d")).toEqual([s.alice.id, s.anon.id, s.bob.id, s.server.id]);
    expect(await ids("t=all")).toEqual([s.alice.id, s.anon.id, s.bob.id, s.server.id]);
    expect(await ids("t=15d")).toEqual([s.alice.id, s.anon.id, s.bob.id]);
    expect(await ids("t=25d")).toEqual([s.alice.id, s.anon.id, s.bob.id, s.server.id]);
    // Alice was active 40 days ago and again recently: she had activity in a window around day 40,
    // and is ranked there by her activity inside it.
    const day = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(d);
    expect(await ids(`t=range&from=${day(daysAgo(41))}&to=${day(daysAgo(39))}`)).toEqual([s.alice.id]);
    expect(await ids(`t=range&from=${day(daysAgo(21))}&to=${day(daysAgo(19))}`)).toEqual([s.server.id]);
    const [row] = (await listUsers(database.db, { env, view: view(`t=range&from=${day(daysAgo(41))}&to=${day(daysAgo(39))}`) })).rows;
    expect(row.events).toBe(2);
    expect(row.sessions).toBe(1);
    expect(Math.abs(row.lastActivity.getTime() - daysAgo(40).getTime())).toBeLessThan(5 * 60_000);
  });

  test("row: sessions and events in the window, rage clicks, sources, first session place", async () => {
    const { rows } = await listUsers(database.db, { env, view: view() });
    const alice = rows.find((r) => r.id === s.alice.id)!;
    expect(alice.identity).toBe("alice@acme.test");
    expect(alice.sessions).toBe(2); // the iOS visit 30 h ago and the checkout visit; not the one 40 days ago
    expect(alice.events).toBe(8);
    expect(alice.rage).toBe(2);
    expect(alice.sources.sort()).toEqual(["ios", "web"]);
    expect(alice.firstSession?.city).toBe("Paris");
    expect(alice.firstSession?.source).toBe("web");
    const all = (await listUsers(database.db, { env, view: view("t=all") })).rows.find((r) => r.id === s.alice.id)!;
    expect(all.sessions).toBe(3);
    expect(all.events).toBe(10);
  });

  test("sorts: first seen, event count", async () => {
    expect(await ids("sort=first")).toEqual([s.anon.id, s.bob.id, s.alice.id]);
    expect(await ids("sort=events&t=all")).toEqual([s.alice.id, s.bob.id, s.anon.id, s.server.id]);
  });

  test("quick search by identity, email and user id; LIKE metacharacters are literal", async () => {
    expect(await ids("q=ALICE")).toEqual([s.alice.id]);
    expect(await ids("q=example.org")).toEqual([s.bob.id]);
    expect(await ids(`q=${s.anon.id}`)).toEqual([s.anon.id]);
    expect(await ids("q=%25")).toEqual([]);
    expect(await ids("q=_")).toEqual([]);
    expect(await countUsers(database.db, { env, view: view("q=acme") })).toBe(1);
  });

  test("userMatchesView and userListRow serve single-row live updates", async () => {
    expect(await userMatchesView(database.db, { env, view: view("t=24h"), userId: s.alice.id })).toBe(true);
    expect(await userMatchesView(database.db, { env, view: view("t=24h"), userId: s.server.id })).toBe(false);
    expect(await userMatchesView(database.db, { env, view: view("q=bob"), userId: s.bob.id })).toBe(true);
    const row = await userListRow(database.db, { env, view: view(), userId: s.bob.id });
    expect(row?.events).toBe(5);
  });

  test("a bad cursor is a 400, not a 500", async () => {
    await expect(listUsers(database.db, { env, view: view(), cursor: "nope" })).rejects.toMatchObject({ status: 400, field: "cursor" });
    await expect(listUsers(database.db, { env, view: view(), cursor: "1.first.1.1" })).rejects.toMatchObject({ status: 400 });
  });
});

describe(`snapshot paging while events arrive (${driver})`, () => {
  let database: TestDatabase;
  let env: Environment;
  const now = new Date();
  const users: { id: number; session: number }[] = [];

  beforeAll(async () => {
    database = await testDatabase();
    env = await createEnvironment(database.db, "Paging");
    // 25 users, one visit each, a minute apart; two share the same last-seen instant (tie broken by id).
    for (let i = 0; i < 25; i++) {
      const at = i === 13 ? minutesAgo(12, now) : minutesAgo(i + 1, now);
      const u = await seedUser(database.db, env.id, { firstSeen: at, properties: { n: i } });
      const { session } = await seedVisit(database.db, env.id, u.id, at, [{ type: "pageview", time: at }]);
      users.push({ id: u.id, session: session.id });
    }
  }, 60_000);
  afterAll(() => database.close(), 60_000);

  for (const sort of ["last", "first", "events"] as const) {
    test(`sort=${sort}: load more never repeats or skips while users become active`, async () => {
      const v = view(`sort=${sort}`);
      const seen: number[] = [];
      let page = await listUsers(database.db, { env, view: v, limit: 7, asOf: new Date(now.getTime() + 1000) });
      seen.push(...page.rows.map((r) => r.id));
      let round = 0;
      while (page.next) {
        // New activity lands between pages: for users already shown, not yet shown, and a brand-new user.
        const touched = users[(round * 5 + 20) % users.length];
        await seedEvent(database.db, env.id, { sessionId: touched.session, type: "click", time: new Date(Date.now() + 2000) });
        const fresh = await seedUser(database.db, env.id, { firstSeen: new Date(Date.now() + 2000) });
        await seedSession(database.db, env.id, { userId: fresh.id, startedAt: new Date(Date.now() + 2000) });
        page = await listUsers(database.db, { env, view: v, limit: 7, cursor: page.next });
        seen.push(...page.rows.map((r) => r.id));
        round++;
      }
      expect(seen.length).toBe(25);
      expect(new Set(seen).size).toBe(25);
      expect(new Set(seen)).toEqual(new Set(users.map((u) => u.id)));
      if (sort === "last") expect(seen[0]).toBe(users[0].id);
    });
  }

  test("ties on the sort key break by user id numerically (not as text)", async () => {
    const e2 = await createEnvironment(database.db, "Ties");
    const at = minutesAgo(3, now);
    for (const id of [99, 1000, 5]) {
      await seedUser(database.db, e2.id, { id, firstSeen: at });
      await seedVisit(database.db, e2.id, id, at, [{ type: "pageview", time: at }]);
    }
    for (const sort of ["last", "first", "events"]) {
      const page1 = await listUsers(database.db, { env: e2, view: view(`sort=${sort}`), limit: 2, asOf: now });
      const page2 = await listUsers(database.db, { env: e2, view: view(`sort=${sort}`), cursor: page1.next! });
      expect([...page1.rows, ...page2.rows].map((r) => r.id)).toEqual([1000, 99, 5]);
    }
  });

  test("the count of matching users", async () => {
    expect(await countUsers(database.db, { env, view: view("t=all"), asOf: new Date(now.getTime() + 1000) })).toBe(25);
  });
});
