// Naming events by their definitions for display: reads the definitions table and tests
// events against each definition's conditions in memory. Only reads; creating and editing
// definitions (and matching them in SQL for filters) belongs to the definitions feature.
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { definitions } from "../db/schema";
import { matchesSelector } from "./selector";

const textMatch = z.object({ op: z.enum(["equals", "contains", "wildcard", "regex"]), value: z.string().max(2048) });
type TextMatch = z.infer<typeof textMatch>;

/** One condition as stored in definitions.conditions; every part present must hold. */
export const conditionSchema = z.object({
  eventType: z.string().min(1),
  eventName: z.string().optional(),
  targetText: textMatch.optional(),
  selector: z.string().max(1024).optional(),
  href: textMatch.optional(),
  path: textMatch.optional(),
  domain: textMatch.optional(),
  properties: z.array(textMatch.extend({ key: z.string().min(1).max(512) })).max(20).optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

export interface Label {
  id: number;
  name: string;
  color: string;
  category: string;
}

export interface LabelledDefinition extends Label {
  conditions: Condition[];
  comboOf: number[] | null;
}

/** The fields a condition can look at. */
export interface MatchableEvent {
  type: string;
  name?: string | null;
  targetText?: string | null;
  hierarchy?: string | null;
  href?: string | null;
  path?: string | null;
  domain?: string | null;
  props?: Record<string, unknown> | null;
}

/** The environment's definitions with usable conditions; malformed conditions are ignored, never thrown. */
export async function loadDefinitions(db: Db, envId: string): Promise<LabelledDefinition[]> {
  const rows = await db.select().from(definitions).where(eq(definitions.envId, envId)).orderBy(asc(definitions.id));
  return rows.map((d) => ({
    id: d.id,
    name: d.name,
    color: /^#[0-9a-fA-F]{3,8}$/.test(d.color) ? d.color : "#6366f1",
    category: d.category,
    comboOf: d.comboOf ?? null,
    conditions: (Array.isArray(d.conditions) ? d.conditions : []).flatMap((c) => {
      const parsed = conditionSchema.safeParse(c);
      return parsed.success ? [parsed.data] : [];
    }),
  }));
}

const regexCache = new Map<string, RegExp | null>();
function compile(pattern: string, flags = ""): RegExp | null {
  const key = `${flags}/${pattern}`;
  if (!regexCache.has(key)) {
    let re: RegExp | null = null;
    try { re = new RegExp(pattern, flags); } catch { re = null; }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(key, re);
  }
  return regexCache.get(key)!;
}

function textMatches(m: TextMatch, value: string | null | undefined): boolean {
  if (value == null) return false;
  switch (m.op) {
    case "equals": return value === m.value;
    case "contains": return value.includes(m.value);
    case "wildcard": {
      const pattern = m.value.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*");
      return compile(`^${pattern}$`, "s")?.test(value) ?? false;
    }
    case "regex": return compile(m.value)?.test(value) ?? false;
  }
}

const propText = (v: unknown) => (v == null ? null : typeof v === "string" ? v : JSON.stringify(v));

export function conditionMatches(c: Condition, e: MatchableEvent): boolean {
  if (c.eventType !== e.type) return false;
  if (c.eventName !== undefined && c.eventName !== e.name) return false;
  if (c.targetText && !textMatches(c.targetText, e.targetText)) return false;
  if (c.href && !textMatches(c.href, e.href)) return false;
  if (c.path && !textMatches(c.path, e.path)) return false;
  if (c.domain && !textMatches(c.domain, e.domain)) return false;
  if (c.selector && !matchesSelector(c.selector, e.hierarchy)) return false;
  for (const p of c.properties ?? []) if (!textMatches(p, propText(e.props?.[p.key]))) return false;
  return true;
}

/**
 * The definition an event shows as: the first (oldest) plain definition whose conditions match.
 * Combos are unions of plain definitions, so an event a combo covers is already named by its part.
 * Undefined when none matches: the event shows raw.
 */
export function labelFor(defs: LabelledDefinition[], e: MatchableEvent): Label | undefined {
  const hit = defs.find((d) => !d.comboOf && d.conditions.some((c) => conditionMatches(c, e)));
  return hit ? { id: hit.id, name: hit.name, color: hit.color, category: hit.category } : undefined;
}
