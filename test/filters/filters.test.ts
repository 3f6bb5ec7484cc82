import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createEnvironment, type Environment } from "../../src/environments/environments";
import type { Condition } from "../../src/filters/model";
import { parseView, viewParams, type UsersView } from "../../src/filters/view";
import { countUsers, listUsers } from "../../src/users/list";
import { driver, testDatabase, type TestDatabase } from "../helpers/db";
import { seedScenario, seedUser, seedVisit, hoursAgo, type Scenario } from "../helpers/fixtures";

describe(`filters (${driver})`, () => {
  let database: TestDatabase;
  let env: Environment;
  let s: Scenario;

  beforeAll(async () => {
    database = await testDatabase();
    env = await createEnvironment(database.db, "Filters");
    s = await seedScenario(database.db, env.id);
  }, 60_000);
  afterAll(() => database.close(), 60_000);

  /** Users (by name) matching AND-ed groups over all time, checked through the list and the count. */
  async function match(...groups: Condition[][]): Promise<string[]> {
    const view: UsersView = { timeline: { kind: "all" }, groups, q: "", sort: "last" };
    const round = parseView(viewParams(view)); // every filter survives the URL round trip
    expect(round.error).toBeUndefined();
    expect(round.view.groups).toEqual(groups);
    const { rows } = await listUsers(database.db, { env, view: round.view });
    expect(await countUsers(database.db, { env, view: round.view })).toBe(rows.length);
    const names = new Map([[s.alice.id, "alice"], [s.bob.id, "bob"], [s.anon.id, "anon"], [s.server.id, "server"]]);
    return rows.map((r) => names.get(r.id) ?? String(r.id)).sort();
  }
  const user = (s: "identity" | "id" | "custom" | "initial", key: string | undefined, op: any, v?: string): Condition => ({ k: "user", s, ...(key ? { key } : {}), op, ...(v !== undefined ? { v } : {}) });

  test("user property operators", async () => {
    expect(await match([user("custom", "plan", "eq", "pro")])).toEqual(["alice"]);
    expect(await match([user("custom", "plan", "neq", "pro")])).toEqual(["anon", "bob", "server"]);
    expect(await match([user("custom", "email", "contains", "ACME")])).toEqual(["alice"]);
    expect(await match([user("custom", "email", "notContains", "acme")])).toEqual(["anon", "bob", "server"]);
    expect(await match([user("custom", "email", "wildcard", "*@example.???")])).toEqual(["bob"]);
    expect(await match([user("custom", "email", "wildcard", "%")])).toEqual([]);
    expect(await match([user("custom", "email", "set")])).toEqual(["alice", "bob", "server"]);
    expect(await match([user("custom", "email", "notSet")])).toEqual(["anon"]);
    expect(await match([user("custom", "seats", "gt", "12")])).toEqual(["server"]);
    expect(await match([user("custom", "seats", "lt", "12.5")])).toEqual(["alice"]);
    expect(await match([user("custom", "plan", "gt", "1")])).toEqual([]); // text values are not numbers
  });

  test("identity, user id and initial properties", async () => {
    expect(await match([user("identity", undefined, "eq", "svc-42")])).toEqual(["server"]);
    expect(await match([user("identity", undefined, "notSet")])).toEqual(["anon", "bob"]);
    expect(await match([user("id", undefined, "eq", String(s.bob.id))])).toEqual(["bob"]);
    expect(await match([user("initial", "browser", "eq", "Firefox")])).toEqual(["bob"]);
    expect(await match([user("initial", "utm_source", "set")])).toEqual(["alice"]);
  });

  test("did / did not do an event, with counts, within the timeline", async () => {
    expect(await match([{ k: "event", did: true, e: { raw: "click" } }])).toEqual(["alice", "bob"]);
    expect(await match([{ k: "event", did: false, e: { raw: "click" } }])).toEqual(["anon", "server"]);
    expect(await match([{ k: "event", did: true, e: { custom: "Signed up" } }])).toEqual(["bob"]);
    expect(await match([{ k: "event", did: true, e: { raw: "click" }, cnt: { op: "atLeast", n: 3 } }])).toEqual(["alice"]);
    expect(await match([{ k: "event", did: true, e: { raw: "click" }, cnt: { op: "exactly", n: 1 } }])).toEqual(["bob"]);
    expect(await match([{ k: "event", did: true, e: { raw: "click" }, cnt: { op: "atMost", n: 2 } }])).toEqual(["bob"]);
    expect(await match([{ k: "event", did: false, e: { raw: "click" }, cnt: { op: "atLeast", n: 3 } }])).toEqual(["anon", "bob", "server"]);
    // Within the timeline: Alice's 40-day-old pageviews of / are outside the past 7 days.
    const week: UsersView = { timeline: { kind: "days", days: 7 }, groups: [[{ k: "eprop", e: { raw: "pageview" }, key: "path", op: "eq", v: "/" }]], q: "", sort: "last" };
    expect((await listUsers(database.db, { env, view: week })).rows).toEqual([]);
  });

  test("event property: did X where property Y <op> Z (columns and custom properties)", async () => {
    expect(await match([{ k: "eprop", e: { raw: "pageview" }, key: "path", op: "eq", v: "/pricing" }])).toEqual(["alice", "bob"]);
    expect(await match([{ k: "eprop", e: { raw: "click" }, key: "target_text", op: "contains", v: "pay" }])).toEqual(["alice"]);
    expect(await match([{ k: "eprop", e: { custom: "Checkout failed" }, key: "reason", op: "eq", v: "card_declined" }])).toEqual(["alice"]);
    expect(await match([{ k: "eprop", e: { custom: "Invoice paid" }, key: "amount", op: "gt", v: "1000" }])).toEqual(["server"]);
    expect(await match([{ k: "eprop", e: { custom: "Invoice paid" }, key: "amount", op: "lt", v: "1000" }])).toEqual([]);
    expect(await match([{ k: "eprop", e: { raw: "pageview" }, key: "source", op: "eq", v: "web" }])).toEqual(["alice", "bob"]);
  });

  test("AND of OR groups", async () => {
    const pro = user("custom", "plan", "eq", "pro");
    const free = user("custom", "plan", "eq", "free");
    const android = user("initial", "os", "eq", "Android");
    expect(await match([pro, free])).toEqual(["alice", "bob"]);
    expect(await match([pro, free], [{ k: "event", did: true, e: { raw: "submit" } }])).toEqual(["bob"]);
    expect(await match([pro, android], [free, android])).toEqual(["anon"]);
  });

  test("SQL injection through keys and values stays data", async () => {
    const hostile = ["'; drop table users; --", "plan') or ('1'='1", "\\", "%", "_", "\u0000x".slice(1), "$1", "' or 1=1 --"];
    for (const h of hostile) {
      expect(await match([user("custom", h, "eq", "pro")])).toEqual([]);
      expect(await match([user("custom", "plan", "eq", h)])).toEqual([]);
      expect(await match([user("custom", h, "set")])).toEqual([]);
      expect(await match([{ k: "eprop", e: { custom: h }, key: h, op: "contains", v: h }])).toEqual([]);
      expect(await match([{ k: "eprop", e: { raw: "click" }, key: h, op: "wildcard", v: h }])).toEqual([]);
    }
    const { rows } = await listUsers(database.db, { env, view: { timeline: { kind: "all" }, groups: [], q: "'; drop table users; --", sort: "last" } });
    expect(rows).toEqual([]);
    expect(await match()).toEqual(["alice", "anon", "bob", "server"]);
  });

  test("hand-edited URLs: clear messages, never exceptions", () => {
    const bad = [
      ["f=nope", "not valid filter JSON"],
      ["f=[]", "needs a condition"],
      [`f=${encodeURIComponent(JSON.stringify([{ k: "user", s: "custom", op: "eq", v: "x" }]))}`, "property name"],
      [`f=${encodeURIComponent(JSON.stringify([{ k: "user", s: "custom", key: "a", op: "gt", v: "ten" }]))}`, "needs a number"],
      [`f=${encodeURIComponent(JSON.stringify([{ k: "user", s: "custom", key: "a", op: "drop" }]))}`, "op"],
      [`f=${encodeURIComponent(JSON.stringify([{ k: "sql", raw: "1=1" }]))}`, "not a valid filter"],
      ["t=7y", "Unknown timeline"],
      ["t=0d", "between 1 and"],
      ["t=range&from=2026-02-30&to=2026-03-01", "real date"],
      ["t=range&from=2026-03-02&to=2026-03-01", "after the end"],
      ["sort=name", "Sort"],
      ["t=range&from=0000-01-01&to=2026-01-01", "between 1970 and 2999"],
      ["q=a%00b", "NUL"],
      [`f=${encodeURIComponent(JSON.stringify([{ k: "user", s: "custom", key: "a\u0000", op: "set" }]))}`, "NUL"],
      [`f=${encodeURIComponent(JSON.stringify([{ k: "eprop", e: { custom: "x" }, key: "a", op: "eq", v: "\u0000" }]))}`, "NUL"],
    ] as const;
    for (const [qs, message] of bad) {
      const { error } = parseView(new URLSearchParams(qs));
      expect(error?.message ?? `no error for ${qs}`).toContain(message);
    }
  });

  test("a user in another environment never leaks in", async () => {
    const other = await createEnvironment(database.db, "Other");
    const u = await seedUser(database.db, other.id, { properties: { plan: "pro" } });
    await seedVisit(database.db, other.id, u.id, hoursAgo(1), [{ type: "click" }]);
    expect(await match([user("custom", "plan", "eq", "pro")])).toEqual(["alice"]);
  });
});
