// The inputs of issue #11 over real HTTP: emoji cut at every clipping limit, lone surrogates in every
// ingest endpoint, NUL, and times that are not sane instants. None gets a 5xx; what is stored is
// well-formed, and what is dropped is counted.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { startTestApp, type TestApp } from "../helpers/app";
import { driver } from "../helpers/db";
import { click, collect, newDevice, pageview, post, rows, T0 } from "../helpers/ingest";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 60_000);
afterAll(() => t.close());

const eventOf = async (id: string) => (await rows(t.database.db, sql`select * from events where env_id = ${t.env.id} and id = ${id}`))[0];

describe(`hostile text at the ingest boundary (${driver})`, () => {
  test("an emoji cut by a clipping limit is left out whole: target text, title, URL, hierarchy", async () => {
    const d = newDevice(t.env.id);
    const c = click(T0);
    Object.assign(c.target, { text: `${"a".repeat(254)}😀` });
    const p = pageview(T0 + 1, "https://shop.example/p", { title: `${"t".repeat(1023)}😀` });
    const url = `https://shop.example/${"u".repeat(2047 - 21)}😀`;
    const u = pageview(T0 + 2, "https://shop.example/p", { url });
    const h = click(T0 + 3);
    Object.assign(h.target, { hierarchy: Array.from({ length: 200 }, (_, i) => ({ tag: "div", id: `n${i}😀`, classes: ["c😀"] })) });
    const r = await collect(t.url, d, [c, p, u, h]);
    expect(r.status).toBe(200);
    expect(r.json.accepted).toBe(4);
    expect((await eventOf(c.id)).target_text).toBe("a".repeat(254));
    expect((await eventOf(p.id)).title).toBe("t".repeat(1023));
    expect((await eventOf(u.id)).props.url).toBe(url.slice(0, 2047));
    const hierarchy: string = (await eventOf(h.id)).hierarchy;
    expect(hierarchy.isWellFormed()).toBe(true);
    expect(hierarchy.length).toBeLessThanOrEqual(4096);
    expect(hierarchy.endsWith("div#n199\\😀.c\\😀")).toBe(true);
  });

  test("a lone surrogate in any string of any endpoint is stored as U+FFFD", async () => {
    const d = newDevice(t.env.id);
    const p = pageview(T0, "https://shop.example/p", { title: "bad \ud800 title" });
    const r1 = await collect(t.url, d, [p, { kind: "user_properties", time: T0, properties: { "k\udc00": "v\ud83d" } }]);
    expect(r1.status).toBe(200);
    expect((await eventOf(p.id)).title).toBe("bad \ufffd title");
    const [u1] = await rows(t.database.db, sql`select properties from users where env_id = ${t.env.id} and id = ${d.userId}`);
    expect(u1.properties).toEqual({ "k\ufffd": "v\ufffd" });

    const track = await post(t.url, "/api/track", { app_id: t.env.id, identity: "lone\ud800@example.com", event: "E\ud800", properties: { a: "\udc00" }, idempotency_key: "k\ud800" });
    expect(track.status).toBe(200);
    const [e] = await rows(t.database.db, sql`select name, props from events where env_id = ${t.env.id} and name like 'E%' and source = 'server'`);
    expect(e).toEqual({ name: "E\ufffd", props: { a: "\ufffd" } });

    const props = await post(t.url, "/api/add_user_properties", { app_id: t.env.id, identity: "lone\ud800@example.com", properties: { "x\ud800": "y" } });
    expect(props.status).toBe(200);
    const identify = await post(t.url, "/api/v1/identify", { app_id: t.env.id, user_id: "42", identity: "other\udfff@example.com" });
    expect(identify.status).toBe(200);
    const users = await rows(t.database.db, sql`select identity, properties from users where env_id = ${t.env.id} and identity like '%\ufffd@example.com' order by identity`);
    expect(users).toEqual([{ identity: "lone\ufffd@example.com", properties: { "x\ufffd": "y" } }, { identity: "other\ufffd@example.com", properties: {} }]);
  });

  test("NUL is removed from strings and keys", async () => {
    const d = newDevice(t.env.id);
    const p = pageview(T0, "https://shop.example/p", { title: "a\u0000b" });
    const r = await post(t.url, "/api/collect", JSON.stringify({ envId: t.env.id, source: "web", userId: d.userId, sessionId: d.sessionId, messages: [{ ...p, properties: { "k\u0000": "v\u0000" } }] }));
    expect(r.status).toBe(200);
    const e = await eventOf(p.id);
    expect(e.title).toBe("ab");
    expect(e.props.k).toBe("v");
  });

  test("a far-future sentAt drops the events as time_out_of_range: counted, warned, nothing stored", async () => {
    const d = newDevice(t.env.id);
    const dropped = () => t.ctx.metrics.counter("loupe_events_dropped_total", "").get({ reason: "time_out_of_range" });
    const before = dropped();
    const p = pageview(Date.now());
    const r = await collect(t.url, d, [p, { kind: "identify", time: Date.now(), identity: "skewed@example.com" }], { sentAt: 1e14 });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ accepted: 1, dropped: 1 });
    expect(r.json.warnings[0]).toStartWith("time_out_of_range:");
    expect(dropped()).toBe(before + 1);
    expect(await eventOf(p.id)).toBeUndefined();
    const [u] = await rows(t.database.db, sql`select identified_at from users where env_id = ${t.env.id} and identity = 'skewed@example.com'`);
    expect(Math.abs(new Date(u.identified_at).getTime() - Date.now())).toBeLessThan(60_000);
  });

  test("a time that is not an instant is a 400 naming the field", async () => {
    const d = newDevice(t.env.id);
    for (const bad of [-1, 1e16, "soon", null]) {
      const r = await collect(t.url, d, [{ ...pageview(T0), time: bad }]);
      expect(r.status).toBe(400);
      expect(r.json.error.field).toBe("messages.0.time");
    }
    expect((await collect(t.url, d, [pageview(T0)], { sentAt: 1e16 })).json.error.field).toBe("sentAt");
    for (const timestamp of ["1999-12-31T23:59:59Z", 0, "not a date", 1e16]) {
      const r = await post(t.url, "/api/track", { app_id: t.env.id, events: [{ identity: "a@example.com", event: "Old", timestamp }] });
      expect(r.status).toBe(400);
      expect(r.json.error.field).toBe("events.0.timestamp");
    }
    const old = await post(t.url, "/api/v1/identify", { app_id: t.env.id, user_id: "7", identity: "o@example.com", timestamp: "1970-01-01T00:00:00Z" });
    expect(old.json.error.field).toBe("timestamp");
  });
});
