// Two Loupe processes on one database (two pipelines, each with its own caches and writer): the same
// events posted to both are stored once; the same identity claimed by both for different users ends
// with one user holding it and the other merged into it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { loadConfig } from "../../src/config";
import { BATCH_WRITER } from "../../src/constants";
import { IngestService } from "../../src/ingest/pipeline";
import { normaliseCollect } from "../../src/ingest/normalise-collect";
import { InProcessBus } from "../../src/live/bus";
import { Metrics } from "../../src/ops/metrics";
import { startTestApp, type TestApp } from "../helpers/app";
import { driver } from "../helpers/db";
import { custom, identifyMsg, newDevice, pageview, rows, T0 } from "../helpers/ingest";

let t: TestApp;
let other: IngestService;
const client = { userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36", ip: null, proxyGeo: null, doNotTrack: false };
beforeAll(async () => {
  t = await startTestApp();
  // Configured as a second Loupe process would be (overlapping groups on PostgreSQL).
  const groupsInFlight = driver === "postgres" ? BATCH_WRITER.postgresGroupsInFlight : 1;
  other = new IngestService({ db: t.database.db, bus: new InProcessBus(), config: loadConfig({}), metrics: new Metrics(), groupsInFlight });
}, 60_000);
afterAll(() => t.close());

const request = (d: ReturnType<typeof newDevice>, messages: unknown[]) =>
  normaliseCollect({ envId: d.envId, source: "web", userId: Number(d.userId), sessionId: Number(d.sessionId), messages: messages as never });

describe(`two writers on one database (${driver})`, () => {
  test("the same events sent through both are stored once; each side answers", async () => {
    const d = newDevice(t.env.id);
    const msgs = Array.from({ length: 20 }, (_, i) => custom(T0 + i, `E${i}`));
    for (let round = 0; round < 5; round++) {
      const part = msgs.slice(round * 4, round * 4 + 4);
      const [a, b] = await Promise.all([t.ctx.ingest.submit(request(d, part), client), other.submit(request(d, part), client)]);
      expect(a.accepted + b.accepted).toBe(4);
      expect(a.dropped + b.dropped).toBe(4);
    }
    const [n] = await rows(t.database.db, sql`select count(*)::int as n from events where env_id = ${t.env.id} and user_id = ${d.userId}`);
    expect(n.n).toBe(20);
  });

  test("one identity claimed through both writers at once: one holder, the other user merged into it", async () => {
    for (let round = 0; round < 5; round++) {
      const identity = `race${round}@example.com`;
      const a = newDevice(t.env.id);
      const b = newDevice(t.env.id);
      const [ra, rb] = await Promise.all([
        t.ctx.ingest.submit(request(a, [pageview(T0), identifyMsg(T0 + 1, identity), custom(T0 + 2, "after")]), client),
        other.submit(request(b, [pageview(T0), identifyMsg(T0 + 1, identity), custom(T0 + 2, "after")]), client),
      ]);
      expect(ra.userId).toBe(rb.userId!);
      const holders = await rows(t.database.db, sql`select id::text as id from users where env_id = ${t.env.id} and identity = ${identity}`);
      expect(holders).toEqual([{ id: String(ra.userId) }]);
      const [n] = await rows(t.database.db, sql`select count(*)::int as n from events where env_id = ${t.env.id} and user_id = ${ra.userId}`);
      expect(n.n).toBe(4);
    }
  });
});
