// User and session ids (integers 0..2^53-1 carried as decimal strings) and event UUIDs.
import { createHash } from "node:crypto";
import { z } from "zod";

/** A user id is a random integer 0..2^53-1 carried as a decimal string. */
export const MAX_USER_ID = 2n ** 53n - 1n;

/** A decimal string (or a safe integer) 0..2^53-1, as a number. */
export const id53Schema = z
  .union([z.string().regex(/^\d{1,16}$/, "must be a decimal integer 0..2^53-1"), z.number().int().nonnegative()])
  .refine((v) => /^\d{1,16}$/.test(String(v)) && BigInt(v) <= MAX_USER_ID, "must be a decimal integer 0..2^53-1")
  .transform((v) => Number(v));

/** Event ids: any 8-4-4-4-12 hex UUID, stored lower-case. */
export const eventIdSchema = z.guid("must be a UUID").transform((v) => v.toLowerCase());

export function randomId53(): number {
  const [hi, lo] = crypto.getRandomValues(new Uint32Array(2));
  return (hi & 0x1fffff) * 2 ** 32 + lo;
}

// Fixed namespace of Loupe's name-based UUIDs (itself a random v4 made once).
const NAMESPACE = Buffer.from("3f1c7a52b8e04c1f9a6d2e5b7c8d9e0f", "hex");

/** RFC 4122 version-5 UUID of (environment, idempotency key): a retry maps to the same event id. */
export function idempotentEventId(envId: string, key: string): string {
  const hash = createHash("sha1").update(NAMESPACE).update(`${envId}\u0000${key}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
