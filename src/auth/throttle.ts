// Slows password guessing without letting anyone lock the admin out. Attempts are counted per key in the
// database (so several Loupe processes on one PostgreSQL share one allowance), each attempt counted
// BEFORE its password is checked (concurrent guesses cannot slip past the count):
// - a browser with a valid device cookie for the email (src/auth/device-cookie.ts): per device;
// - any other client: per client address and email.
// Over AUTH.loginMaxFailures attempts within AUTH.loginWindowMs → 429 + Retry-After until the window passes.
// A success clears its key. Failures without the cookie never count against a browser that has one.
import { eq, lt, sql } from "drizzle-orm";
import type { Context } from "hono";
import { getConnInfo } from "hono/bun";
import type { Config } from "../config";
import { AUTH } from "../constants";
import { queryRows, type Db } from "../db/client";
import { loginAttempts } from "../db/schema";
import { trustedDevice } from "./device-cookie";

/** Expired counts are deleted at most this often (per process). */
const SWEEP_EVERY_MS = 60_000;

/** The client's address: the socket peer, or with a trusted proxy the address that proxy appended last. */
export function clientAddress(c: Context, config: Config): string {
  if (config.trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean);
    if (forwarded?.length) return forwarded[forwarded.length - 1];
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

export interface Attempt {
  /** Seconds to wait when refused; 0 when the password may be checked. */
  retryAfter: number;
  /** Call after a right password: the key starts again from zero. */
  succeeded(): Promise<void>;
}

export function loginThrottle(db: Db, config: Config) {
  let sweptAt = 0;
  const windowSeconds = AUTH.loginWindowMs / 1000;

  /** Counts one attempt for `key` (a new window when the last one has passed); returns the count and the seconds left. */
  async function count(key: string): Promise<{ n: number; left: number }> {
    const [row] = await queryRows<{ n: number; left: number }>(db, sql`
      insert into login_attempts (key, count, window_start) values (${key}, 1, now())
      on conflict (key) do update set
        count = case when login_attempts.window_start <= now() - make_interval(secs => ${windowSeconds}) then 1 else login_attempts.count + 1 end,
        window_start = case when login_attempts.window_start <= now() - make_interval(secs => ${windowSeconds}) then now() else login_attempts.window_start end
      returning count as n, greatest(0, extract(epoch from window_start + make_interval(secs => ${windowSeconds}) - now()))::float8 as left`);
    return { n: Number(row.n), left: Number(row.left) };
  }

  async function sweep(): Promise<void> {
    if (Date.now() - sweptAt < SWEEP_EVERY_MS) return;
    sweptAt = Date.now();
    await db.delete(loginAttempts).where(lt(loginAttempts.windowStart, sql`now() - make_interval(secs => ${windowSeconds})`));
  }

  return {
    /** Counts this login attempt; check `retryAfter` before checking the password. */
    async attempt(c: Context, email: string): Promise<Attempt> {
      await sweep();
      const device = await trustedDevice(c, db, email);
      const key = device ? `device:${device}` : `address:${clientAddress(c, config)}|${email.trim().toLowerCase()}`;
      const { n, left } = await count(key);
      return {
        retryAfter: n > AUTH.loginMaxFailures ? Math.max(1, Math.ceil(left)) : 0,
        succeeded: async () => void (await db.delete(loginAttempts).where(eq(loginAttempts.key, key))),
      };
    },
  };
}
