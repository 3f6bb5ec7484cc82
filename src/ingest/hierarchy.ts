// An element's root-first path, stored as one selector-like string (docs/collect-protocol.md):
// `html > body > div#app.main > button#buy.btn.primary[type="submit"][data-test="buy"]`.
import { LIMITS } from "../limits";
import { clip } from "./wire-text";

export interface HierarchyStep {
  tag: string;
  id?: string | null;
  classes?: string[] | null;
  attrs?: Record<string, string | null> | null;
}

const STABLE_ATTR = /^(name|type|role|aria-label|data-[a-z0-9_.:-]+)$/i;

/**
 * Backslash-escapes whatever would break the selector grammar (like CSS.escape, simplified), a code point
 * at a time: an emoji gets one backslash, not one between its two halves.
 */
const escapeIdent = (s: string) => s.replace(/[^A-Za-z0-9_-]/gu, (ch) => `\\${ch}`);
const escapeAttrValue = (s: string) => s.replace(/["\\]/g, (ch) => `\\${ch}`).replace(/\n/g, " ");

function stepText(step: HierarchyStep): string {
  const tag = step.tag.toLowerCase().replace(/[^a-z0-9-]/g, "") || "*";
  let out = tag;
  if (step.id) out += `#${escapeIdent(step.id)}`;
  for (const c of step.classes ?? []) if (c) out += `.${escapeIdent(c)}`;
  for (const [name, value] of Object.entries(step.attrs ?? {})) {
    if (!STABLE_ATTR.test(name)) continue;
    out += value == null ? `[${name.toLowerCase()}]` : `[${name.toLowerCase()}="${escapeAttrValue(String(value))}"]`;
  }
  return out;
}

/** The stored string; if too long, steps are dropped from the root end (the target end matters most). */
export function hierarchyString(steps: HierarchyStep[]): string | null {
  if (steps.length === 0) return null;
  const parts = steps.map(stepText);
  while (parts.length > 1 && parts.join(" > ").length > LIMITS.hierarchyChars) parts.shift();
  return clip(parts.join(" > "), LIMITS.hierarchyChars);
}
