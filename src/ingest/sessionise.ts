// Sessionise step: put each event in a session. Client session ids are honoured unless the session has
// been idle past the limit (30 min web, 5 min mobile) or belongs to someone else; then the server starts
// a new session and maps the client's id to it. Server events join the user's open session, or start one.
import type { Source } from "../events/model";
import type { EnvBatch } from "./env-batch";
import { randomId53 } from "./ids";
import type { SessionRef, SessionState, UserState } from "./state";
import type { DeviceInfo, IngestEvent, Unit } from "./types";

/** A session ends after this long without an event, by source. */
export const SESSION_IDLE_MS = {
  web: 30 * 60_000,
  ios: 5 * 60_000,
  android: 5 * 60_000,
  server: 30 * 60_000,
} as const;

const isOpen = (s: SessionRef, time: number) => time - s.lastAt <= SESSION_IDLE_MS[s.source] && s.startedAt - time <= SESSION_IDLE_MS[s.source];

function start(batch: EnvBatch, id: number, user: UserState, source: Source, time: number, device: DeviceInfo): SessionState {
  const s: SessionState = {
    id, userId: user.id, source, startedAt: time, lastAt: time, stored: false, hasLanding: false,
    device: source === "server" ? null : device, library: device.library, landing: null,
  };
  batch.state.sessions.set(id, s);
  batch.newSessionIds.add(id);
  if (!user.hasInitial && !user.initialFrom) user.initialFrom = s;
  return s;
}

async function sessionById(batch: EnvBatch, id: number): Promise<SessionState | undefined> {
  await batch.state.loadSessions(batch.tx, [id]);
  return batch.state.sessions.get(id);
}

/** The user's latest session if it is still open at `time` (and of the wanted source, when given). */
async function openSession(batch: EnvBatch, user: UserState, time: number, source?: Source): Promise<SessionState | undefined> {
  const last = user.lastSession;
  if (!last || (source && last.source !== source) || !isOpen(last, time)) return undefined;
  const s = await sessionById(batch, last.id);
  return s && batch.state.canonical(s.userId) === user.id && isOpen(s, time) ? s : undefined;
}

async function clientSession(batch: EnvBatch, unit: Unit, user: UserState, time: number, device: DeviceInfo): Promise<SessionState> {
  const clientId = unit.sessionId!;
  const mapped = batch.state.clientSessions.get(clientId) ?? clientId;
  const s = await sessionById(batch, mapped);
  if (!s) return start(batch, mapped, user, unit.source, time, device);
  if (batch.state.canonical(s.userId) === user.id && time - s.lastAt <= SESSION_IDLE_MS[s.source]) return s;
  // Idle past the limit, or another user's id: continue a session the server already split off
  // (the mapping is in memory only; after a restart the user's latest session stands in for it) …
  const next = (await openSession(batch, user, time, unit.source)) ?? start(batch, randomId53(), user, unit.source, time, device);
  if (next.id !== clientId) batch.state.clientSessions.set(clientId, next.id);
  return next;
}

async function serverSession(batch: EnvBatch, unit: Unit, user: UserState, time: number, device: DeviceInfo): Promise<SessionState> {
  if (unit.sessionId !== null) {
    const s = await sessionById(batch, unit.sessionId);
    if (!s) return start(batch, unit.sessionId, user, "server", time, device);
    if (batch.state.canonical(s.userId) === user.id) return s;
  }
  return (await openSession(batch, user, time)) ?? start(batch, randomId53(), user, "server", time, device);
}

export async function sessionise(batch: EnvBatch, unit: Unit, user: UserState, event: IngestEvent, device: DeviceInfo): Promise<void> {
  const s = unit.mode === "client" ? await clientSession(batch, unit, user, event.time, device) : await serverSession(batch, unit, user, event.time, device);
  batch.sessions.set(s.id, s);
  s.userId = user.id;
  s.lastAt = Math.max(s.lastAt, event.time);
  s.startedAt = Math.min(s.startedAt, event.time);
  if (event.landing && !s.hasLanding) {
    if (s.stored) batch.landedSessions.add(s.id);
    s.hasLanding = true;
    s.landing = event.landing;
  }
  event.userId = user.id;
  event.sessionId = s.id;
  user.firstSeen = Math.min(user.firstSeen, event.time);
  user.lastSeen = Math.max(user.lastSeen, event.time);
  if (!user.lastSession || s.startedAt >= user.lastSession.startedAt) user.lastSession = s;
}
