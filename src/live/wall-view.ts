// The wall screen as a live view: any batch in its environment refreshes the figures (at most once
// per WALL_REFRESH_MS), and a timer keeps time-based figures honest when no traffic arrives.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "../db/client";
import type { Environment } from "../environments/environments";
import { getSegment } from "../filters/segments";
import { DEFAULT_VIEW } from "../filters/view";
import { countUsers } from "../users/list";
import { parse } from "../validate";
import { ts } from "./sql-time";
import { viewEnvironment } from "./view-env";
import { MinuteCache, wallFigures, type CounterSpec, type WallFigures } from "./wall-figures";
import type { ViewContext, ViewKind } from "./views";

/** The figures are re-read at most this often per wall, however busy the environment. */
export const WALL_REFRESH_MS = 1000;
/** Without traffic the wall still re-reads this often (active users age out, the minute turns). */
export const WALL_TICK_MS = 15_000;

export const wallViewSchema = z.object({
  kind: z.literal("wall"),
  envId: z.string().min(1).max(64),
  segmentId: z.number().int().positive().nullable().default(null),
  /** A raw event type or a custom event name to count today. */
  event: z.string().trim().min(1).max(1024).nullable().default(null),
  mask: z.boolean().default(false),
});
export type WallView = z.output<typeof wallViewSchema>;

export interface WallUpdate { env: Environment; figures: WallFigures }

const caches = new WeakMap<WallView, MinuteCache>();

/** The counter a wall shows: users of a saved segment active today, or today's count of one event. */
export async function wallCounter(db: Db, envId: string, view: Pick<WallView, "segmentId" | "event">): Promise<CounterSpec | null> {
  if (view.segmentId !== null) {
    const segment = await getSegment(db, envId, view.segmentId);
    if (!segment) return null;
    // The Users page's own count, for the timeline "today" and the segment's filters.
    const today = { ...DEFAULT_VIEW, timeline: { kind: "days" as const, days: 1 }, groups: segment.groups };
    return { label: segment.name, unit: "users active today", count: (ctx, env, _midnight, now) => countUsers(ctx.db, { env, view: today, asOf: now }) };
  }
  if (view.event !== null) {
    const name = view.event;
    return {
      label: name,
      unit: "events today",
      count: async (ctx, env, midnight) => {
        const [row] = await queryRows<{ n: string | number }>(ctx.db, sql`select count(*) as n from events
          where env_id = ${env.id} and time >= ${ts(midnight)} and (type = ${name} or (type = 'custom' and name = ${name}))`);
        return Number(row?.n ?? 0);
      },
    };
  }
  return null;
}

/** The figures a wall shows now (its page, and each push with the view's own minute cache). */
export async function readWall(ctx: ViewContext, env: Environment, view: WallView, minutes = new MinuteCache()): Promise<WallFigures> {
  if (view.segmentId !== null) ctx.countQuery();
  const counter = await wallCounter(ctx.db, env.id, view);
  return wallFigures(ctx, env, { mask: view.mask, minutes, counter });
}

export const wallViewKind: ViewKind<WallView, WallUpdate> = {
  kind: "wall",
  parse: (raw) => parse(wallViewSchema, raw, { prefix: "view", whole: "view" }),
  key: (v) => JSON.stringify([v.envId, v.segmentId, v.event, v.mask]),
  allows: (p, v) => p.kind === "account" || (p.envId === v.envId && v.mask === p.options.maskIdentities),
  affected: () => true,
  // The figures are read afresh on every push: there is nothing to catch up on.
  catchUp: false,
  minIntervalMs: WALL_REFRESH_MS,
  tickMs: WALL_TICK_MS,
  async read(ctx, view) {
    const env = await viewEnvironment(ctx, view);
    if (!env) return null;
    let minutes = caches.get(view);
    if (!minutes) caches.set(view, (minutes = new MinuteCache()));
    return { data: { env, figures: await readWall(ctx, env, view, minutes) } };
  },
};
