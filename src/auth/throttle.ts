// Slows password guessing: after too many failed logins for one email from one client address,
// further attempts are refused with 429 + Retry-After until the window passes. In memory, per process.
import type { Context } from "hono";
import { getConnInfo } from "hono/bun";
import type { Config } from "../config";
import { AUTH } from "../constants";

interface Failures {
  count: number;
  firstAt: number;
}

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

export function loginThrottle(config: Config) {
  const failures = new Map<string, Failures>();
  const key = (c: Context, email: string) => `${clientAddress(c, config)}|${email.trim().toLowerCase()}`;

  const sweep = (now: number) => {
    if (failures.size < 10_000) return;
    for (const [k, f] of failures) if (now - f.firstAt > AUTH.loginWindowMs) failures.delete(k);
  };

  return {
    /** Seconds until this client may try this email again; 0 when allowed. */
    blockedFor(c: Context, email: string): number {
      const f = failures.get(key(c, email));
      if (!f || f.count < AUTH.loginMaxFailures) return 0;
      const left = f.firstAt + AUTH.loginWindowMs - Date.now();
      return left > 0 ? Math.ceil(left / 1000) : 0;
    },
    failed(c: Context, email: string): void {
      const now = Date.now();
      sweep(now);
      const k = key(c, email);
      const f = failures.get(k);
      if (!f || now - f.firstAt > AUTH.loginWindowMs) failures.set(k, { count: 1, firstAt: now });
      else f.count++;
    },
    succeeded(c: Context, email: string): void {
      failures.delete(key(c, email));
    },
  };
}
