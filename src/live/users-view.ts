// The Users page as a live view: rows of users with new activity that the page's view shows (read by
// src/users/list.ts, as the page reads them), and "N users" re-counted at most every PAGE_PUSH.countIntervalMs.
import { z } from "zod";
import type { Environment } from "../environments/environments";
import { parseView, viewParams, type UsersView } from "../filters/view";
import { countUsers, viewRowsOf, type UserListRow } from "../users/list";
import { parse } from "../validate";
import { invalid } from "../errors";
import { CATCH_UP } from "./catch-up";
import { viewEnvironment } from "./view-env";
import type { ViewContext, ViewKind } from "./views";

export const PAGE_PUSH = {
  /**
   * At most this many rows are pushed per view per window: the most recently active, as many as the page's
   * first screenful (USERS_LIST.pageSize), so after a burst the top of the page is what a reload would show.
   */
  maxRows: 50,
  /** "N users" on a live Users page is re-counted at most this often. */
  countIntervalMs: 2000,
} as const;

export const envIdSchema = z.string().min(1).max(64);
export const id53Schema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export interface UsersLiveView { envId: string; view: UsersView; query: string }

export interface UsersUpdate {
  env: Environment;
  /** Rows to put at the top of the list (moved there if shown), then rows to refresh where they are. */
  top: UserListRow[];
  inPlace: UserListRow[];
  /** Rows whose activity is new since the page's cursor (they get the live marker). */
  live: Set<number>;
  /** The new count of matching users, when it changed. */
  count?: number;
}

/** Per view: the last count pushed, when it was taken, and whether activity since then went uncounted. */
const lastCounts = new WeakMap<UsersLiveView, { n: number; at: number; dirty: boolean }>();

export const usersViewKind: ViewKind<UsersLiveView, UsersUpdate> = {
  kind: "users",
  parse(raw) {
    const r = parse(z.object({ kind: z.literal("users"), envId: envIdSchema, query: z.string().max(16_384).default("") }), raw, { prefix: "view" });
    const { view, error } = parseView(new URLSearchParams(r.query));
    if (error) throw invalid(`view.${error.field}`, error.message);
    return { envId: r.envId, view, query: viewParams(view).toString() };
  },
  key: (v) => `${v.envId}?${v.query}`,
  allows: (p) => p.kind === "account",
  affected: (_v, ch) => ch.userIds.size > 0,
  // The timer only finishes counts that were skipped inside the interval (see recount).
  tickMs: PAGE_PUSH.countIntervalMs,
  wantsTick: (v) => lastCounts.get(v)?.dirty === true,
  async read(ctx, v, ch) {
    if (ch.userIds.size === 0 && !lastCounts.get(v)?.dirty) return null;
    const env = await viewEnvironment(ctx, v);
    if (!env) return null;
    const none = { env, top: [], inPlace: [], live: new Set<number>() };
    if (ch.userIds.size === 0) {
      const count = await recount(ctx, v, env);
      return count === undefined ? null : { data: { ...none, count } };
    }
    // The count follows in its own frame, so it never delays a row.
    const followUp = recount(ctx, v, env).then((count) => (count === undefined ? null : { ...none, count }));
    ctx.countQuery();
    const rows = await viewRowsOf(ctx.db, { env, view: v.view }, [...ch.userIds].slice(0, CATCH_UP.maxRows), PAGE_PUSH.maxRows);
    const isNew = (id: number) => ch.newUserIds.has(id);
    const top = v.view.sort === "last" ? rows : v.view.sort === "first" ? rows.filter((r) => isNew(r.id)) : [];
    // A catch-up re-sends rows from a little before the cursor (commit-time slack); only activity after
    // the cursor earns the live marker.
    const live = new Set(rows.filter((r) => ch.since === undefined || r.lastActivity.getTime() > ch.since).map((r) => r.id));
    return { data: { env, top, inPlace: rows.filter((r) => !top.includes(r)), live }, followUp };
  },
};

/** The view's count after activity, unless it was counted within the interval (then it is marked dirty). */
async function recount(ctx: ViewContext, v: UsersLiveView, env: Environment): Promise<number | undefined> {
  const last = lastCounts.get(v);
  if (last && Date.now() - last.at < PAGE_PUSH.countIntervalMs) {
    last.dirty = true;
    return undefined;
  }
  lastCounts.set(v, { n: last?.n ?? -1, at: Date.now(), dirty: false });
  ctx.countQuery();
  const n = await countUsers(ctx.db, { env, view: v.view });
  lastCounts.set(v, { n, at: Date.now(), dirty: false });
  return last?.n === n ? undefined : n;
}
