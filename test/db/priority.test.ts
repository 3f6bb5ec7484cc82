import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../src/db/client";
import { PriorityGate, withWritePriority } from "../../src/db/priority";
import { driver, testDatabase, type TestDatabase } from "../helpers/db";

describe("PriorityGate", () => {
  test("urgent waiters go before ordinary ones queued earlier; one holder at a time", async () => {
    const gate = new PriorityGate();
    const order: string[] = [];
    let holders = 0;
    const job = (name: string, urgent: boolean) =>
      gate.run(urgent, async () => {
        holders++;
        expect(holders).toBe(1);
        order.push(name);
        await Bun.sleep(5);
        holders--;
      });
    const first = job("read-1", false);
    const rest = [job("read-2", false), job("read-3", false), job("write", true)];
    await Promise.all([first, ...rest]);
    expect(order).toEqual(["read-1", "write", "read-2", "read-3"]);
  });

  test("a failing holder releases the gate", async () => {
    const gate = new PriorityGate();
    await expect(gate.run(false, async () => { throw new Error("boom"); })).rejects.toThrow("boom");
    expect(await gate.run(false, async () => "next")).toBe("next");
  });
});

// PostgreSQL has a connection pool, so there is no queue to jump; the gate exists for PGlite only.
describe.skipIf(driver !== "pglite")("write priority on PGlite", () => {
  let database: TestDatabase;
  beforeAll(async () => { database = await testDatabase(); });
  afterAll(() => database.close());

  test("a prioritised transaction commits before reads queued ahead of it", async () => {
    const order: string[] = [];
    const read = (n: number) => queryRows(database.db, sql`select pg_sleep(0.02)`).then(() => order.push(`read-${n}`));
    const reads = [1, 2, 3, 4].map(read);
    const write = withWritePriority(() =>
      database.db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
      }),
    ).then(() => order.push("write"));
    await Promise.all([...reads, write]);
    // One backend: the write waits for the statement in flight, then jumps the queue.
    expect(order.indexOf("write")).toBeLessThanOrEqual(1);
  });
});
