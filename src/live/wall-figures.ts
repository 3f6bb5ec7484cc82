// The wall screen's figures for one environment, read from the database. Completed minutes of the
// events-per-minute chart are kept per view, so each refresh counts only the last two minutes; the
// minute under way is reported apart (drawn with the others it would dip at every minute boundary).
import { sql } from "drizzle-orm";
import { ts } from "./sql-time";
import { queryRows } from "../db/client";
import { sameTargetKey } from "../events/hierarchy";
import { localDay, zonedMidnight } from "../filters/timeline";
import { displayIdentifier } from "../users/identifier";
import { formatLocation } from "../users/location";
import type { ViewContext } from "./views";

export const WALL = {
  /** "Active now": users with a session touched in this window. */
  activeWindowMs: 5 * 60_000,
  chartMinutes: 60,
  feedItems: 12,
  topPages: 6,
  rageEntries: 5,
  /** Rage clicks of the last minute read to list its bursts (a burst is one entry however many clicks). */
  rageClicksRead: 500,
} as const;

export interface WallFeedItem { id: string; who: string; where: string; source: string; page: string; at: number }
export interface WallRage { id: string; who: string; target: string; page: string; clicks: number; at: number }
export interface WallFigures {
  at: number;
  active: number;
  sessionsToday: number;
  /** Events per completed minute, oldest first: the last hour up to the current minute's start. */
  perMinute: number[];
  /** Start (ms) of perMinute's first minute; the chart spans minuteStart … minuteStart + chartMinutes. */
  minuteStart: number;
  /** Events so far in the minute under way (not complete, so not on the chart). */
  thisMinute: number;
  feed: WallFeedItem[];
  rage: WallRage[];
  topPages: { page: string; users: number }[];
  counter: { label: string; unit: string; value: number } | null;
}

/** "User 1234…": enough to tell people apart on a public screen, not enough to know who they are. */
export const maskedIdentifier = (userId: number | string) => `User ${String(userId).slice(0, 4)}…`;

type Who = { user_id: string | number; identity: string | null; properties: unknown };
const who = (r: Who, mask: boolean) =>
  mask ? maskedIdentifier(r.user_id) : displayIdentifier({ id: r.user_id, identity: r.identity, properties: (typeof r.properties === "string" ? JSON.parse(r.properties) : r.properties) as Record<string, unknown> });

const MINUTE = 60_000;

/** Per-view memory of completed minutes: minute start (ms) → count. Bounded to the chart's width. */
export class MinuteCache {
  private counts = new Map<number, number>();
  get(m: number) { return this.counts.get(m); }
  set(m: number, n: number) { this.counts.set(m, n); }
  prune(oldest: number) { for (const k of this.counts.keys()) if (k < oldest) this.counts.delete(k); }
}

export interface CounterSpec {
  /** What is counted (a segment's or an event's name) and in what unit ("users active today"). */
  label: string;
  unit: string;
  /** The counter's value for today (since `midnight`, as of `now`). */
  count: (ctx: ViewContext, env: { id: string; timeZone: string }, midnight: Date, now: Date) => Promise<number>;
}

export async function wallFigures(ctx: ViewContext, env: { id: string; timeZone: string }, opts: { mask: boolean; minutes: MinuteCache; counter: CounterSpec | null }, now = Date.now()): Promise<WallFigures> {
  const { db } = ctx;
  const envId = env.id;
  const midnight = zonedMidnight(localDay(new Date(now), env.timeZone), env.timeZone);
  const activeFrom = new Date(now - WALL.activeWindowMs);
  const currentMinute = Math.floor(now / MINUTE) * MINUTE;
  const minuteStart = currentMinute - WALL.chartMinutes * MINUTE;
  opts.minutes.prune(minuteStart);
  // Recount from the first minute not yet cached as complete (at most the whole hour, usually two minutes).
  let recountFrom = minuteStart;
  while (recountFrom < currentMinute - MINUTE && opts.minutes.get(recountFrom) !== undefined) recountFrom += MINUTE;

  ctx.countQuery(5 + (opts.counter ? 1 : 0));
  const [totals, minutes, feed, rage, top, counter] = await Promise.all([
    queryRows<{ active: string | number; today: string | number }>(db, sql`
      select (select count(distinct user_id) from sessions where env_id = ${envId} and last_at >= ${ts(activeFrom)}) as active,
             (select count(*) from sessions where env_id = ${envId} and last_at >= ${ts(midnight)} and started_at >= ${ts(midnight)}) as today`),
    queryRows<{ m: string | number; n: string | number }>(db, sql`
      select (extract(epoch from date_trunc('minute', time)) * 1000)::bigint as m, count(*) as n
      from events where env_id = ${envId} and time >= ${ts(new Date(recountFrom))} and time < ${ts(new Date(currentMinute + MINUTE))}
      group by 1`),
    queryRows<Who & { id: string | number; source: string; city: string | null; region: string | null; country: string | null; started_at: string | Date; page: string | null }>(db, sql`
      select s.id, s.user_id, s.source, s.city, s.region, s.country, s.started_at, u.identity, u.properties,
             (select coalesce(e.path, e.title) from events e where e.env_id = s.env_id and e.session_id = s.id and e.type in ('pageview', 'screen_view') order by e.time desc limit 1) as page
      from sessions s join users u on u.env_id = s.env_id and u.id = s.user_id
      where s.env_id = ${envId} and s.last_at >= ${ts(new Date(now - 30 * MINUTE))} and s.started_at >= ${ts(new Date(now - 30 * MINUTE))}
      order by s.started_at desc, s.id desc limit ${WALL.feedItems}`),
    // The last minute's rage clicks, newest first; rageBursts() makes one entry of each user's target.
    queryRows<RageClick>(db, sql`
      select e.id::text as id, e.user_id, e.target_text, e.hierarchy, e.path, e.time, u.identity, u.properties
      from events e join users u on u.env_id = e.env_id and u.id = e.user_id
      where e.env_id = ${envId} and e.time >= ${ts(new Date(now - 60_000))} and e.rage
      order by e.time desc, e.id desc limit ${WALL.rageClicksRead}`),
    queryRows<{ page: string; users: string | number }>(db, sql`
      select coalesce(path, title) as page, count(distinct user_id) as users from events
      where env_id = ${envId} and time >= ${ts(activeFrom)} and type in ('pageview', 'screen_view') and coalesce(path, title) is not null
      group by 1 order by 2 desc, 1 limit ${WALL.topPages}`),
    opts.counter ? opts.counter.count(ctx, env, midnight, new Date(now)) : Promise.resolve(null),
  ]);

  const fresh = new Map(minutes.map((r) => [Number(r.m), Number(r.n)]));
  for (let m = recountFrom; m < currentMinute; m += MINUTE) opts.minutes.set(m, fresh.get(m) ?? 0);
  const perMinute: number[] = [];
  for (let m = minuteStart; m < currentMinute; m += MINUTE) perMinute.push(opts.minutes.get(m) ?? fresh.get(m) ?? 0);

  return {
    at: now,
    active: Number(totals[0]?.active ?? 0),
    sessionsToday: Number(totals[0]?.today ?? 0),
    perMinute,
    minuteStart,
    thisMinute: fresh.get(currentMinute) ?? 0,
    feed: feed.map((r) => ({ id: String(r.id), who: who(r, opts.mask), where: formatLocation(r), source: r.source, page: r.page ?? "", at: new Date(r.started_at).getTime() })),
    rage: rageBursts(rage, opts.mask),
    topPages: top.map((r) => ({ page: r.page, users: Number(r.users) })),
    counter: opts.counter && counter !== null ? { label: opts.counter.label, unit: opts.counter.unit, value: counter } : null,
  };
}

type RageClick = Who & { id: string; target_text: string | null; hierarchy: string | null; path: string | null; time: string | Date };

/**
 * One entry per user and target (sameTargetKey: the classes a page toggles, or a click that navigated,
 * do not split a burst), newest first. Its id is the latest click's, so a fresh rage click flashes again;
 * its page is where the burst began.
 */
function rageBursts(clicks: RageClick[], mask: boolean): WallRage[] {
  const bursts = new Map<string, WallRage>();
  for (const c of clicks) {
    const key = `${c.user_id} ${c.hierarchy ? sameTargetKey(c.hierarchy, c.target_text) : c.target_text}`;
    const seen = bursts.get(key);
    if (seen) {
      seen.clicks++;
      seen.page = c.path ?? seen.page;
    } else if (bursts.size < WALL.rageEntries) {
      bursts.set(key, { id: c.id, who: who(c, mask), target: c.target_text ?? "", page: c.path ?? "", clicks: 1, at: new Date(c.time).getTime() });
    }
  }
  return [...bursts.values()];
}
