// The one way input is validated: a zod schema, and its first issue as a LoupeError naming the field.
// Routes use it through src/routes/validate.ts (Hono validators); domain modules call it directly.
import type { z } from "zod";
import { invalid } from "./errors";

export interface ParseOptions {
  /** Put before the issue's path: `view` gives `view.segmentId`. */
  prefix?: string;
  /** The field named when the issue has no path (the input as a whole). */
  whole?: string;
}

/** The parsed value, or a 400 naming the first bad field (`events.3.properties.plan: must be …`). */
export function parse<S extends z.ZodType>(schema: S, input: unknown, options: ParseOptions = {}): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join(".") ?? "";
  const field = [options.prefix, path].filter(Boolean).join(".") || options.whole || "body";
  throw invalid(field, issue?.message ?? "invalid value");
}
