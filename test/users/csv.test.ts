import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { createEnvironment, type Environment } from "../../src/environments/environments";
import { compileCondition } from "../../src/filters/compile";
import { DEFAULT_VIEW } from "../../src/filters/view";
import { listUsers } from "../../src/users/list";
import { usersCsvStream } from "../../src/users/csv";
import { driver, testDatabase, type TestDatabase } from "../helpers/db";
import { minutesAgo, seedUser, seedVisit } from "../helpers/fixtures";

describe(`CSV export stream (${driver})`, () => {
  let database: TestDatabase;
  let env: Environment;

  beforeAll(async () => {
    database = await testDatabase();
    env = await createEnvironment(database.db, "CSV", "Asia/Tokyo");
    for (let i = 0; i < 7; i++) {
      const at = minutesAgo(10 + i);
      const u = await seedUser(database.db, env.id, { identity: i === 0 ? "@SUM(A1:A9)" : `person${i}`, properties: { email: `p${i}@x.test` }, firstSeen: at });
      await seedVisit(database.db, env.id, u.id, at, [{ type: "pageview", time: at }]);
    }
  }, 60_000);
  afterAll(() => database.close(), 60_000);

  test("batches are pulled as the reader reads, over one snapshot, with every user exactly once", async () => {
    const stream = await usersCsvStream(database.db, { env, view: DEFAULT_VIEW }, 2);
    const reader = stream.getReader();
    const chunks: string[] = [];
    const first = await reader.read();
    chunks.push(new TextDecoder().decode(first.value));
    // A user arriving mid-export is not in this snapshot's file.
    const late = await seedUser(database.db, env.id, { identity: "late-arrival", firstSeen: new Date(Date.now() + 1000) });
    await seedVisit(database.db, env.id, late.id, new Date(Date.now() + 1000), [{ type: "pageview" }]);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(new TextDecoder().decode(value));
    }
    expect(chunks.length).toBe(4); // 2 + 2 + 2 + 1 rows: one chunk per batch
    const lines = chunks.join("").trim().split("\r\n");
    expect(lines.length).toBe(8);
    expect(lines.slice(1).map((l) => l.split(",")[2])).toEqual(["'@SUM(A1:A9)", "person1", "person2", "person3", "person4", "person5", "person6"]);
    expect(chunks.join("")).not.toContain("late-arrival");
    // Times are written in the environment's zone (Tokyo is UTC+9).
    const tokyoHour = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Tokyo", hour: "2-digit", hourCycle: "h23" }).format(minutesAgo(10));
    expect(lines[1].split(",")[5].slice(11, 13)).toBe(tokyoHour);
  });

  test("defined events: a clear 400 until definitions plug in, and the seam compiles their predicate", async () => {
    const view = { ...DEFAULT_VIEW, groups: [[{ k: "event" as const, did: true, e: { defined: 3 } }]] };
    await expect(listUsers(database.db, { env, view })).rejects.toMatchObject({ status: 400, message: "Defined events cannot be used in filters yet." });
    const page = await listUsers(database.db, { env, view, definedEvent: (id) => sql`(e.type = 'pageview' and ${id} = 3)` });
    expect(page.rows.length).toBe(7);
    expect(() => compileCondition({ k: "event", did: true, e: { defined: 1 } }, { envId: env.id, window: { from: null, end: new Date() } })).toThrow();
  });
});
