// A Users-list view as a URL: timeline (t/from/to), filter groups (one `f` JSON per OR-group, AND-ed),
// quick search (q), sort, and the saved segment it came from. Parse and serialize round-trip exactly.
import { z } from "zod";
import { USERS_LIST } from "../users/limits";
import { groupSchema, noNul, type FilterGroup } from "./model";
import { DEFAULT_TIMELINE, parseTimeline, timelineParams, type Timeline } from "./timeline";

export const SORTS = ["last", "first", "events"] as const;
export type Sort = (typeof SORTS)[number];
export const SORT_LABELS: Record<Sort, string> = { last: "Last seen", first: "First seen", events: "Events" };

export interface UsersView {
  timeline: Timeline;
  groups: FilterGroup[];
  q: string;
  sort: Sort;
  /** The saved segment these filters came from (shown as its name while they are unchanged). */
  segment?: number;
}

export const DEFAULT_VIEW: UsersView = { timeline: DEFAULT_TIMELINE, groups: [], q: "", sort: "last" };

export interface ViewError {
  message: string;
  field: string;
}

const MAX_F_CHARS = 8192;

/** Reads a view from query parameters; anything malformed comes back as a message naming the part. */
export function parseView(params: URLSearchParams): { view: UsersView; error?: ViewError } {
  const view: UsersView = { ...DEFAULT_VIEW, groups: [] };
  const fail = (field: string, message: string) => ({ view, error: { field, message } });

  const tl = parseTimeline(params.get("t") ?? undefined, params.get("from") ?? undefined, params.get("to") ?? undefined);
  if ("error" in tl) return fail(tl.field, tl.error);
  view.timeline = tl;

  const q = params.get("q") ?? "";
  if (q.length > USERS_LIST.maxSearchChars) return fail("q", `The search is longer than ${USERS_LIST.maxSearchChars} characters.`);
  if (!noNul(q)) return fail("q", "The search must not contain NUL characters.");
  view.q = q.trim();

  const sort = params.get("sort") ?? "last";
  if (!(SORTS as readonly string[]).includes(sort)) return fail("sort", "Sort must be last, first or events.");
  view.sort = sort as Sort;

  const segment = params.get("segment");
  if (segment) {
    const id = z.coerce.number().int().positive().safeParse(segment);
    if (!id.success) return fail("segment", "The segment id is not a number.");
    view.segment = id.data;
  }

  const raw = params.getAll("f");
  if (raw.length > USERS_LIST.maxGroups) return fail("f", `At most ${USERS_LIST.maxGroups} filter groups.`);
  for (const [i, text] of raw.entries()) {
    const which = `Filter group ${i + 1}`;
    if (text.length > MAX_F_CHARS) return fail("f", `${which} is too long.`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail("f", `${which} is not valid filter JSON.`);
    }
    const parsed = groupSchema.safeParse(json);
    if (!parsed.success) return fail("f", `${which} is not a valid filter: ${describeIssue(parsed.error.issues[0])}.`);
    view.groups.push(parsed.data);
  }
  return { view };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.filter((p) => typeof p === "string").join(".");
  return where ? `${where} ${issue.message}` : issue.message;
}

/** Query parameters of a view, defaults omitted, in a stable order. */
export function viewParams(view: UsersView, opts: { sort?: boolean; search?: boolean } = {}): URLSearchParams {
  const p = new URLSearchParams(timelineParams(view.timeline));
  for (const g of view.groups) p.append("f", JSON.stringify(g));
  if (view.q && opts.search !== false) p.set("q", view.q);
  if (view.sort !== "last" && opts.sort !== false) p.set("sort", view.sort);
  if (view.segment) p.set("segment", String(view.segment));
  return p;
}
