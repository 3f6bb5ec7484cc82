// The wall screen as a live view: any batch in its environment refreshes the figures (at most once
// per LIVE.wallRefreshMs), and a timer keeps time-based figures honest when no traffic arrives.
import { and, eq, sql } from "drizzle-orm";
import { ts } from "./sql-time";
import { z } from "zod";
import { LIVE } from "../constants";
import { segments } from "../db/schema";
import { getEnvironment } from "../environments/environments";
import { invalid } from "../errors";
import { compileGroups } from "../filters/compile";
import { segmentFiltersSchema } from "../filters/model";
import type { Db } from "../db/client";
import { MinuteCache, wallFigures, type CounterSpec } from "./wall-figures";
import type { ViewKind } from "./views";

export const wallViewSchema = z.object({
  kind: z.literal("wall"),
  envId: z.string().min(1).max(64),
  segmentId: z.number().int().positive().nullable().default(null),
  /** A raw event type or a custom event name to count today. */
  event: z.string().trim().min(1).max(1024).nullable().default(null),
  mask: z.boolean().default(false),
});
export type WallView = z.output<typeof wallViewSchema>;

const caches = new WeakMap<WallView, MinuteCache>();

/** The counter a wall shows: users of a saved segment active today, or today's count of one event. */
export async function wallCounter(db: Db, envId: string, view: Pick<WallView, "segmentId" | "event">): Promise<CounterSpec | null> {
  if (view.segmentId !== null) {
    const [seg] = await db.select().from(segments).where(and(eq(segments.envId, envId), eq(segments.id, view.segmentId)));
    if (!seg) return null;
    const parsed = segmentFiltersSchema.safeParse(seg.filters);
    if (!parsed.success) return null;
    const groups = parsed.data.groups;
    return {
      label: `${seg.name} · active today`,
      query: (env, midnight) => {
        const where = compileGroups(groups, { window: { from: midnight, end: new Date() } });
        return sql`select count(*) as n from users u where u.env_id = ${env} and u.last_seen >= ${ts(midnight)}${where ? sql` and ${where}` : sql``}`;
      },
    };
  }
  if (view.event !== null) {
    const name = view.event;
    return {
      label: `${name} · today`,
      query: (env, midnight) => sql`select count(*) as n from events where env_id = ${env} and time >= ${ts(midnight)} and (type = ${name} or (type = 'custom' and name = ${name}))`,
    };
  }
  return null;
}

export const wallViewKind: ViewKind<WallView> = {
  kind: "wall",
  parse(raw) {
    const r = wallViewSchema.safeParse(raw);
    if (!r.success) throw invalid(`view.${r.error.issues[0]?.path.join(".") || "wall"}`, r.error.issues[0]?.message ?? "invalid");
    return r.data;
  },
  key: (v) => JSON.stringify([v.envId, v.segmentId, v.event, v.mask]),
  allows: (p, v) => p.kind === "account" || (p.envId === v.envId && v.mask === p.options.maskIdentities),
  affected: () => true,
  minIntervalMs: LIVE.wallRefreshMs,
  tickMs: 15_000,
  async render(ctx, view) {
    ctx.countQuery();
    const env = await getEnvironment(ctx.db, view.envId);
    if (!env) return null;
    let minutes = caches.get(view);
    if (!minutes) caches.set(view, (minutes = new MinuteCache()));
    const counter = await wallCounter(ctx.db, env.id, view);
    return { data: await wallFigures(ctx, env, { mask: view.mask, minutes, counter }) };
  },
};
