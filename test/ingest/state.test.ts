// The ingest cache and other processes' commits: what a remote batch drops, and that a group being
// processed keeps one version of each user and session until its steps are done.
import { describe, expect, test } from "bun:test";
import type { LiveBatch } from "../../src/live/bus";
import { IngestState, type SessionState, type UserState } from "../../src/ingest/state";

const user = (id: number): UserState => ({
  id, identity: null, stored: true, hasInitial: true, firstSeen: 1, lastSeen: 2, savedFirstSeen: 1, savedLastSeen: 2, lastSession: null, initialFrom: null,
});
const session = (id: number, userId: number): SessionState => ({
  id, userId, source: "web", startedAt: 1, lastAt: 2, stored: true, hasLanding: false, device: null, library: null, landing: null,
});
const remote = (over: Partial<LiveBatch>): LiveBatch => ({
  envId: "e1", userIds: [], newUserIds: [], sessionIds: [], newSessionIds: [], eventIds: [], rageEventIds: [], at: 0, remote: true, ...over,
});

function filled(): IngestState {
  const state = new IngestState();
  for (const envId of ["e1", "e2"]) {
    const env = state.env(envId);
    for (const id of [1, 2, 3]) {
      env.users.set(id, user(id));
      env.clicks.set(id, { lo: 0, hi: 10, clicks: [] });
      env.sessions.set(100 + id, session(100 + id, id));
    }
  }
  return state;
}

describe("another process's commits in the ingest cache", () => {
  test("its users (and the ones it merged away), their recent clicks and its sessions are dropped, in its environment only", () => {
    const state = filled();
    state.forgetRemote(remote({ userIds: [1], mergedUserIds: [2], sessionIds: [103] }));
    const e1 = state.env("e1");
    expect([1, 2, 3].map((id) => !!e1.users.peek(id))).toEqual([false, false, true]);
    expect([1, 2, 3].map((id) => !!e1.clicks.peek(id))).toEqual([false, false, true]);
    expect([101, 102, 103].map((id) => !!e1.sessions.peek(id))).toEqual([true, true, false]);
    expect(state.env("e2").users.size).toBe(3);
  });

  test("a batch whose ids did not fit drops its environment; one for every environment drops all", () => {
    const state = filled();
    state.forgetRemote(remote({ overflow: true }));
    expect(state.env("e1").users.size).toBe(0);
    expect(state.env("e2").users.size).toBe(3);
    state.forgetRemote(remote({ envId: "*", overflow: true }));
    expect(state.env("e2").users.size).toBe(0);
  });

  test("while a group's steps run, remote changes wait until they are done", async () => {
    const state = filled();
    const steps = Promise.withResolvers<void>();
    const running = state.whileProcessing(() => steps.promise);
    state.forgetRemote(remote({ userIds: [1], sessionIds: [101] }));
    expect(state.env("e1").users.peek(1)).toBeDefined();
    expect(state.env("e1").sessions.peek(101)).toBeDefined();
    steps.resolve();
    await running;
    expect(state.env("e1").users.peek(1)).toBeUndefined();
    expect(state.env("e1").sessions.peek(101)).toBeUndefined();
  });

  test("a failed group's steps release the deferred changes too", async () => {
    const state = filled();
    const running = state.whileProcessing(async () => {
      state.forgetRemote(remote({ userIds: [2] }));
      throw new Error("step failed");
    });
    await expect(running).rejects.toThrow("step failed");
    expect(state.env("e1").users.peek(2)).toBeUndefined();
  });
});
