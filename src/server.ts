import type { Server } from "bun";
import type { Hono } from "hono";
import { websocket } from "hono/bun";
import type { Config } from "./config";
import { LoupeError } from "./errors";
import { DATABASE_RETRY_AFTER_S } from "./db/unavailable";

/** Per server: requests being handled, and whether it is shutting down (drainServer). */
interface Traffic {
  inFlight: number;
  draining: boolean;
  /** performance.now() of the latest request. */
  lastArrival: number;
  /** Resolved when the last request that began before draining has been answered. */
  idle: PromiseWithResolvers<void> | null;
}
const traffic = new WeakMap<Server<unknown>, Traffic>();

/** Bun.serve wiring only: HTTP (or HTTPS when a certificate is configured) and WebSockets. */
export function startServer(app: Hono, config: Config) {
  const t: Traffic = { inFlight: 0, draining: false, lastArrival: 0, idle: null };
  const server: Server<unknown> = Bun.serve({
    port: config.port,
    hostname: config.host,
    fetch: async (req, srv) => {
      t.lastArrival = performance.now();
      // While draining, a new request is answered at once, and told to go (its connection closes after).
      // Its body is read first: closing a socket with unread data resets it, and the answer is lost.
      if (t.draining) return req.arrayBuffer().then(goingAway, goingAway);
      t.inFlight++;
      try {
        const res = await app.fetch(req, srv);
        if (t.draining && res.status !== 101) closeAfter(res);
        return res;
      } finally {
        if (--t.inFlight === 0 && t.draining) t.idle?.resolve();
      }
    },
    websocket,
    // Ingest bodies are capped by the routes themselves; this is Bun's outer guard.
    maxRequestBodySize: Math.max(config.maxBodyBytes * 4, 16 * 1024 * 1024),
    ...(config.tlsCert && config.tlsKey ? { tls: { cert: Bun.file(config.tlsCert), key: Bun.file(config.tlsKey) } } : {}),
  });
  traffic.set(server, t);
  return server;
}

const goingAway = () =>
  Response.json(
    new LoupeError("shutting_down", "this Loupe is shutting down; retry shortly").toJSON(),
    { status: 503, headers: { "Retry-After": String(DATABASE_RETRY_AFTER_S), Connection: "close" } },
  );

/** The client closes a connection whose answer says so, instead of sending its next request on it. */
function closeAfter(res: Response): void {
  try {
    res.headers.set("Connection", "close");
  } catch {
    // Immutable headers (a static file): the connection is closed by stop() instead.
  }
}

/**
 * Requests reach the handler only when the event loop is free (a PGlite commit holds it); stopping the
 * listener resets connections whose requests are still waiting. So it stops only after this long without
 * a new request (clients told 503 + Retry-After wait before coming back).
 */
const QUIET_MS = 150;

/**
 * Shutting down: every request already being handled is answered (each connection told to close after
 * it), requests arriving meanwhile get 503 + Retry-After, and once they stop coming the listener stops.
 * Waits at most `graceMs`, then closes whatever is left; resolves true when nothing had to be cut off.
 */
export async function drainServer(server: Server<unknown>, graceMs: number): Promise<boolean> {
  const t = traffic.get(server)!;
  const deadline = performance.now() + graceMs;
  t.draining = true;
  t.idle = Promise.withResolvers();
  if (t.inFlight === 0) t.idle.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([t.idle.promise, late]);
  for (let quiet = performance.now() - t.lastArrival; quiet < QUIET_MS && performance.now() < deadline; quiet = performance.now() - t.lastArrival) {
    await Bun.sleep(QUIET_MS - quiet);
  }
  clearTimeout(timer);
  const finished = t.inFlight === 0 && performance.now() < deadline;
  await server.stop(!finished);
  return finished;
}
