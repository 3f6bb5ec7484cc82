// Zod fields shared by the Heap-compatible routes: Heap's limits, and `identity` XOR `user_id`.
import { z } from "zod";
import { LoupeError } from "../errors";
import { isJunkIdentity } from "../ingest/identity";
import { id53Schema } from "../ingest/ids";
import { heapTimestampSchema } from "../ingest/times";
import { LIMITS } from "../limits";

export const appId = z.string({ message: "is required (your environment id)" }).min(1, "is required (your environment id)").max(64);

export const identity = z
  .string({ message: "must be a string" })
  .max(LIMITS.identityChars, `must be at most ${LIMITS.identityChars} characters`);

/** Heap accepts ISO 8601 or milliseconds since 1970 (src/ingest/times.ts). */
export const timestamp = heapTimestampSchema;

export const subjectFields = { identity: identity.optional(), user_id: id53Schema.optional() };

export const oneSubject = (v: object) => {
  const { identity, user_id } = v as { identity?: unknown; user_id?: unknown };
  return (identity === undefined) !== (user_id === undefined);
};
export const oneSubjectMessage = { message: "give exactly one of identity or user_id", path: ["identity"] };

/** A placeholder identity (src/ingest/identity.ts) would merge strangers: refused, naming the field. */
export function refuseJunkIdentities(items: { identity?: string }[], prefix: string): void {
  items.forEach((item, i) => {
    if (item.identity !== undefined && isJunkIdentity(item.identity)) {
      const field = prefix ? `${prefix}.${i}.identity` : "identity";
      throw new LoupeError("junk_identity", `${field}: ${JSON.stringify(item.identity.slice(0, 40))} looks like a placeholder identity and would merge strangers; refused`, { field });
    }
  });
}

/** `{ events: [...] }` / `{ users: [...] }` is bulk; anything else is one item. */
export const isBulk = (body: unknown, key: string) => typeof body === "object" && body !== null && key in body;
