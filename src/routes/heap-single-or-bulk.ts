// Heap's single-or-bulk request: one item's fields at the top level, or `<key>: [items]` with 1 to
// LIMITS.bulkItems items; `app_id` either way, and each item names its user by `identity` XOR `user_id`.
import type { Context } from "hono";
import { z } from "zod";
import type { AppContext } from "../context";
import { LIMITS } from "../limits";
import { parse } from "../validate";
import { appId, isBulk, oneSubject, oneSubjectMessage, refuseJunkIdentities, subjectFields } from "./ingest-heap-fields";
import { admit, readJsonBody } from "./ingest-common";

type ItemShape<S extends z.ZodRawShape> = typeof subjectFields & S;
export type HeapItem<S extends z.ZodRawShape> = z.output<z.ZodObject<ItemShape<S>>>;

/** The two body schemas for items with `fields` (besides identity / user_id), bulk under `key`. */
export function singleOrBulk<S extends z.ZodRawShape>(fields: S, key: string, noun: string) {
  const shape = { ...subjectFields, ...fields } as ItemShape<S>;
  const items = z.array(z.object(shape).refine(oneSubject, oneSubjectMessage))
    .min(1, `must hold at least one ${noun}`)
    .max(LIMITS.bulkItems, `at most ${LIMITS.bulkItems} ${noun}s per request`);
  return {
    key,
    single: z.object({ app_id: appId, ...shape }).refine(oneSubject, oneSubjectMessage),
    bulk: z.object({ app_id: appId, [key]: items }),
  };
}

/**
 * Reads, validates (400 naming the field) and admits a request: junk identities refused, the environment
 * known, its rate respected.
 */
export async function readHeapItems<S extends z.ZodRawShape>(
  c: Context,
  ctx: AppContext,
  body: ReturnType<typeof singleOrBulk<S>>,
): Promise<{ appId: string; items: HeapItem<S>[] }> {
  const json = await readJsonBody(c, ctx.config.maxBodyBytes);
  const bulk = isBulk(json, body.key);
  // Generic zod output types do not narrow here; the schemas above guarantee this shape.
  const input = (bulk ? parse(body.bulk, json) : parse(body.single, json)) as { app_id: string } & Record<string, unknown>;
  const items = (bulk ? input[body.key] : [input]) as HeapItem<S>[];
  refuseJunkIdentities(items as { identity?: string }[], bulk ? body.key : "");
  await admit(ctx, input.app_id, "app_id");
  return { appId: input.app_id, items };
}
