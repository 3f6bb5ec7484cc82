// Slows password guessing without letting anyone lock the admin out. Attempts are counted per key in the
// database (so several Loupe processes on one PostgreSQL share one allowance), each attempt counted
// BEFORE its password is checked (concurrent guesses cannot slip past the count):
// - a browser with a valid device cookie for the email (src/auth/device-cookie.ts): per device;
// - any other client: per client address and email.
// Over LOGIN_THROTTLE.maxFailures attempts within LOGIN_THROTTLE.windowMs → 429 + Retry-After until the window passes.
// A success clears its key. Failures without the cookie never count against a browser that has one.
import { eq, lt, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { Config } from "../config";
import { queryRows, type Db } from "../db/client";
import { loginAttempts } from "../db/schema";
import { requestIp } from "./client-ip";
import { trustedDevice } from "./device-cookie";

/** Attempts allowed per key within the window, then 429 + Retry-After. */
export const LOGIN_THROTTLE = { maxFailures: 10, windowMs: 15 * 60_000 } as const;

/** Expired counts are deleted at most this often (per process). */
const SWEEP_EVERY_MS = 60_000;

export interface Attempt {
  /** Seconds to wait when refused; 0 when the password may be checked. */
  retryAfter: number;
  /** Call after a right password: the key starts again from zero. */
  succeeded(): Promise<void>;
}

export function loginThrottle(db: Db, config: Config) {
  let sweptAt = 0;
  const windowSeconds = LOGIN_THROTTLE.windowMs / 1000;

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
      const key = device ? `device:${device}` : `address:${requestIp(c, config.trustProxy) ?? "unknown"}|${email.trim().toLowerCase()}`;
      const { n, left } = await count(key);
      return {
        retryAfter: n > LOGIN_THROTTLE.maxFailures ? Math.max(1, Math.ceil(left)) : 0,
        succeeded: async () => void (await db.delete(loginAttempts).where(eq(loginAttempts.key, key))),
      };
    },
  };
}
