// A user page as a live view: their sessions touched by a batch (read by src/users/user-sessions.ts);
// new sessions go on top, sessions already shown update where they are.
import { z } from "zod";
import type { Environment } from "../environments/environments";
import { userSessionsByIds, type SessionRow } from "../users/user-sessions";
import { parse } from "../validate";
import { CATCH_UP } from "./catch-up";
import { envIdSchema, id53Schema, PAGE_PUSH } from "./users-view";
import { viewEnvironment } from "./view-env";
import type { ViewKind } from "./views";

export interface UserLiveView { envId: string; userId: number }
export interface UserUpdate { env: Environment; userId: number; fresh: SessionRow[]; others: SessionRow[] }

export const userViewKind: ViewKind<UserLiveView, UserUpdate> = {
  kind: "user",
  parse(raw) {
    const r = parse(z.object({ kind: z.literal("user"), envId: envIdSchema, userId: id53Schema }), raw, { prefix: "view" });
    return { envId: r.envId, userId: r.userId };
  },
  key: (v) => `${v.envId}/${v.userId}`,
  allows: (p) => p.kind === "account",
  affected: (v, ch) => ch.userIds.has(v.userId),
  async read(ctx, v, ch) {
    if (!ch.userIds.has(v.userId)) return null;
    const env = await viewEnvironment(ctx, v);
    const ids = [...ch.sessionIds].slice(0, CATCH_UP.maxRows);
    if (!env || ids.length === 0) return null;
    ctx.countQuery();
    const rows = await userSessionsByIds(ctx.db, env.id, v.userId, ids, PAGE_PUSH.maxRows);
    if (rows.length === 0) return null;
    const fresh = rows.filter((s) => ch.newSessionIds.has(s.id) || (ch.since !== undefined && s.startedAt.getTime() > ch.since - CATCH_UP.slackMs));
    return { data: { env, userId: v.userId, fresh, others: rows.filter((s) => !fresh.includes(s)) } };
  },
};
