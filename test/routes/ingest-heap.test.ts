// The Heap-compatible server API contract over real HTTP: each endpoint, bulk limits, each
// limit violation and malformed body (with the field named), idempotency, CORS.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { LIMITS } from "../../src/limits";
import { startTestApp, type TestApp } from "../helpers/app";
import { driver } from "../helpers/db";
import { countOf, post, rows, T0 } from "../helpers/ingest";

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); }, 60_000);
afterAll(() => t.close());

const track = (body: Record<string, unknown>) => post(t.url, "/api/track", { app_id: t.env.id, ...body });
const expectField = (r: { status: number; json: any }, status: number, field: string, code = "invalid_input") => {
  expect(r.status).toBe(status);
  expect(r.json.error.code).toBe(code);
  expect(r.json.error.field).toBe(field);
  expect(r.json.error.message).toContain(field);
};

describe(`Heap-compatible API (${driver})`, () => {
  test("/api/track: one event by identity, stored as a custom server event with its properties", async () => {
    const r = await track({ identity: "heap@example.com", event: "Purchase", timestamp: "2026-06-01T10:00:00Z", properties: { amount: 42, tags: ["a", "b", 3], ok: true, nested: { x: 1 } } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ok: true, accepted: 1, dropped: 0 });
    const [e] = await rows(t.database.db, sql`select e.type, e.name, e.source, e.time, e.props, u.identity from events e
      join users u on u.env_id = e.env_id and u.id = e.user_id where e.env_id = ${t.env.id} and e.name = 'Purchase'`);
    expect(e).toMatchObject({ type: "custom", name: "Purchase", source: "server", identity: "heap@example.com" });
    expect(new Date(e.time).getTime()).toBe(T0);
    expect(e.props).toEqual({ amount: 42, tags: "a||b||3", ok: true, nested: '{"x":1}' });
  });

  test("/api/track bulk: up to 1000 events, each with its own user; 1001 is refused", async () => {
    const events = Array.from({ length: 1000 }, (_, i) => ({ identity: `bulk${i % 10}@example.com`, event: "Bulk", timestamp: T0 + i }));
    const r = await track({ events });
    expect(r.json).toEqual({ ok: true, accepted: 1000, dropped: 0 });
    const [n] = await rows(t.database.db, sql`select count(distinct user_id)::int as users, count(*)::int as events from events where env_id = ${t.env.id} and name = 'Bulk'`);
    expect(n).toEqual({ users: 10, events: 1000 });
    expectField(await track({ events: [...events, events[0]] }), 400, "events");
    expectField(await track({ events: [] }), 400, "events");
  });

  test("each limit and type violation is a 400 naming the field; nothing of the request is stored", async () => {
    const before = await countOf(t.database.db, "events", t.env.id);
    const long = (n: number) => "x".repeat(n);
    expectField(await track({ identity: "a", event: long(LIMITS.eventNameChars + 1) }), 400, "event");
    expect((await track({ identity: "limit-ok", event: long(LIMITS.eventNameChars) })).status).toBe(200);
    expectField(await track({ identity: long(LIMITS.identityChars + 1), event: "e" }), 400, "identity");
    expectField(await track({ identity: "a", event: "e", properties: { [long(LIMITS.propertyKeyChars + 1)]: 1 } }), 400, `properties.${long(64)}`);
    expectField(await track({ identity: "a", event: "e", properties: { k: long(LIMITS.propertyValueChars + 1) } }), 400, "properties.k");
    expectField(await track({ identity: "a", event: "e", properties: { k: Array(600).fill("ab") } }), 400, "properties.k");
    expectField(await track({ identity: "a", event: "e", properties: "nope" }), 400, "properties");
    expectField(await track({ identity: "a", event: 12 }), 400, "event");
    expectField(await track({ identity: "a" }), 400, "event");
    expectField(await track({ event: "e" }), 400, "identity");
    expectField(await track({ identity: "a", user_id: "1", event: "e" }), 400, "identity");
    expectField(await track({ user_id: "-5", event: "e" }), 400, "user_id");
    expectField(await track({ user_id: "9007199254740992", event: "e" }), 400, "user_id");
    expectField(await track({ identity: "a", event: "e", timestamp: "yesterday-ish" }), 400, "timestamp");
    expectField(await track({ identity: "a", event: "e", session_id: "abc" }), 400, "session_id");
    expectField(await track({ events: [{ identity: "ok", event: "fine" }, { identity: "b", event: "e", properties: { v: long(2000) } }] }), 400, "events.1.properties.v");
    expectField(await track({ events: [{ identity: "undefined", event: "e" }] }), 400, "events.0.identity", "junk_identity");
    expectField(await post(t.url, "/api/track", { identity: "a", event: "e" }), 400, "app_id");
    expectField(await post(t.url, "/api/track", { app_id: "0000000000", identity: "a", event: "e" }), 400, "app_id", "unknown_environment");
    expectField(await post(t.url, "/api/track", "{not json"), 400, "body", "invalid_json");
    expectField(await post(t.url, "/api/track", "[1,2]"), 400, "body");
    expect(await countOf(t.database.db, "events", t.env.id)).toBe(before + 1);
  });

  test("a body over the limit gets 413, by Content-Length or by counting a chunked stream", async () => {
    const huge = JSON.stringify({ app_id: t.env.id, identity: "a", event: "e", properties: { k: "x".repeat(1000) }, pad: "y".repeat(t.ctx.config.maxBodyBytes) });
    const r = await post(t.url, "/api/track", huge);
    expect(r.status).toBe(413);
    expect(r.json.error).toMatchObject({ code: "body_too_large", field: "body" });
    const enc = new TextEncoder().encode(huge);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < enc.length; i += 64 * 1024) controller.enqueue(enc.subarray(i, i + 64 * 1024));
        controller.close();
      },
    });
    const chunked = await fetch(`${t.url}/api/collect`, { method: "POST", body: stream, headers: { "content-type": "text/plain" } });
    expect(chunked.status).toBe(413);
    expect((await chunked.json()).error.code).toBe("body_too_large");
  });

  test("idempotency_key: retries of the same key are stored once (also within one bulk request)", async () => {
    const body = { identity: "idem@example.com", event: "Charge", idempotency_key: "charge-001", timestamp: T0 };
    const results = await Promise.all([track(body), track(body), track({ events: [body, body] })]);
    for (const r of results) expect(r.status).toBe(200);
    expect(results.reduce((n, r) => n + r.json.accepted, 0)).toBe(1);
    expect(results.reduce((n, r) => n + r.json.dropped, 0)).toBe(3);
    await track(body);
    const [n] = await rows(t.database.db, sql`select count(*)::int as n from events where env_id = ${t.env.id} and name = 'Charge'`);
    expect(n.n).toBe(1);
    // The key is scoped to the environment and mapped to a deterministic UUID.
    const [e] = await rows(t.database.db, sql`select id::text as id from events where env_id = ${t.env.id} and name = 'Charge'`);
    expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test("/api/add_user_properties: one and bulk (≤1000), last write wins, creates users by identity", async () => {
    const one = await post(t.url, "/api/add_user_properties", { app_id: t.env.id, identity: "props@example.com", properties: { plan: "free", seats: 3 } });
    expect(one.json).toEqual({ ok: true, accepted: 1 });
    const bulk = await post(t.url, "/api/add_user_properties", {
      app_id: t.env.id,
      users: [{ identity: "props@example.com", properties: { plan: "pro" } }, { identity: "props2@example.com", properties: { plan: "team", tags: ["x", "y"] } }],
    });
    expect(bulk.json).toEqual({ ok: true, accepted: 2 });
    const got = await rows(t.database.db, sql`select identity, properties from users where env_id = ${t.env.id} and identity like 'props%' order by identity`);
    expect(got).toEqual([
      { identity: "props2@example.com", properties: { plan: "team", tags: "x||y" } },
      { identity: "props@example.com", properties: { plan: "pro", seats: 3 } },
    ]);
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ identity: `u${i}`, properties: {} }));
    expectField(await post(t.url, "/api/add_user_properties", { app_id: t.env.id, users: tooMany }), 400, "users");
    expectField(await post(t.url, "/api/add_user_properties", { app_id: t.env.id, identity: "a", properties: { k: "v".repeat(1025) } }), 400, "properties.k");
    expectField(await post(t.url, "/api/add_user_properties", { app_id: t.env.id, users: [{ identity: "NaN", properties: {} }] }), 400, "users.0.identity", "junk_identity");
  });

  test("/api/v1/identify validates its fields", async () => {
    expectField(await post(t.url, "/api/v1/identify", { app_id: t.env.id, identity: "x" }), 400, "user_id");
    expectField(await post(t.url, "/api/v1/identify", { app_id: t.env.id, user_id: "1", identity: "x".repeat(256) }), 400, "identity");
    expectField(await post(t.url, "/api/v1/identify", { app_id: t.env.id, user_id: "1", identity: 5 }), 400, "identity");
  });

  test("CORS is open on the ingest endpoints (preflight and response)", async () => {
    for (const path of ["/api/collect", "/api/track", "/api/add_user_properties", "/api/v1/identify"]) {
      const pre = await fetch(t.url + path, { method: "OPTIONS", headers: { origin: "https://shop.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
      expect(pre.status).toBeLessThan(300);
      expect(pre.headers.get("access-control-allow-origin")).toBe("*");
      expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    }
  });
});
