// The Users page's query string as its forms send it: the view itself (src/filters/view.ts) plus the
// toolbar's helper fields (custom days, the Apply marker) and the filter builder's fields (bk, bkey…).
// Read here into what the page, its fragments, the builder and the suggestions need.
import { invalid } from "../errors";
import type { Db } from "../db/client";
import { addCondition, BUILDER_KINDS, conditionFromBuilder, parseEventChoice, type BuilderKind } from "./builder";
import { USER_SCOPES, type UserScope } from "./model";
import { eventKinds, eventPropertyKeys, eventPropertyValues, userPropertyKeys, userPropertyValues, type EventKinds, type UserKeys, type ValueCount } from "./suggestions";
import { parseView, type UsersView, type ViewError } from "./view";

const BUILDER_FIELDS = ["add", "bk", "bkey", "bop", "bv", "bevent", "bcnt", "bn", "bg"];
/** Longest text a value box may send for suggestions, and longest property key. */
const SUGGEST_TYPED_CHARS = 200;
const SUGGEST_KEY_CHARS = 512;
/** Longest notice carried back from another page (a refused segment save). */
const NOTICE_CHARS = 300;

/** Toolbar submissions carry helper fields; fold them into the view's own parameters. */
export function normalizeParams(input: URLSearchParams): URLSearchParams {
  const p = new URLSearchParams(input);
  if (p.get("t") === "custom") p.set("t", `${(p.get("days") ?? "").trim()}d`);
  if (p.get("t") !== "range") {
    p.delete("from");
    p.delete("to");
  }
  for (const k of ["days", "toolbar", "cursor", "expanded"]) p.delete(k);
  if (p.get("q") === "") p.delete("q");
  return p;
}

/** Builder fields are free text typed by the user; PostgreSQL text cannot hold NUL, so drop it. */
const withoutNul = (p: URLSearchParams) => new URLSearchParams([...p].map(([k, v]) => [k, v.replaceAll("\u0000", "")] as [string, string]));

const withoutBuilder = (p: URLSearchParams) => {
  const out = normalizeParams(p);
  for (const k of BUILDER_FIELDS) out.delete(k);
  return out;
};

/** The view a fragment or the CSV asks for; a bad one is a 400 naming the problem. */
export function requireView(query: URLSearchParams): UsersView {
  const { view, error } = parseView(withoutBuilder(query));
  if (error) throw invalid(error.field, error.message);
  return view;
}

export type UsersPageRequest =
  | { redirect: UsersView }
  | { view: UsersView; error?: ViewError; notice?: string };

/**
 * The page's request: a builder or toolbar submission becomes a redirect to the view's canonical URL;
 * otherwise the view (or what is wrong with it) and any notice to show.
 */
export function readUsersPage(query: URLSearchParams): UsersPageRequest {
  const p = normalizeParams(query);
  const { view, error } = parseView(withoutBuilder(query));
  let notice: string | undefined;
  if (query.has("add")) {
    const built = conditionFromBuilder(p);
    if (!error && "condition" in built) {
      const g = p.get("bg");
      return { redirect: addCondition(view, built.condition, g === null || g === "new" ? "new" : Number(g)) };
    }
    notice = "error" in built ? `Filter not added: ${built.error}` : undefined;
  } else if (query.has("toolbar")) {
    const full = parseView(p);
    if (!full.error) return { redirect: full.view };
  }
  notice ??= query.get("segment_error")?.slice(0, NOTICE_CHARS);
  return { view, error, notice };
}

/** What the "Add filter" form shows: its fields as typed, and which group it adds to. */
export interface BuilderState {
  kind: BuilderKind;
  group: number | "new";
  key?: string;
  op?: string;
  value?: string;
  event?: string;
  cnt?: string;
  n?: string;
  error?: string;
}

export function readBuilder(query: URLSearchParams): { view: UsersView; state: BuilderState } {
  const view = requireView(query);
  const p = withoutNul(query);
  const bk = p.get("bk") ?? "";
  const bg = p.get("bg");
  const state: BuilderState = {
    kind: (BUILDER_KINDS as readonly string[]).includes(bk) ? (bk as BuilderKind) : "user",
    group: bg && /^\d{1,2}$/.test(bg) && Number(bg) < view.groups.length ? Number(bg) : "new",
    event: p.get("bevent") ?? undefined,
    key: p.get("bkey") ?? undefined,
    op: p.get("bop") ?? undefined,
    value: p.get("bv") ?? undefined,
    cnt: p.get("bcnt") ?? undefined,
    n: p.get("bn") ?? undefined,
  };
  return { view, state };
}

/** What the builder offers to choose from: user property keys, events, and the chosen event's property keys. */
export async function builderChoices(db: Db, envId: string, state: BuilderState): Promise<{ userKeys: UserKeys; eventKinds: EventKinds; eventKeys: string[] }> {
  const [userKeys, kinds, eventKeys] = await Promise.all([
    userPropertyKeys(db, envId),
    eventKinds(db, envId),
    state.kind === "eprop" ? eventPropertyKeys(db, envId, parseEventChoice(state.event ?? null)) : Promise.resolve([]),
  ]);
  return { userKeys, eventKinds: kinds, eventKeys };
}

/** Top values for the builder's value box: event properties, or a user scope's properties. */
export async function suggestValues(db: Db, envId: string, query: URLSearchParams): Promise<{ values: ValueCount[]; unit: "users" | "events" }> {
  const p = withoutNul(query);
  const typed = (p.get("bv") ?? "").slice(0, SUGGEST_TYPED_CHARS);
  const key = p.get("bkey") ?? "";
  if (key.length > SUGGEST_KEY_CHARS) throw invalid("bkey", "is too long");
  if (p.get("bk") === "eprop") {
    return { values: key ? await eventPropertyValues(db, envId, key, typed, parseEventChoice(p.get("bevent"))) : [], unit: "events" };
  }
  const i = key.indexOf(":");
  const scope = key.slice(0, i) as UserScope;
  if (i < 1 || !(USER_SCOPES as readonly string[]).includes(scope)) return { values: [], unit: "users" };
  return { values: await userPropertyValues(db, envId, scope, key.slice(i + 1), typed), unit: "users" };
}
