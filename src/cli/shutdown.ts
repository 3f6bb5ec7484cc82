// SIGTERM / SIGINT: stop accepting, answer every request in flight (its group committed, or refused with
// 503), close live sockets with 1001 (going away), close the database, exit 0 — all within SHUTDOWN_MS.
import type { Server } from "bun";
import type { AppContext } from "../context";
import { liveHub } from "../routes/live-hub";
import { log } from "../log";
import { drainServer } from "../server";

/** Everything is done by then, or the process exits 1 saying what was cut short. */
export const SHUTDOWN_MS = 10_000;
/** Requests in flight get this long to be answered (the rest of SHUTDOWN_MS closes the database). */
const DRAIN_MS = 7_000;

export async function shutdown(signal: string, server: Server<unknown>, ctx: AppContext): Promise<number> {
  const started = performance.now();
  log.info(`${signal}: shutting down (no new connections; answering requests in flight)`);
  const hard = setTimeout(() => {
    log.error(`shutdown took longer than ${SHUTDOWN_MS / 1000} s; exiting`);
    process.exit(1);
  }, SHUTDOWN_MS);
  hard.unref?.();
  liveHub(ctx).close();
  const clean = await drainServer(server, DRAIN_MS);
  if (!clean) log.warn(`requests still open after ${DRAIN_MS / 1000} s were closed`);
  await ctx.bus.close().catch((err) => log.warn("live bus did not close cleanly", { error: String(err) }));
  await ctx.database.close().catch((err) => log.warn("database did not close cleanly", { error: String(err) }));
  clearTimeout(hard);
  log.info(`stopped in ${Math.round(performance.now() - started)} ms`);
  return clean ? 0 : 1;
}
