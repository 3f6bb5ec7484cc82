// Text from the wire, made storable (docs/collect-protocol.md, "Text"). PostgreSQL's text and jsonb hold
// neither U+0000 nor a lone UTF-16 surrogate (half of an emoji), and a JSON text may carry both as
// `\u` escapes: NUL is removed, a lone surrogate becomes U+FFFD, in keys and values alike. A body that
// nests deeper than MAX_JSON_DEPTH is refused before anything walks it recursively.
import { invalid, LoupeError } from "../errors";

/** Objects and arrays inside one another, at most (a batch's envelope uses 4; properties the rest). */
export const MAX_JSON_DEPTH = 64;

/** Decoded UTF-8 is always well-formed: a lone surrogate can only come from a `\uD800`–`\uDFFF` escape. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;
/** A `\u0000` escape (one only after an even number of backslashes: `\\u0000` is the text `\u0000`). */
const NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g;

/** U+0000 removed, lone surrogates replaced by U+FFFD. */
export const storable = (s: string): string => {
  const kept = s.includes("\u0000") ? s.replaceAll("\u0000", "") : s;
  return kept.isWellFormed() ? kept : kept.toWellFormed();
};

/**
 * `s` made storable and cut to at most `max` UTF-16 code units, never between the two halves of a
 * surrogate pair (an emoji at the limit is left out whole); null for nothing.
 */
export function clip(s: string | null | undefined, max: number): string | null {
  if (s == null || s === "") return null;
  const t = storable(s);
  if (t.length <= max) return t || null;
  const high = t.charCodeAt(max - 1);
  return t.slice(0, high >= 0xd800 && high <= 0xdbff ? max - 1 : max) || null;
}

/** JSON.parse for request bodies: NUL escapes dropped, lone surrogates repaired, depth bounded. */
export function parseWireJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text.includes("\\u0000") ? text.replace(NUL_ESCAPE, "$1") : text);
  } catch (err) {
    throw new LoupeError("invalid_json", `body: not valid JSON (${(err as Error).message})`, { field: "body" });
  }
  return repairTree(value, SURROGATE_ESCAPE.test(text));
}

interface Frame {
  node: Record<string, unknown> | unknown[];
  depth: number;
  parent: Frame | null;
  key: string;
}

const fieldOf = (f: Frame) => {
  const path: string[] = [];
  for (let at: Frame | null = f; at?.parent; at = at.parent) path.unshift(clip(at.key, 64) ?? "");
  return path.join(".") || "body";
};

/** Walks without recursion (a deep body cannot exhaust the stack), repairing strings in place. */
function repairTree(root: unknown, repair: boolean): unknown {
  if (typeof root === "string") return repair ? storable(root) : root;
  if (root === null || typeof root !== "object") return root;
  const stack: Frame[] = [{ node: root as Frame["node"], depth: 1, parent: null, key: "" }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth > MAX_JSON_DEPTH) {
      const field = fieldOf(frame);
      throw invalid(field, `nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    const visit = (value: unknown, key: string): unknown => {
      if (typeof value === "string") return repair ? storable(value) : value;
      if (value !== null && typeof value === "object") stack.push({ node: value as Frame["node"], depth: frame.depth + 1, parent: frame, key });
      return value;
    };
    const node = frame.node;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const value = visit(node[i], String(i));
        if (value !== node[i]) node[i] = value;
      }
      continue;
    }
    for (const key of Object.keys(node)) {
      const value = visit(node[key], key);
      if (!repair || key.isWellFormed()) {
        if (value !== node[key]) node[key] = value;
        continue;
      }
      delete node[key];
      // defineProperty, not assignment: a repaired "__proto__" key stays a plain key.
      Object.defineProperty(node, storable(key), { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}
