// "The database is unavailable": an error that says the database cannot be reached or is shutting down,
// as opposed to one a request caused. Such a request is answered 503 with Retry-After (src/routes/errors.tsx), and
// the ingest writer fails its group at once instead of retrying each request (src/ingest/batch-writer.ts).
import { LoupeError } from "../errors";

/** What a 503 tells the client to wait, in seconds: the driver reconnects well within it. */
export const DATABASE_RETRY_AFTER_S = 2;

/** Socket-level failures (Node / Bun net) and postgres.js's own connection errors. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "ECONNABORTED",
  "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT",
]);
/**
 * PostgreSQL SQLSTATEs of a server that is going or gone: class 08 (connection exception), 57P01
 * admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up / shutting down),
 * 53300 too_many_connections, 3D000 (the database was dropped).
 */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300|3D000)$/;

/** Loupe's own: a wait on the database ran past its bound (withDeadline, below). */
export class DatabaseUnavailable extends LoupeError {
  constructor(message = "the database is unavailable; retry shortly") {
    super("database_unavailable", message, { retryAfter: DATABASE_RETRY_AFTER_S });
    this.name = "DatabaseUnavailable";
  }
}

/** True when `err` (or an error it wraps: drizzle's "Failed query" keeps the driver's in `cause`) is one of these. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | null, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e instanceof DatabaseUnavailable) return true;
    if (typeof e.code === "string" && (CONNECTION_CODES.has(e.code) || UNAVAILABLE_STATES.test(e.code))) return true;
    // PGlite after close(), during shutdown.
    if (typeof e.message === "string" && /PGlite is closed/i.test(e.message)) return true;
  }
  return false;
}

/** A bounded wait: `work`, or DatabaseUnavailable after `ms` (the work itself goes on; its outcome is dropped). */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailable(`${what} took longer than ${ms / 1000} s; the database may be unavailable, retry shortly`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
