// Durability over real HTTP: acknowledged = stored under 200 concurrent requests, retries stored once,
// bad requests lose nothing accepted earlier, one live batch per environment per commit.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import type { LiveBatch } from "../../src/live/bus";
import { startTestApp, type TestApp } from "../helpers/app";
import { driver } from "../helpers/db";
import { click, collect, countOf, custom, newDevice, pageview, post, rows, T0 } from "../helpers/ingest";

let t: TestApp;
const published: LiveBatch[] = [];
beforeAll(async () => {
  t = await startTestApp();
  t.ctx.bus.subscribe((b) => published.push(b));
}, 60_000);
afterAll(() => t.close());

describe(`durability (${driver})`, () => {
  test("200 concurrent requests: every acknowledged event is stored once, nothing else", async () => {
    const devices = Array.from({ length: 40 }, () => newDevice(t.env.id));
    const requests = Array.from({ length: 200 }, (_, i) => {
      if (i % 4 === 3) {
        return post(t.url, "/api/track", { app_id: t.env.id, events: Array.from({ length: 5 }, (_, k) => ({ identity: `c${i % 7}@example.com`, event: "Server", timestamp: T0 + i * 10 + k })) });
      }
      const d = devices[i % devices.length];
      return collect(t.url, d, [pageview(T0 + i * 10), click(T0 + i * 10 + 1), custom(T0 + i * 10 + 2, "Step")]);
    });
    const results = await Promise.all(requests);
    for (const r of results) expect(r.status).toBe(200);
    const acknowledged = results.reduce((n, r) => n + r.json.accepted, 0);
    expect(acknowledged).toBe(150 * 3 + 50 * 5);
    expect(await countOf(t.database.db, "events", t.env.id)).toBe(acknowledged);
    const [sums] = await rows(t.database.db, sql`select sum(event_count)::int as n from sessions where env_id = ${t.env.id}`);
    expect(sums.n).toBe(acknowledged);
    // Requests were grouped: far fewer transactions than requests.
    const batches = t.ctx.metrics.counter("loupe_ingest_batches_total", "").get();
    expect(batches).toBeLessThan(200);
  });

  test("the same batch retried concurrently (a client that timed out) is stored once", async () => {
    const d = newDevice(t.env.id);
    const msgs = [pageview(T0 + 900_000), custom(T0 + 900_001, "Retry me")];
    const before = await countOf(t.database.db, "events", t.env.id);
    const results = await Promise.all(Array.from({ length: 10 }, () => collect(t.url, d, msgs)));
    expect(results.reduce((n, r) => n + r.json.accepted, 0)).toBe(2);
    expect(results.reduce((n, r) => n + r.json.dropped, 0)).toBe(18);
    expect(await countOf(t.database.db, "events", t.env.id)).toBe(before + 2);
    const [s] = await rows(t.database.db, sql`select event_count from sessions where env_id = ${t.env.id} and id = ${d.sessionId}`);
    expect(s.event_count).toBe(2);
  });

  test("a 2xx means committed; a bad request in between loses nothing accepted before", async () => {
    const d = newDevice(t.env.id);
    const ok = await collect(t.url, d, [custom(T0, "Kept")]);
    expect(ok.status).toBe(200);
    expect((await rows(t.database.db, sql`select 1 from events where env_id = ${t.env.id} and user_id = ${d.userId}`)).length).toBe(1);
    const bad = await collect(t.url, d, [custom(T0 + 1, "Kept too"), { kind: "event", id: "not-a-uuid", type: "click", time: T0 }]);
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe("messages.1.id");
    const wrongType = await post(t.url, "/api/collect", { envId: t.env.id, source: "desktop", userId: d.userId, sessionId: d.sessionId, messages: [] });
    expect(wrongType.json.error.field).toBe("source");
    const unknownEnv = await post(t.url, "/api/collect", { envId: "1234567890", source: "web", userId: d.userId, sessionId: d.sessionId, messages: [] });
    expect(unknownEnv.status).toBe(400);
    expect(unknownEnv.json.error).toMatchObject({ code: "unknown_environment", field: "envId" });
    const noName = await collect(t.url, d, [{ kind: "event", id: crypto.randomUUID(), type: "custom", time: T0 }]);
    expect(noName.json.error.field).toBe("messages.0.name");
    expect((await rows(t.database.db, sql`select name from events where env_id = ${t.env.id} and user_id = ${d.userId}`)).map((r) => r.name)).toEqual(["Kept"]);
  });

  test("sendBeacon-style text/plain bodies are accepted", async () => {
    const d = newDevice(t.env.id);
    const res = await fetch(`${t.url}/api/collect`, {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8", "user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36" },
      body: JSON.stringify({ envId: t.env.id, source: "web", userId: d.userId, sessionId: d.sessionId, messages: [pageview(T0)] }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).accepted).toBe(1);
  });

  test("each commit announces one live batch per environment with the ids it touched", async () => {
    await Bun.sleep(20);
    published.length = 0;
    const d = newDevice(t.env.id);
    const pv = pageview(T0 + 5_000_000);
    await collect(t.url, d, [pv]);
    await Bun.sleep(5);
    expect(published.length).toBe(1);
    expect(published[0]).toMatchObject({
      envId: t.env.id, userIds: [Number(d.userId)], newUserIds: [Number(d.userId)], sessionIds: [Number(d.sessionId)],
      newSessionIds: [Number(d.sessionId)], eventIds: [pv.id], rageEventIds: [],
    });
    published.length = 0;
    await collect(t.url, d, [custom(T0 + 5_000_100, "Again")]);
    await Bun.sleep(5);
    expect(published[0]).toMatchObject({ userIds: [Number(d.userId)], newUserIds: [], newSessionIds: [] });
  });
});
