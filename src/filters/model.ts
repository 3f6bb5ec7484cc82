// The filter model: AND of OR-groups of conditions. Validated with zod at every boundary
// (URL, saved segment); compiled to SQL in compile.ts. Short JSON keys keep URLs readable.
import { z } from "zod";
import { LIMITS } from "../limits";
import { USERS_LIST } from "../users/limits";

export const PROPERTY_OPS = ["eq", "neq", "contains", "notContains", "wildcard", "set", "notSet", "gt", "lt"] as const;
export type PropertyOp = (typeof PROPERTY_OPS)[number];

export const OP_LABELS: Record<PropertyOp, string> = {
  eq: "equals", neq: "does not equal", contains: "contains", notContains: "does not contain",
  wildcard: "matches wildcard", set: "is set", notSet: "is not set", gt: "is greater than", lt: "is less than",
};
export const VALUELESS_OPS: readonly PropertyOp[] = ["set", "notSet"];
export const NUMERIC_OPS: readonly PropertyOp[] = ["gt", "lt"];

/** Where a user property lives: the identity column, the user id, custom properties, initial properties. */
export const USER_SCOPES = ["identity", "id", "custom", "initial"] as const;
export type UserScope = (typeof USER_SCOPES)[number];

export const COUNT_OPS = ["atLeast", "exactly", "atMost"] as const;
export type CountOp = (typeof COUNT_OPS)[number];
export const COUNT_LABELS: Record<CountOp, string> = { atLeast: "at least", exactly: "exactly", atMost: "at most" };

/** PostgreSQL text cannot hold NUL: refuse it here rather than fail in the database. */
export const noNul = (s: string) => !s.includes("\u0000");
const NUL = "must not contain NUL characters";
const key = z.string().min(1, "must not be empty").max(LIMITS.propertyKeyChars, `must be at most ${LIMITS.propertyKeyChars} characters`).refine(noNul, NUL);
const value = z.string().max(LIMITS.propertyValueChars, `must be at most ${LIMITS.propertyValueChars} characters`).refine(noNul, NUL);

/** An event to look for: a raw autocaptured type, a custom event name, or a defined event (§5). */
export const eventRefSchema = z.union([
  z.strictObject({ raw: z.string().min(1).max(64).refine(noNul, NUL) }),
  z.strictObject({ custom: z.string().min(1).max(LIMITS.eventNameChars).refine(noNul, NUL) }),
  z.strictObject({ defined: z.number().int().positive() }),
]);
export type EventRef = z.infer<typeof eventRefSchema>;

/** A value is required (numeric for gt/lt) except for is set / is not set. */
function checkValue(c: { op: PropertyOp; v?: string }, ctx: z.RefinementCtx) {
  if (VALUELESS_OPS.includes(c.op)) return;
  if (c.v === undefined) ctx.addIssue({ code: "custom", message: `needs a value for "${OP_LABELS[c.op]}"`, path: ["v"] });
  else if (NUMERIC_OPS.includes(c.op) && !/^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d{1,3})?\s*$/.test(c.v))
    ctx.addIssue({ code: "custom", message: `"${OP_LABELS[c.op]}" needs a number`, path: ["v"] });
}

export const userConditionSchema = z
  .strictObject({ k: z.literal("user"), s: z.enum(USER_SCOPES), key: key.optional(), op: z.enum(PROPERTY_OPS), v: value.optional() })
  .superRefine((c, ctx) => {
    if ((c.s === "custom" || c.s === "initial") && !c.key) ctx.addIssue({ code: "custom", message: "needs a property name", path: ["key"] });
    checkValue(c, ctx);
  });

export const eventConditionSchema = z.strictObject({
  k: z.literal("event"),
  did: z.boolean(),
  e: eventRefSchema,
  cnt: z.strictObject({ op: z.enum(COUNT_OPS), n: z.number().int().min(1).max(USERS_LIST.maxEventCount) }).optional(),
});

export const eventPropertyConditionSchema = z
  .strictObject({ k: z.literal("eprop"), e: eventRefSchema, key, op: z.enum(PROPERTY_OPS), v: value.optional() })
  .superRefine(checkValue);

export const conditionSchema = z.discriminatedUnion("k", [userConditionSchema, eventConditionSchema, eventPropertyConditionSchema]);
export type UserCondition = z.infer<typeof userConditionSchema>;
export type EventCondition = z.infer<typeof eventConditionSchema>;
export type EventPropertyCondition = z.infer<typeof eventPropertyConditionSchema>;
export type Condition = z.infer<typeof conditionSchema>;

/** Conditions inside a group are OR-ed; groups are AND-ed. */
export const groupSchema = z.array(conditionSchema).min(1, "an OR group needs a condition").max(USERS_LIST.maxConditionsPerGroup, `at most ${USERS_LIST.maxConditionsPerGroup} conditions per group`);
export const groupsSchema = z.array(groupSchema).max(USERS_LIST.maxGroups, `at most ${USERS_LIST.maxGroups} filter groups`);
export type FilterGroup = Condition[];

/** What a saved segment stores. */
export const segmentFiltersSchema = z.strictObject({ groups: groupsSchema });
export type SegmentFilters = z.infer<typeof segmentFiltersSchema>;

/** Event-property keys stored as real columns; every other key is looked up in the `props` jsonb. */
export const EVENT_COLUMN_KEYS = ["path", "domain", "title", "target_text", "target_tag", "hierarchy", "href", "source"] as const;
export const EVENT_KEY_LABELS: Record<(typeof EVENT_COLUMN_KEYS)[number], string> = {
  path: "Path", domain: "Domain", title: "Page title", target_text: "Target text", target_tag: "Target tag",
  hierarchy: "Hierarchy", href: "Link (href)", source: "Source",
};
