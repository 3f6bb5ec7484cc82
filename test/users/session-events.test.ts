// Session events: order, keyset paging, Most frequent, definition labels — on a real database.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { definitions } from "../../src/db/schema";
import { createEnvironment } from "../../src/environments/environments";
import { loadDefinitions } from "../../src/definitions/label";
import { getEvent, listSessionEvents, mostFrequent } from "../../src/users/session-events";
import { decodeCursor } from "../../src/users/time-cursor";
import { testDatabase, type TestDatabase } from "../helpers/db";
import { seedEvent, seedSession, seedUser } from "../helpers/fixtures";

let database: TestDatabase;
let envId: string;
let sessionId: number;
const start = new Date("2026-11-20T10:00:00.000Z");
const at = (ms: number) => new Date(start.getTime() + ms);

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  envId = (await createEnvironment(db, "Shop")).id;
  const u = await seedUser(db, envId, { identity: "pat@shop.test" });
  sessionId = (await seedSession(db, envId, { userId: u.id, startedAt: start })).id;
  // Inserted out of order; several share one timestamp.
  await seedEvent(db, envId, { sessionId, type: "pageview", path: "/pricing", time: at(2000) });
  await seedEvent(db, envId, { sessionId, type: "session_start", time: at(0) });
  for (let i = 0; i < 4; i++) await seedEvent(db, envId, { sessionId, type: "click", targetText: "Buy now", targetTag: "button", hierarchy: "html > body > button#buy.btn", time: at(3000 + i * 200), rage: i >= 2 });
  for (let i = 0; i < 3; i++) await seedEvent(db, envId, { sessionId, type: "pageview", path: "/docs", time: at(5000) });
  await seedEvent(db, envId, { sessionId, type: "change", targetTag: "input", hierarchy: "html > body > form#signup > input#email[name=\"email\"]", time: at(6000) });
  await seedEvent(db, envId, { sessionId, type: "submit", targetTag: "form", hierarchy: "html > body > form#signup", time: at(6500) });
  await seedEvent(db, envId, { sessionId, type: "submit", targetTag: "form", hierarchy: "html > body > form#signup", time: at(6600) });
  await seedEvent(db, envId, { sessionId, type: "custom", name: "Plan chosen", props: { plan: "pro" }, time: at(7000) });
  await seedEvent(db, envId, { sessionId, type: "custom", name: "Plan chosen", props: { plan: "free" }, time: at(7100) });
}, 120_000);
afterAll(() => database.close(), 60_000);

describe("session events", () => {
  test("in time order (ties by id), described", async () => {
    const page = await listSessionEvents(database.db, envId, sessionId, []);
    expect(page.next).toBeNull();
    expect(page.rows.length).toBe(14);
    const times = page.rows.map((r) => r.time.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const docs = page.rows.filter((r) => r.path === "/docs").map((r) => r.id);
    expect(docs).toEqual([...docs].sort());
    expect(page.rows.map((r) => r.description).slice(0, 3)).toEqual(["Started session", "Viewed /pricing", 'Clicked "Buy now"']);
    expect(page.rows.filter((r) => r.rage).length).toBe(2);
  });

  test("keyset paging by (time, id) never skips or repeats, even through equal times", async () => {
    const all = (await listSessionEvents(database.db, envId, sessionId, [])).rows.map((r) => r.id);
    for (const size of [1, 2, 3, 5]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await listSessionEvents(database.db, envId, sessionId, [], cursor ? decodeCursor("after", cursor, "uuid") : undefined, size);
        seen.push(...page.rows.map((r) => r.id));
        cursor = page.next;
      } while (cursor);
      expect(seen).toEqual(all);
    }
  });

  test("getEvent reads one event of the environment only", async () => {
    const [first] = (await listSessionEvents(database.db, envId, sessionId, [])).rows;
    expect((await getEvent(database.db, envId, first.id))?.type).toBe("session_start");
    const other = await createEnvironment(database.db, "Other");
    expect(await getEvent(database.db, other.id, first.id)).toBeUndefined();
  });
});

describe("Most frequent", () => {
  test("top 5 raw descriptions by count over the whole session", async () => {
    const top = await mostFrequent(database.db, envId, sessionId, []);
    expect(top.map((e) => [e.text, e.count])).toEqual([
      ['Clicked "Buy now"', 4],
      ["Viewed /docs", 3],
      ["Plan chosen", 2],
      ["Submitted form #signup", 2],
      ["Changed input #email", 1],
    ]);
  });

  test("a matching definition names, colours and merges its events; property conditions are honoured", async () => {
    const db = database.db;
    await db.insert(definitions).values([
      { envId, name: "Read docs or pricing", color: "#0ea5e9", conditions: [
        { eventType: "pageview", path: { op: "equals", value: "/docs" } },
        { eventType: "pageview", path: { op: "wildcard", value: "/pric*" } },
      ] },
      { envId, name: "Chose pro", color: "#16a34a", conditions: [{ eventType: "custom", eventName: "Plan chosen", properties: [{ key: "plan", op: "equals", value: "pro" }] }] },
      { envId, name: "Buy button", color: "#f97316", conditions: [{ eventType: "click", selector: "body > button#buy" }] },
      { envId, name: "Broken", conditions: [{ nonsense: true }] },
    ]);
    const defs = await loadDefinitions(db, envId);
    const top = await mostFrequent(db, envId, sessionId, defs);
    expect(top.map((e) => [e.text, e.count, e.label?.color ?? null])).toEqual([
      ["Buy button", 4, "#f97316"],
      ["Read docs or pricing", 4, "#0ea5e9"],
      ["Submitted form #signup", 2, null],
      ["Changed input #email", 1, null],
      ["Chose pro", 1, "#16a34a"],
    ]);
    const page = await listSessionEvents(db, envId, sessionId, defs);
    const plans = page.rows.filter((r) => r.name === "Plan chosen");
    expect(plans.map((r) => r.label?.name ?? null).sort()).toEqual(["Chose pro", null].sort());
    expect(page.rows.find((r) => r.path === "/pricing")?.label?.name).toBe("Read docs or pricing");
  });
});
