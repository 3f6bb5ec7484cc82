// Two ingest groups in flight (PostgreSQL): while one group's events INSERT runs, the next group is
// prepared and writes on another connection. These tests start group B while group A is visibly
// inserting (seen in pg_stat_activity) and check that the result equals running them one after the other.
// On PGlite groups never overlap.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { BATCH_WRITER } from "../../src/ingest/batch-writer";
import { loadConfig } from "../../src/config";
import { IngestService } from "../../src/ingest/pipeline";
import { InProcessBus } from "../../src/live/bus";
import { Metrics } from "../../src/ops/metrics";
import { startTestApp, type TestApp } from "../helpers/app";
import { driver } from "../helpers/db";
import { bigBatch, click, collectRequest, countOf, custom, desktopClient, eventsInsertRunning, identifyMsg, newDevice, pageview, rows, T0, waitingOnLockFor, type Device } from "../helpers/ingest";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 60_000);
afterAll(() => t.close());

const client = desktopClient;
const submit = (d: Device, messages: unknown[]) => t.ctx.ingest.submit(collectRequest(d, messages), client);
const counter = (name: string) => t.ctx.metrics.counter(name, "").get();

/** Submits A, then B while A's INSERT runs; both answers. */
async function overlapping(a: () => ReturnType<typeof submit>, b: () => ReturnType<typeof submit>) {
  const before = counter("loupe_ingest_batches_overlapped_total");
  const ra = a();
  await eventsInsertRunning(t.database.db);
  const rb = b();
  const results = await Promise.all([ra, rb]);
  expect(counter("loupe_ingest_batches_overlapped_total")).toBeGreaterThan(before);
  return results;
}

/** Runs `body` with a trigger on events calling the PL/pgSQL `fn` (a function body), then removes both. */
async function withEventsTrigger(name: string, kind: string, fn: string, body: () => Promise<void>) {
  const run = (statement: string) => t.database.db.execute(sql.raw(statement));
  await run(`create function ${name}() returns trigger language plpgsql as $$ begin ${fn} return new; end $$`);
  await run(`create ${kind} trigger ${name} after insert on events ${kind === "constraint" ? "deferrable initially deferred" : ""} for each row execute function ${name}()`);
  try {
    await body();
  } finally {
    await run(`drop trigger ${name} on events`);
    await run(`drop function ${name}()`);
  }
}

const eventCount = async (userId: string | number) =>
  (await rows(t.database.db, sql`select count(*)::int as n from events where env_id = ${t.env.id} and user_id = ${userId}`))[0].n;

describe.if(driver === "postgres")("overlapping ingest groups (postgres)", () => {
  test("the next group writes while the previous one inserts; sessions and users add up", async () => {
    const d = newDevice(t.env.id);
    const retriedBefore = counter("loupe_ingest_batches_retried_total");
    const [a, b] = await overlapping(() => submit(d, bigBatch(T0)), () => submit(d, [custom(T0 + 10_000, "After"), custom(T0 + 10_001, "After")]));
    // Both upsert the same user and session: the second group queued behind the first (no lock cycle, no retry).
    expect(counter("loupe_ingest_batches_retried_total")).toBe(retriedBefore);
    expect(a.accepted).toBe(BATCH_WRITER.maxEvents);
    expect(b.accepted).toBe(2);
    expect(await eventCount(d.userId)).toBe(BATCH_WRITER.maxEvents + 2);
    const [s] = await rows(t.database.db, sql`select event_count, last_at from sessions where env_id = ${t.env.id} and id = ${d.sessionId}`);
    expect(s.event_count).toBe(BATCH_WRITER.maxEvents + 2);
    expect(new Date(s.last_at).getTime()).toBe(T0 + 10_001);
    const [u] = await rows(t.database.db, sql`select last_seen from users where env_id = ${t.env.id} and id = ${d.userId}`);
    expect(new Date(u.last_seen).getTime()).toBe(T0 + 10_001);
  });

  test("an identify merging into another user waits for the previous group: none of its events stay behind", async () => {
    const known = newDevice(t.env.id);
    await submit(known, [pageview(T0), identifyMsg(T0 + 1, "overlap-merge@example.com")]);
    const anon = newDevice(t.env.id);
    const [, b] = await overlapping(() => submit(anon, bigBatch(T0 + 20_000)), () => submit(anon, [identifyMsg(T0 + 30_000, "overlap-merge@example.com")]));
    expect(b.userId).toBe(Number(known.userId));
    expect(await eventCount(anon.userId)).toBe(0);
    expect(await eventCount(known.userId)).toBe(1 + BATCH_WRITER.maxEvents);
    const [alias] = await rows(t.database.db, sql`select user_id::text as user_id from user_aliases where env_id = ${t.env.id} and alias_id = ${anon.userId}`);
    expect(alias.user_id).toBe(known.userId);
  });

  test("a rage burst completed by the next group flags the previous group's clicks too", async () => {
    // Nothing orders the back-flag behind the previous group but the rule itself: the previous group
    // leaves the user row alone (its events are inside the known first/last seen), the burst's last
    // click comes from another session of the user, and the previous group's COMMIT is slow (a deferred
    // trigger sleeps), so an UPDATE that did not wait for it would find nothing to flag.
    await withEventsTrigger("slow_commit", "constraint", "if new.name = 'Slow commit' then perform pg_sleep(0.3); end if;", async () => {
      const at = T0 + 50_000;
      const web = newDevice(t.env.id);
      const tab = { ...newDevice(t.env.id), userId: web.userId };
      await submit(web, [custom(at - 600_000, "Earlier"), custom(at + 600_000, "Later")]);
      const first = [click(at, "pay"), click(at + 100, "pay"), custom(at + 150, "Slow commit")];
      await overlapping(() => submit(web, bigBatch(at - BATCH_WRITER.maxEvents, first)), () => submit(tab, [click(at + 200, "pay")]));
      const flags = await rows(t.database.db, sql`select rage from events where env_id = ${t.env.id} and user_id = ${web.userId} and type = 'click'`);
      expect(flags.map((f) => f.rage)).toEqual([true, true, true]);
    });
  });

  test("an event id repeated by the next group is a duplicate at once, without waiting on the other group's row", async () => {
    const d = newDevice(t.env.id);
    const repeated = custom(T0 + 70_000, "Once");
    const retriedBefore = counter("loupe_ingest_batches_retried_total");
    const [a, b] = await overlapping(() => submit(d, bigBatch(T0 + 60_000, [repeated])), () => submit(d, [repeated, custom(T0 + 70_001, "Other")]));
    expect(a.accepted).toBe(BATCH_WRITER.maxEvents);
    expect([b.accepted, b.dropped]).toEqual([1, 1]);
    // A group that waited on the other group's row would have given up at the lock timeout and been retried.
    expect(counter("loupe_ingest_batches_retried_total")).toBe(retriedBefore);
    const [n] = await rows(t.database.db, sql`select count(*)::int as n from events where env_id = ${t.env.id} and id = ${repeated.id}`);
    expect(n.n).toBe(1);
  });

  test("when the previous group fails, the group built on it rolls back too and both are retried: nothing lost or doubled", async () => {
    // A trigger fails the first INSERT of an event named "Fail once" (a sequence is not rolled back).
    await t.database.db.execute(sql`create sequence fail_once_seq`);
    const failOnce = "if new.name = 'Fail once' then if nextval('fail_once_seq') = 1 then raise exception 'injected failure'; end if; end if;";
    await withEventsTrigger("fail_once", "", failOnce, async () => {
      const d = newDevice(t.env.id);
      const other = newDevice(t.env.id);
      const retriedBefore = counter("loupe_ingest_batches_retried_total");
      const [a, b] = await overlapping(
        () => submit(d, bigBatch(T0 + 80_000, [custom(T0 + 90_000, "Fail once")])),
        () => submit(other, [pageview(T0 + 80_000), custom(T0 + 80_001, "Beside")]),
      );
      expect(counter("loupe_ingest_batches_retried_total")).toBe(retriedBefore + 2);
      expect(a.accepted).toBe(BATCH_WRITER.maxEvents);
      expect(b.accepted).toBe(2);
      expect(await eventCount(d.userId)).toBe(BATCH_WRITER.maxEvents);
      expect(await eventCount(other.userId)).toBe(2);
      const sessions = await rows(t.database.db, sql`select id::text as id, event_count from sessions where env_id = ${t.env.id} and user_id in (${d.userId}, ${other.userId}) order by event_count`);
      expect(sessions).toEqual([{ id: other.sessionId, event_count: 2 }, { id: d.sessionId, event_count: BATCH_WRITER.maxEvents }]);
      expect((await rows(t.database.db, sql`select 1 from users where env_id = ${t.env.id} and id in (${d.userId}, ${other.userId})`)).length).toBe(2);
    });
    await t.database.db.execute(sql`drop sequence fail_once_seq`);
  });
});

describe.if(driver === "postgres")("lock waits (postgres)", () => {
  test("a group that gave up on a long lock wait is retried without a limit, and its request succeeds", async () => {
    const metrics = new Metrics();
    const lockTimeoutMs = 200;
    const patient = new IngestService({ db: t.database.db, bus: new InProcessBus(), config: loadConfig({}), metrics, writer: { groupsInFlight: 2, lockTimeoutMs } });
    const retried = () => metrics.counter("loupe_ingest_batches_retried_total", "").get();
    const d = newDevice(t.env.id);
    const request = (messages: unknown[]) => collectRequest(d, messages);
    expect((await patient.submit(request([custom(T0 + 100_000, "First")]), client)).accepted).toBe(1);
    // Another connection holds the user's row, as a long merge in another process would.
    const release = Promise.withResolvers<void>();
    const locked = Promise.withResolvers<void>();
    const holding = t.database.pg!.begin(async (tx) => {
      await tx`select 1 from users where env_id = ${t.env.id} and id = ${d.userId} for update`;
      locked.resolve();
      await release.promise;
    });
    await locked.promise;
    const answer = patient.submit(request([custom(T0 + 200_000, "Later")]), client);
    while (retried() === 0) await Bun.sleep(10);
    // The retry waits on the lock with no limit: seen waiting for three lock timeouts, it has not given up.
    await waitingOnLockFor(t.database.db, lockTimeoutMs * 3);
    release.resolve();
    await holding;
    expect((await answer).accepted).toBe(1);
    expect(retried()).toBe(1);
    expect(await eventCount(d.userId)).toBe(2);
  });
});

describe.if(driver === "pglite")("ingest groups on PGlite (one backend)", () => {
  test("groups never overlap: each starts after the previous one committed", async () => {
    const devices = Array.from({ length: 8 }, () => newDevice(t.env.id));
    const results = await Promise.all(devices.map((d, i) => submit(d, [custom(T0 + i, "Serial"), custom(T0 + i + 1, "Serial")])));
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(16);
    expect(await countOf(t.database.db, "events", t.env.id)).toBe(16);
    expect(counter("loupe_ingest_batches_total")).toBeGreaterThan(0);
    expect(counter("loupe_ingest_batches_overlapped_total")).toBe(0);
  });
});
