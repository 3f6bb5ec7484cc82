// A session page as a live view: its new events, appended, with the header's duration and event count
// and the Most frequent entries re-read (src/users/session-events.ts, user-sessions.ts), so hovering an
// entry finds the new events too. Live batches name their events; a degraded notification or a catch-up
// re-reads what arrived since the cursor.
import { z } from "zod";
import { loadDefinitions } from "../definitions/label";
import type { Environment } from "../environments/environments";
import { mostFrequent, newSessionEvents, type FrequentEntry, type ShownEvent } from "../users/session-events";
import { getSession, type SessionRow } from "../users/user-sessions";
import { parse } from "../validate";
import { CATCH_UP } from "./catch-up";
import { envIdSchema, id53Schema } from "./users-view";
import { viewEnvironment } from "./view-env";
import type { ViewKind } from "./views";

export interface SessionLiveView { envId: string; userId: number; sessionId: number }
export interface SessionUpdate { env: Environment; view: SessionLiveView; events: ShownEvent[]; session: SessionRow; frequent: FrequentEntry[] }

export const sessionViewKind: ViewKind<SessionLiveView, SessionUpdate> = {
  kind: "session",
  parse(raw) {
    const r = parse(z.object({ kind: z.literal("session"), envId: envIdSchema, userId: id53Schema, sessionId: id53Schema }), raw, { prefix: "view" });
    return { envId: r.envId, userId: r.userId, sessionId: r.sessionId };
  },
  key: (v) => `${v.envId}/${v.sessionId}`,
  allows: (p) => p.kind === "account",
  affected: (v, ch) => ch.sessionIds.has(v.sessionId),
  async read(ctx, v, ch) {
    if (!ch.sessionIds.has(v.sessionId)) return null;
    const env = await viewEnvironment(ctx, v);
    if (!env) return null;
    const byKey = ch.eventIds.size > 0 && ch.since === undefined;
    const which = byKey ? { ids: [...ch.eventIds].slice(0, CATCH_UP.maxRows) } : { receivedAfter: new Date((ch.since ?? ch.at) - CATCH_UP.slackMs) };
    ctx.countQuery(2);
    const defs = await loadDefinitions(ctx.db, env.id);
    const events = await newSessionEvents(ctx.db, env.id, v.sessionId, defs, which, CATCH_UP.maxRows);
    if (!events.length) return null;
    ctx.countQuery(2);
    const [session, frequent] = await Promise.all([getSession(ctx.db, env.id, v.sessionId), mostFrequent(ctx.db, env.id, v.sessionId, defs)]);
    return session ? { data: { env, view: v, events, session, frequent } } : null;
  },
};
