// Live views of dashboard pages. Each push is `<hx-partial>` elements (swap styles from live.js) holding
// rows rendered by the pages' own row components, so a pushed row is exactly what a reload would show.
import { and, desc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { LIVE } from "../constants";
import { queryRows } from "../db/client";
import { events, replayChunks, sessions } from "../db/schema";
import { loadDefinitions } from "../definitions/label";
import { getEnvironment, type Environment } from "../environments/environments";
import { invalid } from "../errors";
import { parseView, viewParams, type UsersView } from "../filters/view";
import { activeInWindow, countUsers, listScope } from "../users/list";
import { pickedUserListRows } from "../users/list-rows";
import { showEvent } from "../users/session-events";
import { UserRow } from "../../views/partials/user-row";
import { SessionRow } from "../../views/partials/session-row";
import { EventRow } from "../../views/partials/event-row";
import { LIVE_TARGETS } from "../../views/partials/live";
import { ts } from "./sql-time";
import type { ViewContext, ViewKind } from "./views";

const envIdSchema = z.string().min(1).max(64);
const id53 = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** `<hx-partial>` around already-escaped rows; targets and swap styles are fixed strings from this file. */
const partial = (target: string, swap: string, html: string) => `<hx-partial hx-target="${target}" hx-swap="${swap}">${html}</hx-partial>`;
const renderAll = async (nodes: unknown[]) => (await Promise.all(nodes.map((n) => String(n)))).join("");

const envCache = new WeakMap<object, { env: Environment; at: number }>();
/** The view's environment (time zone), re-read at most once a minute. */
async function viewEnv(ctx: ViewContext, view: { envId: string }): Promise<Environment | undefined> {
  const hit = envCache.get(view);
  if (hit && Date.now() - hit.at < 60_000) return hit.env;
  ctx.countQuery();
  const env = await getEnvironment(ctx.db, view.envId);
  if (env) envCache.set(view, { env, at: Date.now() });
  return env;
}

// ---- Users list ---------------------------------------------------------------------------------

export interface UsersLiveView { envId: string; view: UsersView; query: string }
/** Per view: the last count pushed, when it was taken, and whether activity since then went uncounted. */
const lastCounts = new WeakMap<UsersLiveView, { n: number; at: number; dirty: boolean }>();

export const usersViewKind: ViewKind<UsersLiveView> = {
  kind: "users",
  parse(raw) {
    const r = z.object({ kind: z.literal("users"), envId: envIdSchema, query: z.string().max(16_384).default("") }).safeParse(raw);
    if (!r.success) throw invalid("view", r.error.issues[0]?.message ?? "invalid");
    const { view, error } = parseView(new URLSearchParams(r.data.query));
    if (error) throw invalid(`view.${error.field}`, error.message);
    return { envId: r.data.envId, view, query: viewParams(view).toString() };
  },
  key: (v) => `${v.envId}?${v.query}`,
  allows: (p) => p.kind === "account",
  affected: (_v, ch) => ch.userIds.size > 0,
  // The timer only finishes counts that were skipped inside the interval (see countPartial).
  tickMs: LIVE.countIntervalMs,
  wantsTick: (v) => lastCounts.get(v)?.dirty === true,
  async render(ctx, v, ch) {
    if (ch.userIds.size === 0 && !lastCounts.get(v)?.dirty) return null;
    const env = await viewEnv(ctx, v);
    if (!env) return null;
    if (ch.userIds.size === 0) {
      const count = await countPartial(ctx, v, env);
      return count ? { html: count } : null;
    }
    const q = { env, view: v.view };
    const scope = listScope(q);
    const ids = [...ch.userIds].slice(0, LIVE.catchUpMaxRows);
    // The count follows in its own frame, so it never delays a row.
    const counting = countPartial(ctx, v, env).then((count) => (count ? { html: count } : null));
    // One statement: which of the active users this view shows (the newest first screenful), with their row data.
    ctx.countQuery();
    const rows = await pickedUserListRows(ctx.db, scope.window, sql`select u.* from users u
      where u.env_id = ${env.id} and u.id in (${sql.join(ids.map((id) => sql`${id}::bigint`), sql`, `)}) and ${activeInWindow(scope.window)}${scope.where}
      order by u.last_seen desc, u.id desc limit ${LIVE.maxRowsPerPush}`);
    let html = "";
    if (rows.length > 0) {
      const rowCtx = { envId: env.id, timeZone: env.timeZone, viewQuery: v.query, now: new Date() };
      const isNew = (id: number) => ch.newUserIds.has(id);
      const top = v.view.sort === "last" ? rows : v.view.sort === "first" ? rows.filter((r) => isNew(r.id)) : [];
      const inPlace = rows.filter((r) => !top.includes(r));
      // A catch-up re-sends rows from a little before the cursor (commit-time slack); only activity after
      // the cursor earns the live marker.
      const live = (r: (typeof rows)[number]) => ch.since === undefined || r.lastActivity.getTime() > ch.since;
      const render = (list: typeof rows) => renderAll(list.map((row) => <UserRow row={row} ctx={rowCtx} live={live(row)} />));
      if (top.length) html += partial(LIVE_TARGETS.usersRows, "liveTop", await render(top));
      if (inPlace.length) html += partial(LIVE_TARGETS.usersRows, "liveRefresh", await render(inPlace));
    }
    return { ...(html ? { html } : {}), followUp: counting };
  },
};

/** The count of matching users after activity, re-counted at most every LIVE.countIntervalMs per view. */
async function countPartial(ctx: ViewContext, v: UsersLiveView, env: Environment): Promise<string> {
  const last = lastCounts.get(v);
  if (last && Date.now() - last.at < LIVE.countIntervalMs) {
    last.dirty = true;
    return "";
  }
  lastCounts.set(v, { n: last?.n ?? -1, at: Date.now(), dirty: false });
  ctx.countQuery();
  const n = await countUsers(ctx.db, { env, view: v.view });
  lastCounts.set(v, { n, at: Date.now(), dirty: false });
  if (last?.n === n) return "";
  return partial(LIVE_TARGETS.usersCount, "innerHTML", n.toLocaleString("en-US"));
}

// ---- One user's sessions ------------------------------------------------------------------------

export interface UserLiveView { envId: string; userId: number }

export const userViewKind: ViewKind<UserLiveView> = {
  kind: "user",
  parse(raw) {
    const r = z.object({ kind: z.literal("user"), envId: envIdSchema, userId: id53 }).safeParse(raw);
    if (!r.success) throw invalid(`view.${r.error.issues[0]?.path.join(".")}`, r.error.issues[0]?.message ?? "invalid");
    return { envId: r.data.envId, userId: r.data.userId };
  },
  key: (v) => `${v.envId}/${v.userId}`,
  allows: (p) => p.kind === "account",
  affected: (v, ch) => ch.userIds.has(v.userId),
  async render(ctx, v, ch) {
    if (!ch.userIds.has(v.userId)) return null;
    const env = await viewEnv(ctx, v);
    if (!env) return null;
    const ids = [...ch.sessionIds].slice(0, LIVE.catchUpMaxRows);
    if (ids.length === 0) return null;
    ctx.countQuery();
    const rows = await ctx.db
      .select({ ...getTableColumns(sessions), hasReplay: sql<boolean>`exists (select 1 from ${replayChunks} where ${replayChunks.envId} = ${sessions.envId} and ${replayChunks.sessionId} = ${sessions.id})` })
      .from(sessions)
      .where(and(eq(sessions.envId, env.id), eq(sessions.userId, v.userId), inArray(sessions.id, ids)))
      .orderBy(desc(sessions.startedAt), desc(sessions.id))
      .limit(LIVE.maxRowsPerPush);
    if (rows.length === 0) return null;
    const render = (list: typeof rows) => renderAll(list.map((s) => <SessionRow session={{ ...s, hasReplay: Boolean(s.hasReplay) }} envId={env.id} timeZone={env.timeZone} userId={v.userId} />));
    // New sessions go on top (the list is newest first); sessions already shown update where they are.
    const fresh = rows.filter((s) => ch.newSessionIds.has(s.id) || (ch.since !== undefined && s.startedAt.getTime() > ch.since - LIVE.catchUpSlackMs));
    const others = rows.filter((s) => !fresh.includes(s));
    let html = "";
    if (fresh.length) html += partial(LIVE_TARGETS.userSessions, "liveTop", await render(fresh));
    if (others.length) html += partial(LIVE_TARGETS.userSessions, "liveRefresh", await render(others));
    return { html };
  },
};

// ---- One session's events -----------------------------------------------------------------------

export interface SessionLiveView { envId: string; userId: number; sessionId: number }

export const sessionViewKind: ViewKind<SessionLiveView> = {
  kind: "session",
  parse(raw) {
    const r = z.object({ kind: z.literal("session"), envId: envIdSchema, userId: id53, sessionId: id53 }).safeParse(raw);
    if (!r.success) throw invalid(`view.${r.error.issues[0]?.path.join(".")}`, r.error.issues[0]?.message ?? "invalid");
    return r.data;
  },
  key: (v) => `${v.envId}/${v.sessionId}`,
  allows: (p) => p.kind === "account",
  affected: (v, ch) => ch.sessionIds.has(v.sessionId),
  async render(ctx, v, ch) {
    if (!ch.sessionIds.has(v.sessionId)) return null;
    const env = await viewEnv(ctx, v);
    if (!env) return null;
    // Live batches name their events; a degraded notification or a catch-up re-reads since the cursor.
    const since = new Date((ch.since ?? ch.at) - LIVE.catchUpSlackMs);
    const byKey = ch.eventIds.size > 0 && ch.since === undefined;
    ctx.countQuery(2);
    const [rows, defs] = await Promise.all([
      ctx.db.select().from(events).where(and(
        eq(events.envId, env.id), eq(events.sessionId, v.sessionId),
        byKey ? inArray(events.id, [...ch.eventIds].slice(0, LIVE.catchUpMaxRows)) : sql`${events.receivedAt} > ${ts(since)}`,
      )).orderBy(events.time, events.id).limit(LIVE.catchUpMaxRows),
      loadDefinitions(ctx.db, env.id),
    ]);
    if (rows.length === 0) return null;
    const scope = { envId: env.id, timeZone: env.timeZone, userId: v.userId, sessionId: v.sessionId };
    const html = await renderAll(rows.map((e) => <EventRow event={showEvent(e, defs)} scope={scope} />));
    return { html: partial(LIVE_TARGETS.sessionEvents, "liveAppend", html) };
  },
};
