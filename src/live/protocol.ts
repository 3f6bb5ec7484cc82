// Messages a page sends over its live socket (validated; anything else gets an error frame).
import { z } from "zod";

const subId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "must be 1-32 letters, digits, - or _");

export const clientMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("subscribe"),
    id: subId,
    /** What the page shows; each view kind validates the rest. */
    view: z.looseObject({ kind: z.string().max(32) }),
    /** Last commit time the page has seen (ms since epoch); omitted = nothing to catch up. */
    cursor: z.number().int().nonnegative().optional(),
  }),
  z.object({ type: z.literal("unsubscribe"), id: subId }),
  z.object({ type: z.literal("ping"), id: subId.optional() }),
]);
export type ClientMessage = z.output<typeof clientMessageSchema>;
