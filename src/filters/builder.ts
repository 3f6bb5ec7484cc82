// The "Add filter" form's fields → one validated condition, and conditions → readable chip text.
import { conditionSchema, COUNT_LABELS, EVENT_KEY_LABELS, OP_LABELS, VALUELESS_OPS, type Condition, type EventRef } from "./model";
import type { UsersView } from "./view";

export const BUILDER_KINDS = ["user", "did", "didnot", "eprop"] as const;
export type BuilderKind = (typeof BUILDER_KINDS)[number];
export const BUILDER_KIND_LABELS: Record<BuilderKind, string> = {
  user: "User property", did: "Did event", didnot: "Did not do event", eprop: "Event property",
};

/** "raw:click" / "custom:Signed up" (the builder's select values) ⇄ event refs. */
export function parseEventChoice(raw: string | null): EventRef | undefined {
  if (!raw) return undefined;
  const i = raw.indexOf(":");
  const kind = raw.slice(0, i);
  const value = raw.slice(i + 1);
  if (i < 1 || !value) return undefined;
  if (kind === "raw") return { raw: value };
  if (kind === "custom") return { custom: value };
  if (kind === "defined" && /^\d{1,15}$/.test(value)) return { defined: Number(value) };
  return undefined;
}

export function eventChoice(ref: EventRef): string {
  return "raw" in ref ? `raw:${ref.raw}` : "custom" in ref ? `custom:${ref.custom}` : `defined:${ref.defined}`;
}

/** Builder fields → a condition, or a message saying what is missing. */
export function conditionFromBuilder(p: URLSearchParams): { condition: Condition } | { error: string } {
  const kind = p.get("bk") as BuilderKind | null;
  let candidate: unknown;
  const op = p.get("bop") ?? "eq";
  const v = VALUELESS_OPS.includes(op as never) ? undefined : (p.get("bv") ?? "");
  if (kind === "user") {
    const choice = p.get("bkey") ?? "";
    const i = choice.indexOf(":");
    if (i < 1) return { error: "Choose a property." };
    const s = choice.slice(0, i);
    const key = choice.slice(i + 1);
    candidate = { k: "user", s, ...(s === "custom" || s === "initial" ? { key } : {}), op, ...(v !== undefined ? { v } : {}) };
  } else if (kind === "did" || kind === "didnot") {
    const e = parseEventChoice(p.get("bevent"));
    if (!e) return { error: "Choose an event." };
    const cntOp = p.get("bcnt");
    const n = Number(p.get("bn"));
    const cnt = cntOp ? { op: cntOp, n } : undefined;
    if (cnt && !(Number.isInteger(n) && n >= 1)) return { error: "The number of times must be a whole number of at least 1." };
    candidate = { k: "event", did: kind === "did", e, ...(cnt ? { cnt } : {}) };
  } else if (kind === "eprop") {
    const e = parseEventChoice(p.get("bevent"));
    if (!e) return { error: "Choose an event." };
    candidate = { k: "eprop", e, key: p.get("bkey") ?? "", op, ...(v !== undefined ? { v } : {}) };
  } else {
    return { error: "Choose what to filter on." };
  }
  const parsed = conditionSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = { v: "The value", key: "The property", op: "The operator", n: "The number of times" }[String(issue.path.at(-1))];
    return { error: issue.message.startsWith("needs") || !field ? `The filter ${issue.message}.` : `${field} ${issue.message}.` };
  }
  return { condition: parsed.data };
}

/** Adds a condition as a new AND group, or OR-ed into an existing group. */
export function addCondition(view: UsersView, condition: Condition, group: number | "new"): UsersView {
  const groups = view.groups.map((g) => [...g]);
  if (group === "new" || !groups[group]) groups.push([condition]);
  else groups[group].push(condition);
  return { ...view, groups, segment: undefined };
}

export function removeCondition(view: UsersView, group: number, index: number): UsersView {
  const groups = view.groups.map((g, gi) => (gi === group ? g.filter((_, ci) => ci !== index) : g)).filter((g) => g.length > 0);
  return { ...view, groups, segment: undefined };
}

const USER_SCOPE_LABELS = { identity: "Identity", id: "User id" } as const;

export function eventLabel(ref: EventRef): string {
  if ("raw" in ref) return ref.raw;
  if ("custom" in ref) return ref.custom;
  return `defined event #${ref.defined}`;
}

export function userKeyLabel(c: { s: string; key?: string }): string {
  if (c.s === "identity" || c.s === "id") return USER_SCOPE_LABELS[c.s];
  return c.s === "initial" ? `Initial ${c.key}` : c.key!;
}

export function eventKeyLabel(key: string): string {
  return (EVENT_KEY_LABELS as Record<string, string>)[key] ?? key;
}

/** "plan equals pro", "did click at least 3 times", "did pageview where Path contains /pricing". */
export function describeCondition(c: Condition): string {
  const value = (op: keyof typeof OP_LABELS, v?: string) => (VALUELESS_OPS.includes(op) ? OP_LABELS[op] : `${OP_LABELS[op]} “${v ?? ""}”`);
  switch (c.k) {
    case "user": return `${userKeyLabel(c)} ${value(c.op, c.v)}`;
    case "event": {
      const times = c.cnt ? ` ${COUNT_LABELS[c.cnt.op]} ${c.cnt.n} time${c.cnt.n === 1 ? "" : "s"}` : "";
      return `${c.did ? "Did" : "Did not do"} ${eventLabel(c.e)}${times}`;
    }
    case "eprop": return `Did ${eventLabel(c.e)} where ${eventKeyLabel(c.key)} ${value(c.op, c.v)}`;
  }
}
