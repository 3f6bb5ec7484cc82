// The Users-page timeline: presets, past N days, all time, or two calendar dates — all
// resolved against the environment's time zone. Past N days means today plus the N-1 days before it.
import { z } from "zod";
import { USERS_LIST } from "../users/limits";

export type Timeline =
  | { kind: "hours"; hours: 24 }
  | { kind: "days"; days: number }
  | { kind: "all" }
  | { kind: "range"; from: string; to: string };

export const DEFAULT_TIMELINE: Timeline = { kind: "days", days: 7 };
export const TIMELINE_PRESETS = ["24h", "7d", "30d", "90d", "all"] as const;

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-01-31").refine((d) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().startsWith(d);
}, "is not a real date").refine((d) => d >= "1970-01-01" && d <= "2999-12-31", "must be between 1970 and 2999");

/** `t` as it appears in the URL: 24h, Nd (1..3650), all, or range (with `from` and `to`). */
export function parseTimeline(t: string | undefined, from: string | undefined, to: string | undefined): Timeline | { error: string; field: string } {
  if (t === undefined || t === "") return DEFAULT_TIMELINE;
  if (t === "24h") return { kind: "hours", hours: 24 };
  if (t === "all") return { kind: "all" };
  const days = /^(\d{1,4})d$/.exec(t);
  if (days) {
    const n = Number(days[1]);
    if (n < 1 || n > USERS_LIST.maxTimelineDays) return { error: `Past N days must be between 1 and ${USERS_LIST.maxTimelineDays}.`, field: "t" };
    return { kind: "days", days: n };
  }
  if (t === "range") {
    const a = isoDay.safeParse(from ?? "");
    if (!a.success) return { error: `Start date ${a.error.issues[0].message}.`, field: "from" };
    const b = isoDay.safeParse(to ?? "");
    if (!b.success) return { error: `End date ${b.error.issues[0].message}.`, field: "to" };
    if (a.data > b.data) return { error: "The start date is after the end date.", field: "from" };
    return { kind: "range", from: a.data, to: b.data };
  }
  return { error: "Unknown timeline: use 24h, a number of days such as 7d, all, or range with from and to.", field: "t" };
}

/** URL parameters for a timeline; the default (past 7 days) writes nothing. */
export function timelineParams(tl: Timeline): [string, string][] {
  switch (tl.kind) {
    case "hours": return [["t", "24h"]];
    case "days": return tl.days === 7 ? [] : [["t", `${tl.days}d`]];
    case "all": return [["t", "all"]];
    case "range": return [["t", "range"], ["from", tl.from], ["to", tl.to]];
  }
}

export function timelineKey(tl: Timeline): string {
  return timelineParams(tl)[0]?.[1] ?? "7d";
}

/** A calendar day of a range as people read it: "1 Dec 2026" (the day itself, no time zone involved). */
const READABLE_DAY = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" });
const readableDay = (day: string) => READABLE_DAY.format(new Date(`${day}T00:00:00Z`));

/** What follows "active" in a sentence: "today", "in the past 7 days", "on 1 Dec 2026", "at any time"… */
export function timelinePhrase(tl: Timeline): string {
  switch (tl.kind) {
    case "hours": return "in the past 24 hours";
    case "days": return tl.days === 1 ? "today" : `in the past ${tl.days} days`;
    case "all": return "at any time";
    case "range": return tl.from === tl.to ? `on ${readableDay(tl.from)}` : `between ${readableDay(tl.from)} and ${readableDay(tl.to)}`;
  }
}

/** A concrete window: activity at `from` ≤ time ≤ `end`. `from` null is unbounded (all time). */
export interface TimeWindow {
  from: Date | null;
  end: Date;
}

/** Resolves the timeline at the snapshot instant `asOf`; the window never reaches past `asOf`. */
export function resolveTimeline(tl: Timeline, timeZone: string, asOf: Date): TimeWindow {
  switch (tl.kind) {
    case "hours": return { from: new Date(asOf.getTime() - tl.hours * 3600_000), end: asOf };
    case "all": return { from: null, end: asOf };
    case "days": {
      const today = localDay(asOf, timeZone);
      return { from: zonedMidnight(addDays(today, -(tl.days - 1)), timeZone), end: asOf };
    }
    case "range": {
      const endOfRange = new Date(zonedMidnight(addDays(tl.to, 1), timeZone).getTime() - 1);
      return { from: zonedMidnight(tl.from, timeZone), end: endOfRange < asOf ? endOfRange : asOf };
    }
  }
}

/** The calendar day (YYYY-MM-DD) an instant falls on in a time zone. */
export function localDay(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

function addDays(day: string, n: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Offset (ms) of a time zone from UTC at an instant. */
function zoneOffset(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant of 00:00 on `day` in `timeZone` (two passes settle DST changes). */
export function zonedMidnight(day: string, timeZone: string): Date {
  const naive = Date.parse(`${day}T00:00:00Z`);
  let guess = naive - zoneOffset(new Date(naive), timeZone);
  guess = naive - zoneOffset(new Date(guess), timeZone);
  return new Date(guess);
}
