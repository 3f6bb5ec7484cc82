// Dashboard sessions: a random token lives only in the browser's cookie; the database keeps its SHA-256.
import { and, eq, gt, lt } from "drizzle-orm";
import type { Db } from "../db/client";
import { authSessions } from "../db/schema";
import { hashToken, isTokenShaped, newToken } from "./tokens";

export const SESSION = {
  cookieName: "loupe_session",
  ttlMs: 30 * 24 * 3600_000,
} as const;

export type AuthSession = typeof authSessions.$inferSelect;

/**
 * The synchronizer CSRF token of a session: derived from the secret session token with a domain
 * separator, so it needs no storage, cannot be guessed without the HttpOnly cookie and reveals nothing of it.
 */
export const csrfTokenFor = (token: string) => hashToken(token, "loupe-csrf");

export async function createSession(db: Db, accountId: number, lastEnvId?: string | null): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + SESSION.ttlMs);
  await db.insert(authSessions).values({ tokenHash: hashToken(token), accountId, expiresAt, lastEnvId: lastEnvId ?? null });
  // Opportunistic clean-up of this account's expired sessions keeps the table small without a job.
  await db.delete(authSessions).where(and(eq(authSessions.accountId, accountId), lt(authSessions.expiresAt, new Date())));
  return { token, expiresAt };
}

/** The live session for a cookie token, or undefined (unknown, malformed or expired). */
export async function findSession(db: Db, token: string | undefined): Promise<AuthSession | undefined> {
  if (!isTokenShaped(token)) return undefined;
  const [session] = await db
    .select()
    .from(authSessions)
    .where(and(eq(authSessions.tokenHash, hashToken(token)), gt(authSessions.expiresAt, new Date())));
  return session;
}

export async function revokeSession(db: Db, token: string | undefined): Promise<void> {
  if (!isTokenShaped(token)) return;
  await db.delete(authSessions).where(eq(authSessions.tokenHash, hashToken(token)));
}

export async function revokeAllSessions(db: Db, accountId: number): Promise<void> {
  await db.delete(authSessions).where(eq(authSessions.accountId, accountId));
}

/** Remembers the environment the session last browsed, so `/` can return there. */
export async function rememberEnvironment(db: Db, session: AuthSession, envId: string): Promise<void> {
  if (session.lastEnvId === envId) return;
  await db.update(authSessions).set({ lastEnvId: envId }).where(eq(authSessions.tokenHash, session.tokenHash));
  session.lastEnvId = envId;
}
