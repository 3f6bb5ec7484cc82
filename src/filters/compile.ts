// Filters → one SQL predicate over the users row `u`, built with Drizzle's sql template: every value and
// every property key is a bound parameter; the only identifiers are fixed column names chosen from maps.
import { sql, type SQL } from "drizzle-orm";
import { LoupeError } from "../errors";
import type { TimeWindow } from "./timeline";
import {
  EVENT_COLUMN_KEYS,
  type Condition,
  type EventCondition,
  type EventPropertyCondition,
  type EventRef,
  type FilterGroup,
  type PropertyOp,
  type UserCondition,
} from "./model";

export interface CompileOptions {
  /** The environment: event sets are built for it once. Without it they are correlated through `u.env_id`. */
  envId?: string;
  window: TimeWindow;
  /**
   * Seam for defined events (§5): a predicate over the events row `e` for a definition id. Until the
   * definitions area provides one, filtering by a defined event is a clear 400.
   */
  definedEvent?: (id: number) => SQL;
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** `e.time` within the window; `e` is an events row. */
export function eventWindow(window: TimeWindow): SQL {
  return window.from ? sql`e.time >= ${ts(window.from)} and e.time <= ${ts(window.end)}` : sql`e.time <= ${ts(window.end)}`;
}

/** AND of OR-groups; undefined when there are no filters. */
export function compileGroups(groups: FilterGroup[], opts: CompileOptions): SQL | undefined {
  if (groups.length === 0) return undefined;
  const ands = groups.map((g) => sql`(${sql.join(g.map((c) => sql`(${compileCondition(c, opts)})`), sql` or `)})`);
  return sql.join(ands, sql` and `);
}

export function compileCondition(c: Condition, opts: CompileOptions): SQL {
  switch (c.k) {
    case "user": return userPredicate(c);
    case "event": return eventPredicate(c, opts);
    case "eprop": return eventPropertyPredicate(c, opts);
  }
}

function userValue(c: UserCondition): SQL {
  switch (c.s) {
    case "identity": return sql`u.identity`;
    case "id": return sql`u.id::text`;
    case "custom": return sql`(u.properties ->> ${c.key!}::text)`;
    case "initial": return sql`(u.initial ->> ${c.key!}::text)`;
  }
}

function userPredicate(c: UserCondition): SQL {
  return propertyPredicate(userValue(c), c.op, c.v);
}

/** Glob (`*` any run, `?` one character) → an ILIKE pattern with LIKE's own metacharacters escaped. */
export function globToLike(glob: string): string {
  return glob.replace(/[\\%_]/g, (m) => `\\${m}`).replace(/\*/g, "%").replace(/\?/g, "_");
}

/** Text compared with an operator; numeric operators ignore values that are not numbers. */
export function propertyPredicate(value: SQL, op: PropertyOp, v: string | undefined): SQL {
  const text = v ?? "";
  switch (op) {
    case "eq": return sql`${value} = ${text}::text`;
    case "neq": return sql`${value} is distinct from ${text}::text`;
    case "contains": return sql`strpos(lower(${value}), lower(${text}::text)) > 0`;
    case "notContains": return sql`coalesce(strpos(lower(${value}), lower(${text}::text)), 0) = 0`;
    case "wildcard": return sql`${value} ilike ${globToLike(text)}::text escape '\\'`;
    case "set": return sql`${value} is not null`;
    case "notSet": return sql`${value} is null`;
    case "gt": return sql`${asNumber(value)} > ${text.trim()}::numeric`;
    case "lt": return sql`${asNumber(value)} < ${text.trim()}::numeric`;
  }
}

/** The value as numeric when it looks like a number, else null (so it matches neither > nor <). */
function asNumber(value: SQL): SQL {
  return sql`(case when ${value} ~ '^\\s*-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]{1,3})?\\s*$' then trim(${value})::numeric end)`;
}

/** A predicate over the events row `e` for the chosen event. */
export function eventMatch(ref: EventRef, opts: CompileOptions): SQL {
  if ("raw" in ref) return sql`e.type = ${ref.raw}::text`;
  if ("custom" in ref) return sql`(e.type = 'custom' and e.name = ${ref.custom}::text)`;
  if (!opts.definedEvent) throw new LoupeError("invalid_input", "Defined events cannot be used in filters yet.", { field: "f" });
  return opts.definedEvent(ref.defined);
}

// Event conditions are uncorrelated `u.id in (…)` sets: PostgreSQL builds each set once (a semi-join, or a
// hashed subplan inside OR groups) instead of probing every candidate user's events one by one.
const envEvents = (opts: CompileOptions) =>
  sql`e.env_id = ${opts.envId === undefined ? sql`u.env_id` : sql`${opts.envId}::text`} and ${eventWindow(opts.window)}`;

function eventPredicate(c: EventCondition, opts: CompileOptions): SQL {
  const match = eventMatch(c.e, opts);
  let did: SQL;
  if (!c.cnt) {
    did = sql`u.id in (select e.user_id from events e where ${envEvents(opts)} and ${match})`;
  } else {
    const having =
      c.cnt.op === "atLeast" ? sql`count(*) >= ${c.cnt.n}`
      : c.cnt.op === "exactly" ? sql`count(*) = ${c.cnt.n}`
      : sql`count(*) <= ${c.cnt.n}`;
    did = sql`u.id in (select e.user_id from events e where ${envEvents(opts)} and ${match} group by e.user_id having ${having})`;
  }
  // user_id is never null, so NOT IN has plain set semantics here.
  return c.did ? did : sql`not (${did})`;
}

const EVENT_COLUMNS: Record<(typeof EVENT_COLUMN_KEYS)[number], SQL> = {
  path: sql`e.path`, domain: sql`e.domain`, title: sql`e.title`, target_text: sql`e.target_text`,
  target_tag: sql`e.target_tag`, hierarchy: sql`e.hierarchy`, href: sql`e.href`, source: sql`e.source`,
};

export function eventValue(key: string): SQL {
  return (EVENT_COLUMNS as Record<string, SQL>)[key] ?? sql`(e.props ->> ${key}::text)`;
}

function eventPropertyPredicate(c: EventPropertyCondition, opts: CompileOptions): SQL {
  return sql`u.id in (select e.user_id from events e where ${envEvents(opts)} and ${eventMatch(c.e, opts)} and ${propertyPredicate(eventValue(c.key), c.op, c.v)})`;
}

/** Quick search: identity or email containing the text (case-insensitive), or the exact user id. */
export function searchPredicate(q: string): SQL | undefined {
  if (!q) return undefined;
  const pattern = `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const byId = /^\d{1,16}$/.test(q) ? sql` or u.id = ${q}::bigint` : sql``;
  return sql`(u.identity ilike ${pattern}::text escape '\\' or (u.properties ->> 'email') ilike ${pattern}::text escape '\\'${byId})`;
}
