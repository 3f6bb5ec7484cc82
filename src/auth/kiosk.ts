// Kiosk links: read-only tokens that open one environment's wall screen and nothing else.
// Only the SHA-256 of a token is stored; the token itself is shown once, when it is created.
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { kioskTokens } from "../db/schema";
import { invalid } from "../errors";
import { getSegment } from "../filters/segments";
import type { LiveBus } from "../live/bus";
import { hashToken, isTokenShaped, newToken } from "./tokens";

export type KioskToken = typeof kioskTokens.$inferSelect;

/** What a token fixes besides its environment. */
export const kioskOptionsSchema = z.object({
  segmentId: z.number().int().positive().nullable().default(null),
  /** Or a raw event type / custom event name whose count today the wall shows. */
  event: z.string().max(1024).nullable().default(null),
  /** Show "User 1234…" instead of identities and emails on a public screen. */
  maskIdentities: z.boolean().default(false),
});
export type KioskOptions = z.output<typeof kioskOptionsSchema>;

/** The Settings form that creates a link (a segment counter wins over an event counter). */
export const kioskFormSchema = z.object({
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  segment: z
    .string()
    .optional()
    .transform((v) => (v ? Number(v) : null))
    .refine((v) => v === null || (Number.isInteger(v) && v > 0), "must be a segment id"),
  event: z.string().trim().max(1024, "must be at most 1024 characters").optional().transform((v) => v || null),
  mask: z.string().optional().transform((v) => v === "on" || v === "1" || v === "true"),
});
export type KioskForm = z.output<typeof kioskFormSchema>;

const hashKioskToken = (token: string) => hashToken(token, "loupe-kiosk");

export function kioskOptions(t: Pick<KioskToken, "options">): KioskOptions {
  const parsed = kioskOptionsSchema.safeParse(t.options);
  return parsed.success ? parsed.data : { segmentId: null, event: null, maskIdentities: true };
}

export async function createKioskToken(db: Db, envId: string, form: KioskForm): Promise<{ token: string; row: KioskToken }> {
  const options: KioskOptions = { segmentId: form.segment, event: form.segment ? null : form.event, maskIdentities: form.mask };
  if (options.segmentId !== null && !(await getSegment(db, envId, options.segmentId))) throw invalid("segment", "no such segment in this environment");
  const token = newToken();
  const [row] = await db.insert(kioskTokens).values({ envId, name: form.name, tokenHash: hashKioskToken(token), options }).returning();
  return { token, row };
}

export function listKioskTokens(db: Db, envId: string): Promise<KioskToken[]> {
  return db.select().from(kioskTokens).where(eq(kioskTokens.envId, envId)).orderBy(desc(kioskTokens.createdAt), desc(kioskTokens.id));
}

/**
 * Marks a token revoked and tells every process (through the live bus) to close its open walls at once.
 * Returns it, or undefined when unknown or already revoked.
 */
export async function revokeKioskToken(db: Db, bus: LiveBus, envId: string, id: number): Promise<KioskToken | undefined> {
  const [row] = await db
    .update(kioskTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(kioskTokens.envId, envId), eq(kioskTokens.id, id), isNull(kioskTokens.revokedAt)))
    .returning();
  if (row) bus.publish({ envId, userIds: [], newUserIds: [], sessionIds: [], newSessionIds: [], eventIds: [], rageEventIds: [], at: Date.now(), revokedKioskIds: [id] });
  return row;
}

/** What a kiosk link's wall says when it cannot open: on its page, and on a screen showing it at the time. */
export const KIOSK_CLOSED = {
  revoked: "This wall link was revoked",
  unknown: "This wall link is not valid",
} as const;

/**
 * The link a secret belongs to, revoked or not (its wall page says which), or undefined. Looked up by
 * hash alone: a kiosk URL carries no environment, and the table holds a handful of rows per environment.
 */
export async function findKioskLink(db: Db, token: string | undefined): Promise<KioskToken | undefined> {
  if (!isTokenShaped(token)) return undefined;
  const [row] = await db.select().from(kioskTokens).where(eq(kioskTokens.tokenHash, hashKioskToken(token)));
  return row;
}

/** The live (unrevoked) link for a secret, or undefined. */
export async function findKioskToken(db: Db, token: string | undefined): Promise<KioskToken | undefined> {
  const row = await findKioskLink(db, token);
  return row && !row.revokedAt ? row : undefined;
}

/** Still valid? (re-checked on every subscription and periodically on open sockets) */
export async function kioskTokenActive(db: Db, envId: string, id: number): Promise<boolean> {
  const [row] = await db
    .select({ id: kioskTokens.id })
    .from(kioskTokens)
    .where(and(eq(kioskTokens.envId, envId), eq(kioskTokens.id, id), isNull(kioskTokens.revokedAt)));
  return Boolean(row);
}
