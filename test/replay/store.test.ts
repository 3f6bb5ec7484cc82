// Storing chunks on the run's driver: caps per session and per environment (counted, and what they
// close), a merged user's recorder, and deletion with the user and by age.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { recordings, replayChunks, userAliases } from "../../src/db/schema";
import { createEnvironment } from "../../src/environments/environments";
import { parseUpload } from "../../src/replay/chunk";
import { deleteRecordingsBefore, deleteUserRecordings } from "../../src/replay/delete";
import { REPLAY_LIMITS } from "../../src/replay/limits";
import { getRecording } from "../../src/replay/read";
import { storeChunk, type ReplayCaps } from "../../src/replay/store";
import { sumUsage } from "../../src/replay/usage";
import { seedSession, seedUser } from "../helpers/fixtures";
import { testDatabase, type TestDatabase } from "../helpers/db";
import { rrwebEvents, upload } from "../helpers/replay";

let database: TestDatabase;
beforeAll(async () => { database = await testDatabase(); }, 60_000);
afterAll(async () => { await database?.close(); }, 60_000);

/** A session of a new user in a new environment (each test its own, so environment totals start at 0). */
async function freshSession() {
  const env = await createEnvironment(database.db, "Caps");
  const user = await seedUser(database.db, env.id);
  const session = await seedSession(database.db, env.id, { userId: user.id });
  const device = { envId: env.id, userId: String(user.id), sessionId: String(session.id) };
  return { env, user, session, device };
}
const chunk = (device: { envId: string; userId: string; sessionId: string }, start: number, extra: Record<string, unknown> = {}) =>
  parseUpload(JSON.stringify(upload(device, rrwebEvents(start), { sentAt: Date.now(), ...extra })));
const caps = (over: Partial<ReplayCaps>): ReplayCaps => ({ ...REPLAY_LIMITS, ...over });

describe("caps", () => {
  test("a session over its byte cap stops for good: later chunks are dropped with the same reason", async () => {
    const { env, session, device } = await freshSession();
    const first = await storeChunk(database.db, chunk(device, Date.now()));
    expect(first.stored).toBe(true);
    const size = first.stored ? first.bytes : 0;
    const limit = caps({ maxSessionBytes: size + 10 });
    expect(await storeChunk(database.db, chunk(device, Date.now()), { caps: limit })).toEqual({ stored: false, dropped: "session_bytes" });
    // Even a chunk that would fit now: the recording was closed.
    expect(await storeChunk(database.db, chunk(device, Date.now()), { caps: caps({}) })).toEqual({ stored: false, dropped: "session_bytes" });
    const rec = await getRecording(database.db, env.id, session.id);
    expect(rec).toMatchObject({ chunks: 1, cappedBy: "session_bytes" });
  });

  test("a session over its duration cap stops; a single chunk spanning more than the cap is dropped without an empty recording", async () => {
    const { env, session, device } = await freshSession();
    const t0 = Date.now() - 3 * 3600_000;
    expect((await storeChunk(database.db, chunk(device, t0))).stored).toBe(true);
    expect(await storeChunk(database.db, chunk(device, t0 + 2 * 3600_000), { caps: caps({ maxSessionDurationMs: 3600_000 }) })).toEqual({ stored: false, dropped: "session_duration" });
    expect((await getRecording(database.db, env.id, session.id))?.cappedBy).toBe("session_duration");

    const other = await freshSession();
    const wide = parseUpload(JSON.stringify(upload(other.device, [...rrwebEvents(t0), ...rrwebEvents(t0 + 2 * 3600_000)])));
    expect(await storeChunk(database.db, wide, { caps: caps({ maxSessionDurationMs: 3600_000 }) })).toEqual({ stored: false, dropped: "session_duration" });
    const rows = await database.db.select().from(recordings).where(eq(recordings.envId, other.env.id));
    expect(rows).toEqual([]);
  });

  test("an environment over its byte or duration cap refuses new chunks without closing its sessions", async () => {
    const { env, session, device } = await freshSession();
    const first = await storeChunk(database.db, chunk(device, Date.now() - 60_000));
    expect(first.stored).toBe(true);
    const usage = await sumUsage(database.db, env.id);
    expect(usage.bytes).toBe(first.stored ? first.bytes : -1);
    expect(await storeChunk(database.db, chunk(device, Date.now()), { caps: caps({ maxEnvironmentBytes: usage.bytes }) })).toEqual({ stored: false, dropped: "environment_bytes" });
    expect(await storeChunk(database.db, chunk(device, Date.now()), { caps: caps({ maxEnvironmentDurationMs: usage.durationMs + 1000 }) })).toEqual({ stored: false, dropped: "environment_duration" });
    const rec = await getRecording(database.db, env.id, session.id);
    expect(rec).toMatchObject({ chunks: 1, cappedBy: null });
    expect((await storeChunk(database.db, chunk(device, Date.now()))).stored).toBe(true);
  });
});

test("a recorder still holding the anonymous id of a user merged into another stores into the session", async () => {
  const { env, user, device } = await freshSession();
  const anonymous = 777_000_111;
  await database.db.insert(userAliases).values({ envId: env.id, aliasId: anonymous, userId: user.id });
  const res = await storeChunk(database.db, chunk({ ...device, userId: String(anonymous) }, Date.now()));
  expect(res.stored).toBe(true);
});

describe("deletion", () => {
  test("deleting a user's recordings removes every chunk of their sessions and nobody else's", async () => {
    const a = await freshSession();
    const second = await seedSession(database.db, a.env.id, { userId: a.user.id });
    const otherUser = await seedUser(database.db, a.env.id);
    const theirs = await seedSession(database.db, a.env.id, { userId: otherUser.id });
    await storeChunk(database.db, chunk(a.device, Date.now()));
    await storeChunk(database.db, chunk({ ...a.device, sessionId: String(second.id) }, Date.now()));
    await storeChunk(database.db, chunk({ envId: a.env.id, userId: String(otherUser.id), sessionId: String(theirs.id) }, Date.now()));
    expect(await deleteUserRecordings(database.db, a.env.id, [a.user.id])).toBe(2);
    const left = await database.db.select({ sessionId: replayChunks.sessionId }).from(replayChunks).where(eq(replayChunks.envId, a.env.id));
    expect(left).toEqual([{ sessionId: theirs.id }]);
    expect((await database.db.select().from(recordings).where(eq(recordings.envId, a.env.id))).map((r) => r.sessionId)).toEqual([theirs.id]);
    expect((await sumUsage(database.db, a.env.id)).bytes).toBeGreaterThan(0);
  });

  test("retention deletes recordings last written before the cut-off", async () => {
    const a = await freshSession();
    const recent = await seedSession(database.db, a.env.id, { userId: a.user.id });
    await storeChunk(database.db, chunk(a.device, Date.now()), { now: Date.now() - 40 * 86_400_000 });
    await storeChunk(database.db, chunk({ ...a.device, sessionId: String(recent.id) }, Date.now()));
    expect(await deleteRecordingsBefore(database.db, a.env.id, new Date(Date.now() - 30 * 86_400_000))).toBe(1);
    expect(await getRecording(database.db, a.env.id, a.session.id)).toBeUndefined();
    expect(await database.db.select().from(replayChunks).where(and(eq(replayChunks.envId, a.env.id), eq(replayChunks.sessionId, a.session.id)))).toEqual([]);
    expect(await getRecording(database.db, a.env.id, recent.id)).toBeDefined();
  });
});
