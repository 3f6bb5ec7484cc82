// A session's events in time order (keyset-paged over (time, id)), one event in full, and the
// session's Most frequent entries.
import { and, asc, desc, eq, getTableColumns, gt, inArray, sql } from "drizzle-orm";
import { USER_PAGE } from "./limits";
import type { Db } from "../db/client";
import { events } from "../db/schema";
import { labelFor, type Label, type LabelledDefinition } from "../definitions/label";
import { describeEvent } from "./describe-event";
import { cursorTime, encodeCursor, epochMicros, type TimeCursor } from "./time-cursor";

export type StoredEvent = typeof events.$inferSelect;

/** An event ready to show: its readable description and, when a definition matches, that definition. */
export type ShownEvent = StoredEvent & { description: string; label?: Label };

export interface EventPage {
  rows: ShownEvent[];
  /** Cursor of the next (later) page, or null at the end. */
  next: string | null;
}

export const showEvent = (e: StoredEvent, defs: LabelledDefinition[]): ShownEvent => ({
  ...e,
  description: describeEvent(e),
  label: labelFor(defs, e),
});

export async function listSessionEvents(
  db: Db,
  envId: string,
  sessionId: number,
  defs: LabelledDefinition[],
  after?: TimeCursor<string>,
  limit: number = USER_PAGE.eventsPerPage,
): Promise<EventPage> {
  const rows = await db
    .select({ ...getTableColumns(events), cursorUs: epochMicros(events.time) })
    .from(events)
    .where(
      and(
        eq(events.envId, envId),
        eq(events.sessionId, sessionId),
        after ? sql`(${events.time}, ${events.id}) > (${cursorTime(after.us)}, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(events.time), asc(events.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page.map(({ cursorUs: _, ...e }) => showEvent(e, defs)),
    next: rows.length > limit && last ? encodeCursor(last.cursorUs, last.id) : null,
  };
}

/** One event of the environment, or undefined (bad ids are the caller's 400; unknown ones undefined). */
export async function getEvent(db: Db, envId: string, eventId: string): Promise<StoredEvent | undefined> {
  const [e] = await db.select().from(events).where(and(eq(events.envId, envId), eq(events.id, eventId)));
  return e;
}

export interface FrequentEntry {
  /** What the entry shows: the definition's name, else the raw description. */
  text: string;
  count: number;
  label?: Label;
  /** Stable key that rows carry in `data-entry`, so hovering the entry can find its instances. */
  key: string;
}

/** The key an event row carries so Most frequent can highlight it: its definition, else its description. */
export const entryKey = (e: { description: string; label?: Label }) => (e.label ? `d${e.label.id}` : `r:${e.description}`);

/**
 * Top entries of a whole session by count. Events are grouped in SQL by every field a description
 * or a definition looks at (a session has far fewer distinct shapes than events: custom properties
 * join the grouping only when a definition tests them), then described, labelled and merged here.
 */
export async function mostFrequent(
  db: Db,
  envId: string,
  sessionId: number,
  defs: LabelledDefinition[],
  top: number = USER_PAGE.mostFrequentEntries,
): Promise<FrequentEntry[]> {
  const propKeys = [...new Set(defs.flatMap((d) => d.conditions.flatMap((c) => (c.properties ?? []).map((p) => p.key))))]
    .filter((k) => k !== "target_id")
    .slice(0, USER_PAGE.mostFrequentMaxPropertyKeys);
  const fields = {
    type: events.type,
    name: events.name,
    domain: events.domain,
    path: events.path,
    targetText: events.targetText,
    targetTag: events.targetTag,
    hierarchy: events.hierarchy,
    href: events.href,
    targetId: sql<string | null>`${events.props}->>'target_id'`,
    // Property keys are bound parameters, never spliced into the SQL text.
    props: sql<string[] | null>`array[${sql.join([sql`null::text`, ...propKeys.map((k) => sql`${events.props}->>${k}::text`)], sql`, `)}]`,
  };
  // Grouped by position: the bound keys make the expressions textually distinct from the select list's.
  const groups = await db
    .select({ ...fields, count: sql<number>`count(*)::int` })
    .from(events)
    .where(and(eq(events.envId, envId), eq(events.sessionId, sessionId)))
    .groupBy(sql.raw(Object.keys(fields).map((_, i) => i + 1).join(", ")))
    .orderBy(desc(sql`count(*)`))
    .limit(USER_PAGE.mostFrequentMaxGroups);
  const merged = new Map<string, FrequentEntry>();
  for (const g of groups) {
    const props: Record<string, unknown> = g.targetId ? { target_id: g.targetId } : {};
    propKeys.forEach((k, i) => { if (g.props?.[i + 1] != null) props[k] = g.props[i + 1]; });
    const e = { ...g, props };
    const shown = { description: describeEvent(e), label: labelFor(defs, e) };
    const key = entryKey(shown);
    const entry = merged.get(key) ?? { key, text: shown.label?.name ?? shown.description, label: shown.label, count: 0 };
    entry.count += g.count;
    merged.set(key, entry);
  }
  return [...merged.values()].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text)).slice(0, top);
}

/** A session's events by id, or those received after an instant (live appends, catch-up), in time order. */
export async function newSessionEvents(
  db: Db,
  envId: string,
  sessionId: number,
  defs: LabelledDefinition[],
  which: { ids: string[] } | { receivedAfter: Date },
  limit: number,
): Promise<ShownEvent[]> {
  const rows = await db
    .select()
    .from(events)
    .where(and(eq(events.envId, envId), eq(events.sessionId, sessionId), "ids" in which ? inArray(events.id, which.ids) : gt(events.receivedAt, which.receivedAfter)))
    .orderBy(asc(events.time), asc(events.id))
    .limit(limit);
  return rows.map((e) => showEvent(e, defs));
}
