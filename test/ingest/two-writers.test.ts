// Two Loupe processes on one database (two pipelines, each with its own caches and writer): the same
// events posted to both are stored once; the same identity claimed by both for different users ends
// with one user holding it and the other merged into it; merges and rage bursts spread over both come
// out as from one process.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { loadConfig } from "../../src/config";
import { BATCH_WRITER } from "../../src/ingest/batch-writer";
import { IngestService } from "../../src/ingest/pipeline";
import type { LiveBatch, LiveBus } from "../../src/live/bus";
import { openBus } from "../../src/live/open-bus";
import { Metrics } from "../../src/ops/metrics";
import { startTestApp, type TestApp } from "../helpers/app";
import { driver } from "../helpers/db";
import { bigBatch, click, collectRequest, custom, desktopClient, eventsInsertRunning, identifyMsg, newDevice, pageview, rows, T0 } from "../helpers/ingest";

let t: TestApp;
let other: IngestService;
let otherBus: LiveBus;
const otherSaw: LiveBatch[] = [];
const client = desktopClient;
beforeAll(async () => {
  t = await startTestApp();
  // Configured as a second Loupe process would be (overlapping groups on PostgreSQL).
  const groupsInFlight = driver === "postgres" ? BATCH_WRITER.postgresGroupsInFlight : 1;
  // Its own bus too: on PostgreSQL a LISTEN/NOTIFY bridge of its own, as a second process has.
  otherBus = await openBus(t.database);
  otherBus.subscribe((b) => otherSaw.push(b));
  other = new IngestService({ db: t.database.db, bus: otherBus, config: loadConfig({}), metrics: new Metrics(), writer: { groupsInFlight } });
}, 60_000);
afterAll(async () => {
  await otherBus.close();
  await t.close();
});

const request = collectRequest;

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
  // The other process's batch either leaves the user row alone (only a key-share lock orders it against
  // the merge) or moves last seen (its upsert meets the merge's DELETE and would bring the row back).
  for (const [label, offset] of [["leaves the user row alone", 0], ["moves the user's last seen", 1_200_000]] as const) {
    test.if(driver === "postgres")(`a merge in one process while the other writes for the merged-away user (${label}): none of its events stay behind`, async () => {
      const at = T0 + 3_600_000 + offset * 10;
      const identity = `cross-merge-${offset}@example.com`;
      const holder = newDevice(t.env.id);
      await t.ctx.ingest.submit(request(holder, [pageview(at), identifyMsg(at + 1, identity)]), client);
      const anon = newDevice(t.env.id);
      await t.ctx.ingest.submit(request(anon, [custom(at - 600_000, "Early"), custom(at + 600_000, "Late")]), client);
      await other.submit(request(anon, [custom(at - 599_000, "Seen there too")]), client);
      const writing = other.submit(request(anon, bigBatch(at - BATCH_WRITER.maxEvents + offset)), client);
      await eventsInsertRunning(t.database.db);
      const merged = await t.ctx.ingest.submit(request(anon, [identifyMsg(at + 2, identity)]), client);
      const written = await writing;
      expect(merged.userId).toBe(Number(holder.userId));
      expect(written.accepted).toBe(BATCH_WRITER.maxEvents);
      const byUser = await rows(t.database.db, sql`select user_id::text as user_id, count(*)::int as n from events
        where env_id = ${t.env.id} and user_id in (${anon.userId}, ${holder.userId}) group by user_id`);
      expect(byUser).toEqual([{ user_id: holder.userId, n: 1 + 3 + BATCH_WRITER.maxEvents }]);
      expect((await rows(t.database.db, sql`select 1 from users where env_id = ${t.env.id} and id = ${anon.userId}`)).length).toBe(0);
    });
  }

  test.if(driver === "postgres")("a rage burst split across the two processes is flagged, though one had the time span cached", async () => {
    const at = T0 + 7_200_000;
    const d = newDevice(t.env.id);
    // The other process knows this user's clicks for a span that will cover the last click's window.
    await other.submit(request(d, [click(at - 2000, "menu"), click(at + 2000, "menu")]), client);
    const first = await t.ctx.ingest.submit(request(d, [click(at + 100, "pay"), click(at + 200, "pay")]), client);
    expect(first.accepted).toBe(2);
    // Wait until the other process has heard of that commit through the database.
    const deadline = Date.now() + 5000;
    while (!otherSaw.some((b) => b.remote && b.userIds.includes(Number(d.userId)))) {
      if (Date.now() > deadline) throw new Error("the other process never heard of the first clicks");
      await Bun.sleep(5);
    }
    await other.submit(request(d, [click(at + 300, "pay")]), client);
    const pay = await rows(t.database.db, sql`select rage from events where env_id = ${t.env.id} and user_id = ${d.userId}
      and type = 'click' and hierarchy like '%#pay%' order by time`);
    expect(pay.map((r) => r.rage)).toEqual([true, true, true]);
  });
});
