// Detect-rage step: ≥3 clicks by one user on one target within 1 s flag every click of the burst (the same
// target: sameTargetKey of src/events/hierarchy.ts, blind to the classes pages toggle between clicks),
// including clicks stored by earlier batches (back-flagged). Each user's recent clicks are cached;
// a cold or too-narrow cache is filled from the database first, so restarts lose nothing.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import { sameTargetKey } from "../events/hierarchy";
import type { EnvBatch } from "./env-batch";
import type { RecentClicks } from "./state";
import type { IngestEvent } from "./types";

/** A rage click: this many clicks on one element within the window. */
export const RAGE = {
  clicks: 3,
  windowMs: 1000,
  /** Recent clicks kept per user (beyond the window, for out-of-order arrivals). */
  clickMemoryMs: 10_000,
} as const;

const W = RAGE.windowMs;
const isClick = (e: IngestEvent) => (e.type === "click" || e.type === "touch") && e.hierarchy !== null && e.dropped === null;

async function storedClicks(batch: EnvBatch, userId: number, lo: number, hi: number): Promise<RecentClicks["clicks"]> {
  const rows = await queryRows<{ id: string; time: string | Date; hierarchy: string; target_text: string | null; rage: boolean }>(
    batch.tx,
    sql`select id, time, hierarchy, target_text, rage from events
        where env_id = ${batch.state.envId} and user_id = ${userId} and type in ('click', 'touch') and hierarchy is not null
          and time >= ${new Date(lo).toISOString()}::timestamptz and time <= ${new Date(hi).toISOString()}::timestamptz`,
  );
  return rows.map((r) => ({ id: String(r.id), time: new Date(r.time).getTime(), target: sameTargetKey(r.hierarchy, r.target_text), rage: r.rage, pending: null }));
}

/** Makes the user's cache complete for [lo, hi]. */
async function recentClicks(batch: EnvBatch, userId: number, lo: number, hi: number): Promise<RecentClicks> {
  const cached = batch.state.clicks.get(userId);
  if (cached && cached.lo <= lo && cached.hi >= hi) return cached;
  // A user created by this batch has nothing stored yet.
  const loaded = batch.newUserIds.has(userId) ? [] : await storedClicks(batch, userId, lo, hi);
  const rc: RecentClicks = cached && cached.lo <= hi && cached.hi >= lo
    ? { lo: Math.min(lo, cached.lo), hi: Math.max(hi, cached.hi), clicks: cached.clicks }
    : { lo, hi, clicks: [] };
  const known = new Set(rc.clicks.map((c) => c.id));
  for (const c of loaded) if (!known.has(c.id)) rc.clicks.push(c);
  batch.state.clicks.set(userId, rc);
  return rc;
}

/** Flags every click that is part of some ≥N-within-W run of clicks on the same target. */
function flagBursts(rc: RecentClicks, batch: EnvBatch): void {
  const byTarget = new Map<string, RecentClicks["clicks"]>();
  for (const c of rc.clicks) {
    const list = byTarget.get(c.target);
    if (list) list.push(c);
    else byTarget.set(c.target, [c]);
  }
  for (const list of byTarget.values()) {
    if (list.length < RAGE.clicks) continue;
    list.sort((a, b) => a.time - b.time);
    let j = 0;
    for (let i = 0; i < list.length; i++) {
      j = Math.max(j, i);
      while (j + 1 < list.length && list[j + 1].time - list[i].time <= W) j++;
      if (j - i + 1 < RAGE.clicks) continue;
      for (let k = i; k <= j; k++) {
        const c = list[k];
        if (c.rage) continue;
        c.rage = true;
        if (c.pending) c.pending.rage = true;
        else batch.backflaggedRage.add(c.id);
      }
    }
  }
}

export async function detectRage(batch: EnvBatch): Promise<void> {
  const byUser = new Map<number, IngestEvent[]>();
  for (const e of batch.events) {
    if (!isClick(e)) continue;
    const list = byUser.get(e.userId);
    if (list) list.push(e);
    else byUser.set(e.userId, [e]);
  }
  for (const [userId, clicks] of byUser) {
    const times = clicks.map((c) => c.time);
    const lo = Math.min(...times) - W;
    const hi = Math.max(...times) + W;
    const rc = await recentClicks(batch, userId, lo, hi);
    const known = new Set(rc.clicks.map((c) => c.id));
    for (const e of clicks) {
      if (!known.has(e.id)) rc.clicks.push({ id: e.id, time: e.time, target: sameTargetKey(e.hierarchy!, e.targetText), rage: e.rage, pending: e });
    }
    flagBursts(rc, batch);
    // Keep memory bounded: only the last few seconds of clicks stay cached.
    const cutoff = Math.max(...rc.clicks.map((c) => c.time)) - RAGE.clickMemoryMs;
    if (rc.lo < cutoff) {
      rc.clicks = rc.clicks.filter((c) => c.time >= cutoff);
      rc.lo = cutoff;
    }
    for (const c of rc.clicks) c.pending = null;
  }
}
