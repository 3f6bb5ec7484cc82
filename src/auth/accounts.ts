// Dashboard accounts: creation, password checks and password resets. Passwords are argon2id via Bun.password.
import { count, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { accounts } from "../db/schema";
import { invalid } from "../errors";
import { parse } from "../validate";
import { PASSWORD_CHARS, passwordSchema } from "./password";
import { revokeAllSessions } from "./sessions";

export type Account = typeof accounts.$inferSelect;

export const emailSchema = z.string().trim().toLowerCase().max(254, "must be at most 254 characters").pipe(z.email({ message: "must be an email address" }));
/** What an account is made from; parse errors name `email` or `password`. */
export const credentialsSchema = z.object({ email: emailSchema, password: passwordSchema });

const hashPassword = (password: string) => Bun.password.hash(password, { algorithm: "argon2id" });

export async function countAccounts(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(accounts);
  return Number(row?.n ?? 0);
}

export async function findAccountByEmail(db: Db, email: string): Promise<Account | undefined> {
  const normalised = emailSchema.safeParse(email);
  if (!normalised.success) return undefined;
  const [account] = await db.select().from(accounts).where(eq(accounts.email, normalised.data));
  return account;
}

export async function getAccount(db: Db, id: number): Promise<Account | undefined> {
  const [account] = await db.select().from(accounts).where(eq(accounts.id, id));
  return account;
}

export async function createAccount(db: Db, input: { email: string; password: string; role?: string }): Promise<Account> {
  const { email, password } = parse(credentialsSchema, input);
  const [account] = await db.insert(accounts).values({ email, passwordHash: await hashPassword(password), role: input.role ?? "admin" }).returning();
  return account;
}

/**
 * First-run: creates the admin only while no account exists. Returns undefined when one already does
 * (so two racing setup submissions cannot both create an admin: the loser finds the winner's row).
 */
export async function createFirstAdmin(db: Db, input: { email: string; password: string }): Promise<Account | undefined> {
  const { email, password } = parse(credentialsSchema, input);
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    // Serialises concurrent first-run attempts on PostgreSQL; PGlite runs one transaction at a time anyway.
    await tx.execute(sql`lock table accounts in share row exclusive mode`);
    if ((await countAccounts(tx as unknown as Db)) > 0) return undefined;
    const [account] = await tx.insert(accounts).values({ email, passwordHash, role: "admin" }).returning();
    return account;
  });
}

let dummyHash: Promise<string> | undefined;

/**
 * The account for these credentials, or undefined. An unknown email still costs one argon2 verification,
 * so response time does not tell which part was wrong.
 */
export async function verifyLogin(db: Db, email: string, password: string): Promise<Account | undefined> {
  const account = await findAccountByEmail(db, email);
  const candidate = password.slice(0, PASSWORD_CHARS.max);
  if (!account) {
    dummyHash ??= hashPassword(crypto.randomUUID());
    await Bun.password.verify(candidate, await dummyHash);
    return undefined;
  }
  return (await Bun.password.verify(candidate, account.passwordHash)) ? account : undefined;
}

/** Sets a new password and signs the account out everywhere. */
export async function resetPassword(db: Db, email: string, password: string): Promise<Account> {
  const account = await findAccountByEmail(db, email);
  if (!account) throw invalid("email", `no account with email ${email.trim()}`);
  const valid = parse(passwordSchema, password, { whole: "password" });
  await db.update(accounts).set({ passwordHash: await hashPassword(valid) }).where(eq(accounts.id, account.id));
  await revokeAllSessions(db, account.id);
  return account;
}
