// User page queries on a real database (PGlite, or PostgreSQL with DATABASE_URL).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createEnvironment } from "../../src/environments/environments";
import { identityMerges, userAliases, replayChunks } from "../../src/db/schema";
import { findUser, mergeHistory, propertyList, userTotals } from "../../src/users/user";
import { listUserSessions, getSession, sessionDurationMs } from "../../src/users/user-sessions";
import { decodeCursor } from "../../src/users/time-cursor";
import { testDatabase, type TestDatabase } from "../helpers/db";
import { minutesAgo, seedScenario, seedSession, seedUser, type Scenario } from "../helpers/fixtures";

let database: TestDatabase;
let envId: string;
let s: Scenario;

beforeAll(async () => {
  database = await testDatabase();
  envId = (await createEnvironment(database.db, "Shop")).id;
  s = await seedScenario(database.db, envId);
}, 120_000);
afterAll(() => database.close(), 60_000);

describe("user lookup and facts", () => {
  test("finds a user, follows a merged-away id to the survivor, reports unknown ids", async () => {
    const db = database.db;
    expect(await findUser(db, envId, s.alice.id)).toMatchObject({ kind: "found", user: { id: s.alice.id } });
    await db.insert(userAliases).values({ envId, aliasId: 777, userId: s.alice.id });
    expect(await findUser(db, envId, 777)).toEqual({ kind: "merged", intoUserId: s.alice.id });
    expect(await findUser(db, envId, 778)).toEqual({ kind: "missing" });
    // Another environment's user is not visible here.
    const other = await createEnvironment(db, "Other");
    expect(await findUser(db, other.id, s.alice.id)).toEqual({ kind: "missing" });
  });

  test("totals cover web and mobile sessions together", async () => {
    const t = await userTotals(database.db, envId, s.alice.id);
    expect(t.sessions).toBe(3);
    expect(t.events).toBe(2 + 3 + 5);
    expect(t.sources.sort()).toEqual(["ios", "web"]);
    expect(t.lastLocation).toEqual({ country: "France", region: "Île-de-France", city: "Paris" });
  });

  test("property list: custom then initial, each sorted by key, non-strings as JSON", () => {
    const list = propertyList({ properties: { plan: "pro", seats: 12, email: "a@b.c", tags: ["x", "y"], empty: "" }, initial: { referrer: "direct", city: "Paris" } });
    expect(list).toEqual([
      { key: "email", value: "a@b.c", group: "user" },
      { key: "plan", value: "pro", group: "user" },
      { key: "seats", value: "12", group: "user" },
      { key: "tags", value: '["x","y"]', group: "user" },
      { key: "city", value: "Paris", group: "initial" },
      { key: "referrer", value: "direct", group: "initial" },
    ]);
  });

  test("merge history: merges into the user, newest first", async () => {
    const db = database.db;
    await db.insert(identityMerges).values([
      { envId, fromUserId: 11, intoUserId: s.bob.id, identity: "bob@example.org", reason: "identify on a second device", at: minutesAgo(60) },
      { envId, fromUserId: 12, intoUserId: s.bob.id, identity: "bob@example.org", reason: "identify", at: minutesAgo(5) },
      { envId, fromUserId: 13, intoUserId: s.alice.id, identity: "alice@acme.test", reason: "identify", at: minutesAgo(5) },
    ]);
    const merges = await mergeHistory(db, envId, s.bob.id);
    expect(merges.map((m) => m.fromUserId)).toEqual([12, 11]);
    expect(merges[1].reason).toBe("identify on a second device");
  });
});

describe("sessions of a user", () => {
  test("newest first with replay flag only where chunks exist", async () => {
    const page = await listUserSessions(database.db, envId, s.alice.id);
    expect(page.rows.map((r) => r.source)).toEqual(["web", "ios", "web"]);
    expect(page.next).toBeNull();
    expect(page.rows.every((r) => r.hasReplay === false)).toBe(true);
    await database.db.insert(replayChunks).values({ envId, sessionId: page.rows[1].id, seq: 0, startedAt: new Date(), data: new Uint8Array([1, 2, 3]) });
    const again = await listUserSessions(database.db, envId, s.alice.id);
    expect(again.rows.map((r) => r.hasReplay)).toEqual([false, true, false]);
    expect((await getSession(database.db, envId, page.rows[1].id))?.hasReplay).toBe(true);
    expect(sessionDurationMs(page.rows[0])).toBeGreaterThan(0);
  });

  test("keyset paging through 130 sessions (with equal start times) never skips or repeats", async () => {
    const db = database.db;
    const u = await seedUser(db, envId, { identity: "heavy@user.test" });
    const base = Date.now() - 3600_000;
    const ids: number[] = [];
    for (let i = 0; i < 130; i++) {
      // Pairs share a start time to the microsecond-exact ms, so the id tiebreak is exercised.
      const row = await seedSession(db, envId, { userId: u.id, id: 1000 + i, startedAt: new Date(base + Math.floor(i / 2) * 1000) });
      ids.push(row.id);
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listUserSessions(db, envId, u.id, cursor ? decodeCursor("after", cursor, "number") : undefined, 50);
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.length).toBe(130);
    expect(new Set(seen).size).toBe(130);
    const expected = [...ids].sort((a, b) => Math.floor((b - 1000) / 2) - Math.floor((a - 1000) / 2) || b - a);
    expect(seen).toEqual(expected);
  });

  test("a malformed cursor is a 400 naming the field", () => {
    expect(() => decodeCursor("after", "nope", "number")).toThrow("after: is not a valid page cursor");
    expect(() => decodeCursor("after", "123_abc", "uuid")).toThrow("after");
    expect(() => decodeCursor("after", "123_1;drop table users", "number")).toThrow("after");
  });
});
