// Reads a stored element hierarchy back into steps: the one parser of what src/ingest/hierarchy.ts
// writes (`html > body > div#app.main > button#buy.btn[type="submit"]`, root first). Backslash
// escapes in ids, classes and attribute values are undone; ` > ` or `|` inside a quoted value is text.

export interface ParsedStep {
  tag: string;
  id?: string;
  classes: string[];
  attrs: Record<string, string>;
}

const IDENT = /[A-Za-z0-9_-]/;

/** The code point at `i` (two UTF-16 units for an emoji: the writer escapes a code point at a time). */
const codePoint = (text: string, i: number) => String.fromCodePoint(text.codePointAt(i) ?? 0);

/** The steps' own texts, root first (what a list of the hierarchy shows). */
export function splitHierarchy(hierarchy: string | null | undefined): string[] {
  if (!hierarchy) return [];
  const steps: string[] = [];
  // `kept` is the step up to its last significant character: whitespace around separators is dropped,
  // an escaped space (`\ ` in a class name) is not.
  let current = "";
  let kept = 0;
  let quoted = false;
  const end = () => {
    if (kept > 0) steps.push(current.slice(0, kept));
    current = "";
    kept = 0;
  };
  for (let i = 0; i < hierarchy.length; i++) {
    const ch = hierarchy[i];
    if (ch === "\\" && i + 1 < hierarchy.length) {
      const escaped = codePoint(hierarchy, i + 1);
      current += ch + escaped;
      i += escaped.length;
      kept = current.length;
    } else if (!quoted && (ch === ">" || ch === "|")) {
      end();
    } else if (quoted || !/\s/.test(ch)) {
      if (ch === '"') quoted = !quoted;
      current += ch;
      kept = current.length;
    } else if (current) {
      current += ch;
    }
  }
  end();
  return steps;
}

/** One step's text: `button#buy.btn.primary[type="submit"][disabled]`. */
export function parseStep(text: string): ParsedStep {
  let i = 0;
  const ident = (allowed: RegExp) => {
    let out = "";
    while (i < text.length) {
      const ch = text[i];
      if (ch === "\\" && i + 1 < text.length) {
        const escaped = codePoint(text, i + 1);
        out += escaped;
        i += 1 + escaped.length;
      } else if (allowed.test(ch)) {
        out += ch;
        i++;
      } else break;
    }
    return out;
  };
  const step: ParsedStep = { tag: ident(/[A-Za-z0-9*-]/).toLowerCase(), classes: [], attrs: {} };
  while (i < text.length) {
    const ch = text[i++];
    if (ch === "#") step.id = ident(IDENT);
    else if (ch === ".") {
      const name = ident(IDENT);
      if (name) step.classes.push(name);
    } else if (ch === "[") {
      const name = ident(/[^\]=\s]/).toLowerCase();
      let value = "";
      if (text[i] === "=") {
        i++;
        if (text[i] === '"') {
          i++;
          while (i < text.length && text[i] !== '"') {
            if (text[i] === "\\" && i + 1 < text.length) {
              const escaped = codePoint(text, i + 1);
              value += escaped;
              i += 1 + escaped.length;
            } else value += text[i++];
          }
          i++;
        } else value = ident(/[^\]]/);
      }
      while (i < text.length && text[i] !== "]") i++;
      i++;
      if (name) step.attrs[name] = value;
    }
  }
  return step;
}

/** Every step of a stored hierarchy, root first; [] for none. */
export const parseHierarchy = (hierarchy: string | null | undefined): ParsedStep[] => splitHierarchy(hierarchy).map(parseStep);

/** The element itself: the last step. */
export function targetStep(hierarchy: string | null | undefined): ParsedStep | undefined {
  const steps = splitHierarchy(hierarchy);
  return steps.length ? parseStep(steps[steps.length - 1]) : undefined;
}

/** Attributes that name one element (not a kind of element, as `type` and `role` do). */
const NAMING_ATTR = /^(name|aria-label|data-.+)$/;

/**
 * What makes two clicks land on "the same target" (rage clicks, src/ingest/rage.ts; the wall's list of
 * them): the path from the root with each step's tag, id and stable attributes, but none of its classes —
 * pages toggle hover, focus, pressed, loading and animation classes between two clicks on one button. The
 * element's text joins the key only when nothing else names the element (no id, name, aria-label or
 * data-* attribute): it tells apart a keypad's or a calendar's look-alike buttons, while a named button
 * whose label changes as it is clicked ("Pay" → "Paying…") stays one target. Screen positions would
 * help too, but clicks carry none.
 */
export function sameTargetKey(hierarchy: string, text: string | null | undefined): string {
  const steps = parseHierarchy(hierarchy);
  const parts = steps.map((s) => `${s.tag}${s.id ? `#${s.id}` : ""}${Object.keys(s.attrs).sort().map((k) => `[${k}=${JSON.stringify(s.attrs[k])}]`).join("")}`);
  const target = steps[steps.length - 1];
  const named = !!target && (!!target.id || Object.keys(target.attrs).some((k) => NAMING_ATTR.test(k)));
  return named ? parts.join(" > ") : `${parts.join(" > ")} "${text ?? ""}"`;
}
