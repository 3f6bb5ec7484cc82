import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { createEnvironment, type Environment } from "../../src/environments/environments";
import { compileCondition } from "../../src/filters/compile";
import { DEFAULT_VIEW } from "../../src/filters/view";
import { listUsers } from "../../src/users/list";
import { isoInZone, usersCsvStream } from "../../src/users/csv";
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
      const properties = { email: `p${i}@x.test`, ...(i % 2 ? { plan: i === 1 ? "=cmd()" : "pro" } : { company: "Acme, Inc.", tags: ["a", "b"] }) };
      const u = await seedUser(database.db, env.id, { identity: i === 0 ? "@SUM(A1:A9)" : `person${i}`, properties, firstSeen: at });
      await seedVisit(database.db, env.id, u.id, at, [{ type: "pageview", time: at }]);
    }
  }, 60_000);
  afterAll(() => database.close(), 60_000);

  test("batches are pulled as the reader reads, over one snapshot, with every user exactly once", async () => {
    const stream = await usersCsvStream(database.db, { env, view: DEFAULT_VIEW }, { batch: 2 });
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
    // Times are ISO 8601 in the environment's zone, with its offset (Tokyo is UTC+9).
    const tokyoHour = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Tokyo", hour: "2-digit", hourCycle: "h23" }).format(minutesAgo(10));
    const lastActivity = lines[1].split(",")[5];
    expect(lastActivity).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
    expect(lastActivity.slice(11, 13)).toBe(tokyoHour);
    expect(Math.abs(Date.parse(lastActivity) - minutesAgo(10).getTime())).toBeLessThan(60_000);
    // Every custom property seen is a column (email has its own); values escaped like every cell.
    expect(lines[0]).toBe("user_id,identifier,identity,email,first_seen,last_activity,sessions,events,rage_clicks,sources,first_country,first_city,company,plan,tags");
    expect(lines[1]).toEndWith(`,"Acme, Inc.",,"[""a"",""b""]"`);
    expect(lines[2]).toEndWith(",,'=cmd(),");
  });

  test("only the chosen properties, when the export names them", async () => {
    const text = await new Response(await usersCsvStream(database.db, { env, view: DEFAULT_VIEW }, { propertyKeys: ["plan", "sessions"] })).text();
    const [header, first] = text.split("\r\n");
    expect(header).toEndWith(",first_city,plan,property:sessions");
    expect(first.split(",").length).toBe(14);
  });

  test("ISO 8601 with the offset in force at each instant, across DST, half-hour and negative zones", () => {
    expect(isoInZone("Europe/Paris")(new Date("2026-03-29T00:59:59Z"))).toBe("2026-03-29T01:59:59+01:00");
    expect(isoInZone("Europe/Paris")(new Date("2026-03-29T01:00:00Z"))).toBe("2026-03-29T03:00:00+02:00");
    expect(isoInZone("Asia/Kolkata")(new Date("2026-06-01T00:00:00Z"))).toBe("2026-06-01T05:30:00+05:30");
    expect(isoInZone("America/St_Johns")(new Date("2026-01-15T12:00:00Z"))).toBe("2026-01-15T08:30:00-03:30");
    expect(isoInZone("UTC")(new Date("2026-12-31T23:59:59.900Z"))).toBe("2026-12-31T23:59:59+00:00");
    const tokyo = isoInZone("Asia/Tokyo");
    for (let t = Date.parse("2026-01-01T00:00:00Z"); t < Date.parse("2026-01-02T00:00:00Z"); t += 7_777_777) expect(Date.parse(tokyo(new Date(t)))).toBe(Math.floor(t / 1000) * 1000);
  });

  test("defined events: a clear 400 until definitions plug in, and the seam compiles their predicate", async () => {
    const view = { ...DEFAULT_VIEW, groups: [[{ k: "event" as const, did: true, e: { defined: 3 } }]] };
    await expect(listUsers(database.db, { env, view })).rejects.toMatchObject({ status: 400, message: "Defined events cannot be used in filters yet." });
    const page = await listUsers(database.db, { env, view, definedEvent: (id) => sql`(e.type = 'pageview' and ${id} = 3)` });
    expect(page.rows.length).toBe(7);
    expect(() => compileCondition({ k: "event", did: true, e: { defined: 1 } }, { envId: env.id, window: { from: null, end: new Date() } })).toThrow();
  });
});
