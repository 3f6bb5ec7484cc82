// POST /api/replay: what it stores, what it refuses and how (on the run's driver).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { gzipSync } from "node:zlib";
import { environments, recordings, replayChunks } from "../../src/db/schema";
import { createEnvironment } from "../../src/environments/environments";
import { REPLAY_LIMITS } from "../../src/replay/limits";
import { startTestApp, type TestApp } from "../helpers/app";
import { CHROME_UA, collect, newDevice, pageview } from "../helpers/ingest";
import { deviceWithSession, inflate, postChunk, rrwebEvents, upload } from "../helpers/replay";

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); }, 60_000);
afterAll(async () => { await t?.close(); }, 60_000);

const chunksOf = (envId: string, sessionId: string) =>
  t.database.db.select().from(replayChunks).where(and(eq(replayChunks.envId, envId), eq(replayChunks.sessionId, Number(sessionId)))).orderBy(replayChunks.seq);

describe("POST /api/replay", () => {
  test("stores a chunk compressed, in order, its times shifted by the recording's clock skew, and answers after commit", async () => {
    const d = await deviceWithSession(t.url, t.env.id);
    const start = Date.now() - 60_000;
    // The recorder's clock runs 5 minutes slow: its times move forward by the skew measured at sentAt.
    const slow = 5 * 60_000;
    const first = await postChunk(t.url, upload(d, rrwebEvents(start - slow), { sentAt: Date.now() - slow }));
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ ok: true, stored: true, seq: 0, duplicate: false });
    const second = await postChunk(t.url, upload(d, rrwebEvents(start - slow + 1000, 2), { sentAt: Date.now() - slow }));
    expect(second.json.seq).toBe(1);
    const stored = await chunksOf(t.env.id, d.sessionId);
    expect(stored.map((c) => c.seq)).toEqual([0, 1]);
    expect(stored[0].fullSnapshot).toBe(true);
    const events = inflate(stored[0].data);
    expect(events).toHaveLength(5);
    expect(Math.abs(events[0].timestamp - start)).toBeLessThan(5_000);
    expect(stored[0].rawBytes).toBeGreaterThan(stored[0].data.byteLength);
    const [rec] = await t.database.db.select().from(recordings).where(and(eq(recordings.envId, t.env.id), eq(recordings.sessionId, Number(d.sessionId))));
    expect(rec).toMatchObject({ chunks: 2, eventCount: 9 });
    expect(rec.bytes).toBe(stored[0].data.byteLength + stored[1].data.byteLength);
  });

  test("accepts a gzip body (sniffed, whatever its content type) and stores a retried chunk once", async () => {
    const d = await deviceWithSession(t.url, t.env.id);
    const body = upload(d, rrwebEvents(Date.now() - 1000));
    const zipped = gzipSync(JSON.stringify(body));
    const send = () => fetch(`${t.url}/api/replay`, { method: "POST", headers: { "content-type": "text/plain", "user-agent": CHROME_UA }, body: zipped });
    const a = await send();
    const b = await send();
    expect(a.status).toBe(200);
    expect(await b.json()).toMatchObject({ stored: true, seq: 0, duplicate: true });
    expect(await chunksOf(t.env.id, d.sessionId)).toHaveLength(1);
  });

  test("refuses another environment's session, another user's session and an unknown one with 404 naming sessionId", async () => {
    const other = await createEnvironment(t.database.db, "Other product");
    const theirs = await deviceWithSession(t.url, other.id);
    const foreign = await postChunk(t.url, upload({ ...theirs, envId: t.env.id }, rrwebEvents(Date.now())));
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.field).toBe("sessionId");
    const mine = await deviceWithSession(t.url, t.env.id);
    const wrongUser = await postChunk(t.url, upload({ ...mine, userId: theirs.userId }, rrwebEvents(Date.now())));
    expect(wrongUser.status).toBe(404);
    const unknown = await postChunk(t.url, upload({ ...mine, sessionId: "12345" }, rrwebEvents(Date.now())));
    expect(unknown.status).toBe(404);
    expect(await chunksOf(other.id, theirs.sessionId)).toHaveLength(0);
    expect(await chunksOf(t.env.id, theirs.sessionId)).toHaveLength(0);
  });

  test("bad shapes are 400s naming the field; an unknown environment is refused", async () => {
    const d = await deviceWithSession(t.url, t.env.id);
    const cases: [unknown, string][] = [
      [upload(d, []), "events"],
      [upload(d, [{ type: 9, timestamp: Date.now(), data: {} }]), "events.0.type"],
      [upload(d, [{ type: 3, timestamp: "yesterday", data: {} }]), "events.0.timestamp"],
      [upload(d, rrwebEvents(Date.now()), { chunkId: "nope" }), "chunkId"],
      [upload(d, rrwebEvents(Date.now()), { windowId: "a b" }), "windowId"],
      [upload(d, rrwebEvents(Date.now()), { sessionId: "-1" }), "sessionId"],
    ];
    for (const [body, field] of cases) {
      const res = await postChunk(t.url, body);
      expect(res.status).toBe(400);
      expect(res.json.error.field).toBe(field);
    }
    const unknownEnv = await postChunk(t.url, upload({ ...d, envId: "nope" }, rrwebEvents(Date.now())));
    expect(unknownEnv.status).toBe(400);
    expect(unknownEnv.json.error).toMatchObject({ code: "unknown_environment", field: "envId" });
    const notJson = await postChunk(t.url, "{");
    expect(notJson.json.error.code).toBe("invalid_json");
  });

  test("a body over the upload limit and a gzip body that inflates past the chunk limit are 413s", async () => {
    const d = await deviceWithSession(t.url, t.env.id);
    const big = await postChunk(t.url, upload(d, rrwebEvents(Date.now(), 1, "x".repeat(REPLAY_LIMITS.maxUploadBytes))));
    expect(big.status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(REPLAY_LIMITS.maxChunkRawBytes + 1, 0x20));
    expect(bomb.byteLength).toBeLessThan(REPLAY_LIMITS.maxUploadBytes);
    const res = await fetch(`${t.url}/api/replay`, { method: "POST", body: bomb, headers: { "user-agent": CHROME_UA } });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("body_too_large");
    expect(await chunksOf(t.env.id, d.sessionId)).toHaveLength(0);
  });

  test("is open to every site (CORS) like the collection endpoint", async () => {
    const res = await fetch(`${t.url}/api/replay`, { method: "OPTIONS", headers: { origin: "https://shop.example", "access-control-request-method": "POST" } });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });

  test("a chunk over a cap is answered 200 with stop, counted by reason in /metrics, and not stored", async () => {
    const d = await deviceWithSession(t.url, t.env.id);
    expect((await postChunk(t.url, upload(d, rrwebEvents(Date.now())))).json.stored).toBe(true);
    await t.database.db.update(recordings).set({ cappedBy: "session_bytes" }).where(eq(recordings.sessionId, Number(d.sessionId)));
    const before = t.ctx.metrics.counter("loupe_replay_chunks_dropped_total", "").get({ reason: "session_bytes" });
    const res = await postChunk(t.url, upload(d, rrwebEvents(Date.now())));
    expect(res.json).toEqual({ ok: true, stored: false, dropped: "session_bytes", stop: true });
    expect(t.ctx.metrics.counter("loupe_replay_chunks_dropped_total", "").get({ reason: "session_bytes" })).toBe(before + 1);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toContain('loupe_replay_chunks_dropped_total{reason="session_bytes"}');
    expect(await chunksOf(t.env.id, d.sessionId)).toHaveLength(1);
  });
});

describe("the environment's replay setting reaches the snippet", () => {
  test("collection answers carry it for web batches of an environment that has it on, and only then", async () => {
    const on = await createEnvironment(t.database.db, "Replay on");
    await t.database.db.update(environments).set({ settings: { replay: { enabled: true, sampleRate: 0.25, maskAllText: true } } }).where(eq(environments.id, on.id));
    expect((await collect(t.url, newDevice(on.id), [pageview(Date.now())])).json.replay).toEqual({ sampleRate: 0.25, maskAllText: true });
    const mobile = await collect(t.url, newDevice(on.id, "ios"), [{ kind: "event", id: crypto.randomUUID(), type: "screen_view", time: Date.now() }]);
    expect(mobile.status).toBe(200);
    expect(mobile.json.replay).toBeUndefined();
    expect((await collect(t.url, newDevice(t.env.id), [pageview(Date.now())])).json.replay).toBeUndefined();
  });
});

describe("GET /loupe-record.js", () => {
  test("is public, cross-origin loadable, gzipped, and wraps rrweb's recorder so it sets no page global", async () => {
    const res = await fetch(`${t.url}/loupe-record.js`, { headers: { "accept-encoding": "gzip" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const text = await res.text();
    expect(text).toContain("rrwebRecord");
    expect(text).toContain("loupe-record.js: Loupe's session recorder");
    expect(text).not.toContain("sourceMappingURL=record.umd.min.cjs.map");
    // Run it as a page would, with an AMD loader present: neither the page nor the loader gets rrweb.
    const page: Record<string, unknown> = {};
    const define = Object.assign(() => { throw new Error("registered with the page's AMD loader"); }, { amd: true });
    new Function("window", "document", "define", text)(page, {}, define);
    expect(Object.keys(page)).toEqual([]);
    const again = await fetch(`${t.url}/loupe-record.js`, { headers: { "if-none-match": res.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });
});
