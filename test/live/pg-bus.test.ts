// LISTEN/NOTIFY bridge: two "processes" (two database connections + buses) on one PostgreSQL.
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { openDatabase, type Database } from "../../src/db/client";
import type { LiveBatch } from "../../src/live/bus";
import { decodeBatch, encodeBatch, PgBus } from "../../src/live/pg-bus";
import { driver, testDatabase, type TestDatabase } from "../helpers/db";

setDefaultTimeout(60_000);

const batch = (over: Partial<LiveBatch> = {}): LiveBatch => ({
  envId: "1234567890", userIds: [1, 2], newUserIds: [2], sessionIds: [10], newSessionIds: [10],
  eventIds: [crypto.randomUUID()], rageEventIds: [], at: Date.now(), ...over,
});

const collect = (bus: PgBus) => {
  const seen: LiveBatch[] = [];
  bus.subscribe((b) => seen.push(b));
  return seen;
};

async function until(check: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await Bun.sleep(10);
  }
}

describe("wire encoding", () => {
  test("a batch round-trips", () => {
    const b = batch({ rageEventIds: ["r1"], mergedUserIds: [7] });
    const decoded = decodeBatch(encodeBatch("me", b));
    expect(decoded).toEqual({ origin: "me", batch: b });
  });

  test("too large: event ids go first, then the batch degrades to re-read", () => {
    const many = Array.from({ length: 400 }, () => crypto.randomUUID());
    const withoutEvents = decodeBatch(encodeBatch("me", batch({ eventIds: many })))!;
    expect(withoutEvents.batch.eventIds).toEqual([]);
    expect(withoutEvents.batch.userIds).toEqual([1, 2]);
    expect(withoutEvents.batch.overflow).toBeUndefined();

    const users = Array.from({ length: 2000 }, (_, i) => 2 ** 52 + i);
    const text = encodeBatch("me", batch({ userIds: users, eventIds: many }));
    expect(Buffer.byteLength(text)).toBeLessThan(8000);
    const degraded = decodeBatch(text)!;
    expect(degraded.batch.overflow).toBe(true);
    expect(degraded.batch.userIds).toEqual([]);
  });

  test("revoked kiosk links travel too, even in a degraded notification", () => {
    expect(decodeBatch(encodeBatch("me", batch({ revokedKioskIds: [7] })))!.batch.revokedKioskIds).toEqual([7]);
    const users = Array.from({ length: 2000 }, (_, i) => 2 ** 52 + i);
    const degraded = decodeBatch(encodeBatch("me", batch({ userIds: users, revokedKioskIds: [7] })))!.batch;
    expect(degraded.overflow).toBe(true);
    expect(degraded.revokedKioskIds).toEqual([7]);
  });

  test("malformed payloads are ignored", () => {
    expect(decodeBatch("not json")).toBeUndefined();
    expect(decodeBatch(JSON.stringify({ o: 1 }))).toBeUndefined();
  });
});

describe.skipIf(driver !== "postgres")("two processes on one PostgreSQL", () => {
  let db: TestDatabase;
  let other: Database;
  let a: PgBus;
  let b: PgBus;

  beforeAll(async () => {
    db = await testDatabase();
    other = await openDatabase({ databaseUrl: db.url!, poolSize: 2 });
    a = new PgBus(db.url!, db.pg!);
    b = new PgBus(db.url!, other.pg!);
    await a.start();
    await b.start();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await other.close();
    await db.close();
  });

  test("a batch published on one reaches the other once, marked remote, and its own listeners once", async () => {
    const seenA = collect(a);
    const seenB = collect(b);
    const sent = batch();
    a.publish(sent);
    await until(() => seenB.length === 1);
    // The notification also comes back to A: it must not be delivered twice. Sentinel: B's batch, sent
    // after A's was delivered, reaches A after A's own notification did (one channel, commit order).
    const sentinel = batch({ envId: "1111111111" });
    b.publish(sentinel);
    await until(() => seenA.length >= 2);
    expect(seenA).toEqual([sent, { ...sentinel, remote: true }]);
    expect(seenB).toEqual([{ ...sent, remote: true }, sentinel]);
  });

  test("the LISTEN connection comes back after being killed, and says what may have been missed", async () => {
    const seenB = collect(b);
    await db.pg!`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'loupe-live' and datname = current_database()`;
    await until(() => seenB.some((x) => x.overflow && x.envId === "*" && x.remote), 10_000);
    expect(b.listening).toBe(true);
    const sent = batch({ envId: "9999999999" });
    a.publish(sent);
    await until(() => seenB.some((x) => x.envId === "9999999999"));
  });
});

if (driver !== "postgres") console.warn("[live] pg-bus cross-process tests skipped: they need PostgreSQL (run with DATABASE_URL)");
