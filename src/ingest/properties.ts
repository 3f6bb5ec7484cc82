// Property bags from clients: Heap's limits, arrays joined with `||`, nested values kept as JSON text,
// and every key stored as plain data (no prototype keys are ever interpreted).
import { z } from "zod";
import { LIMITS } from "../limits";
import type { JsonObject } from "../db/schema";

export type PropertyValue = string | number | boolean | null;

function toValue(v: unknown): PropertyValue | undefined {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map((x) => (typeof x === "string" ? x : JSON.stringify(x ?? null))).join("||");
  if (v === undefined) return undefined;
  return JSON.stringify(v);
}

/**
 * A JSON object of properties. Keys ≤512 chars, string values ≤1024 chars (after arrays are joined and
 * nested objects written as JSON). The result has a null prototype, so `__proto__` is just a key.
 */
export const propertiesSchema = z.unknown().optional().transform((input, ctx): JsonObject => {
  const out = Object.create(null) as JsonObject;
  if (input === undefined || input === null) return out;
  if (typeof input !== "object" || Array.isArray(input)) {
    ctx.addIssue({ code: "custom", message: "must be an object of properties" });
    return z.NEVER;
  }
  const entries = Object.entries(input);
  if (entries.length > LIMITS.maxPropertiesPerObject) {
    ctx.addIssue({ code: "custom", message: `must have at most ${LIMITS.maxPropertiesPerObject} properties` });
    return z.NEVER;
  }
  for (const [key, raw] of entries) {
    if (key.length === 0 || key.length > LIMITS.propertyKeyChars) {
      ctx.addIssue({ code: "custom", path: [key.slice(0, 64)], message: `property names must be 1..${LIMITS.propertyKeyChars} characters` });
      continue;
    }
    const value = toValue(raw);
    if (value === undefined) continue;
    if (typeof value === "string" && value.length > LIMITS.propertyValueChars) {
      ctx.addIssue({ code: "custom", path: [key], message: `must be at most ${LIMITS.propertyValueChars} characters` });
      continue;
    }
    out[key] = value;
  }
  return out;
});

/** Copies `from` over `into` key by key (null-prototype result; later writes win). */
export function mergeProperties(into: JsonObject, from: JsonObject): JsonObject {
  const out = Object.assign(Object.create(null) as JsonObject, into);
  for (const key of Object.keys(from)) out[key] = from[key];
  return out;
}
