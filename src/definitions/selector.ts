// A small CSS selector matcher over stored hierarchies: tag, #id, .class, [attr],
// [attr=value], descendant (space) and child (>) combinators. Hierarchies are stored root-first as
// `html > body > div#app.main > button#buy.btn[type="submit"]` (read by src/events/hierarchy.ts).
import { parseHierarchy, type ParsedStep } from "../events/hierarchy";

interface Compound {
  tag?: string;
  id?: string;
  classes: string[];
  attrs: { name: string; value?: string }[];
}

const COMPOUND = /^([a-zA-Z*][\w-]*)?((?:#[\w-]+|\.[\w-]+|\[[\w:-]+(?:=(?:"[^"]*"|'[^']*'|[^\]]*))?\])*)$/;
const PARTS = /#([\w-]+)|\.([\w-]+)|\[([\w:-]+)(?:=(?:"([^"]*)"|'([^']*)'|([^\]]*)))?\]/g;

function parseCompound(text: string): Compound | null {
  const m = COMPOUND.exec(text);
  if (!m || text === "") return null;
  const c: Compound = { tag: m[1] && m[1] !== "*" ? m[1].toLowerCase() : undefined, classes: [], attrs: [] };
  for (const p of (m[2] ?? "").matchAll(PARTS)) {
    if (p[1]) c.id = p[1];
    else if (p[2]) c.classes.push(p[2]);
    else c.attrs.push({ name: p[3].toLowerCase(), value: p[4] ?? p[5] ?? p[6] });
  }
  return c;
}

/** `[compound, combinator-before-it][]`, or null when the selector uses syntax outside the supported set. */
function parseSelector(selector: string): { compound: Compound; child: boolean }[] | null {
  const tokens = selector.trim().replace(/\s*>\s*/g, " > ").split(/\s+/);
  const out: { compound: Compound; child: boolean }[] = [];
  let child = false;
  for (const t of tokens) {
    if (t === ">") { if (child || out.length === 0) return null; child = true; continue; }
    const compound = parseCompound(t);
    if (!compound) return null;
    out.push({ compound, child });
    child = false;
  }
  return out.length && !child ? out : null;
}

const stepMatches = (c: Compound, s: ParsedStep) =>
  (!c.tag || c.tag === s.tag) &&
  (!c.id || c.id === s.id) &&
  c.classes.every((k) => s.classes.includes(k)) &&
  c.attrs.every((a) => Object.hasOwn(s.attrs, a.name) && (a.value === undefined || s.attrs[a.name] === a.value));

/** Does the element at the end of `hierarchy` match `selector`? Unsupported selectors match nothing. */
export function matchesSelector(selector: string, hierarchy: string | null | undefined): boolean {
  if (!hierarchy) return false;
  const sel = parseSelector(selector);
  if (!sel) return false;
  const steps = parseHierarchy(hierarchy);
  // Right to left: the last compound must match the element itself, then walk up the ancestors.
  const match = (si: number, hi: number): boolean => {
    if (si < 0) return true;
    if (hi < 0) return false;
    const { compound, child } = sel[si];
    if (!stepMatches(compound, steps[hi])) return false;
    if (si === 0) return true;
    if (child) return match(si - 1, hi - 1);
    for (let up = hi - 1; up >= 0; up--) if (match(si - 1, up)) return true;
    return false;
  };
  return match(sel.length - 1, steps.length - 1);
}
