// A session with tens of thousands of events: the first page, a deep page and Most frequent stay fast,
// and walking every page returns each event once, in order.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { events, sessions } from "../../src/db/schema";
import { createEnvironment } from "../../src/environments/environments";
import { listSessionEvents, mostFrequent } from "../../src/users/session-events";
import { decodeCursor } from "../../src/users/time-cursor";
import { driver, testDatabase, type TestDatabase } from "../helpers/db";
import { seedSession, seedUser } from "../helpers/fixtures";

const N = 20_000;
let database: TestDatabase;
let envId: string;
let sessionId: number;

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  envId = (await createEnvironment(db, "Big")).id;
  const u = await seedUser(db, envId);
  const start = Date.now() - 3600_000;
  sessionId = (await seedSession(db, envId, { userId: u.id, startedAt: new Date(start) })).id;
  const paths = ["/", "/pricing", "/docs", "/blog", "/signup", "/checkout"];
  for (let off = 0; off < N; off += 2000) {
    const batch = Array.from({ length: 2000 }, (_, j) => {
      const i = off + j;
      const click = i % 3 === 0;
      return {
        envId, id: crypto.randomUUID(), userId: u.id, sessionId, source: "web",
        // Every 10 events share a millisecond: the (time, id) keyset must still be exact.
        time: new Date(start + Math.floor(i / 10)),
        type: click ? "click" : "pageview", path: paths[i % paths.length], targetText: click ? `Button ${i % 12}` : null,
        targetTag: click ? "button" : null, props: {},
      };
    });
    await db.insert(events).values(batch);
  }
  // A second session's events must not leak in.
  const other = await seedSession(db, envId, { userId: u.id, startedAt: new Date(start) });
  await db.insert(events).values({ envId, id: crypto.randomUUID(), userId: u.id, sessionId: other.id, source: "web", time: new Date(start + 5), type: "pageview", path: "/other", props: {} });
  await db.update(sessions).set({ eventCount: N });
}, 300_000);
afterAll(() => database.close(), 60_000);

const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
};

test(`first page, a deep page and Most frequent of a ${N}-event session`, async () => {
  const db = database.db;
  await listSessionEvents(db, envId, sessionId, []); // warm up plans and caches
  const [first, firstMs] = await timed(() => listSessionEvents(db, envId, sessionId, []));
  expect(first.rows.length).toBe(200);
  const deepCursor = decodeCursor("after", first.next!, "uuid");
  deepCursor.us += 1500n * 1000n; // jump ~15,000 events ahead
  const [deep, deepMs] = await timed(() => listSessionEvents(db, envId, sessionId, [], deepCursor));
  expect(deep.rows.length).toBe(200);
  const [top, topMs] = await timed(() => mostFrequent(db, envId, sessionId, []));
  expect(top.length).toBe(5);
  expect(top.reduce((s, e) => s + e.count, 0)).toBeGreaterThan(N / 2);
  // For information only: speed is measured against hand-written SQL by `npm run bench -- users-page`.
  console.log(`[${driver}] ${N}-event session: first page ${firstMs.toFixed(1)} ms, deep page ${deepMs.toFixed(1)} ms, Most frequent ${topMs.toFixed(1)} ms`);
}, 60_000);

test("walking every page yields each event exactly once, in (time, id) order", async () => {
  const db = database.db;
  const seen: { t: number; id: string }[] = [];
  let cursor: string | null = null;
  do {
    const page = await listSessionEvents(db, envId, sessionId, [], cursor ? decodeCursor("after", cursor, "uuid") : undefined, 1000);
    for (const r of page.rows) seen.push({ t: r.time.getTime(), id: r.id });
    cursor = page.next;
  } while (cursor);
  expect(seen.length).toBe(N);
  expect(new Set(seen.map((s) => s.id)).size).toBe(N);
  for (let i = 1; i < seen.length; i++) {
    const a = seen[i - 1], b = seen[i];
    expect(a.t < b.t || (a.t === b.t && a.id < b.id)).toBe(true);
  }
}, 120_000);
