import type { Server } from "bun";
import type { Hono } from "hono";
import { websocket } from "hono/bun";
import type { Config } from "./config";
import { ERROR_CODES } from "./constants";
import { LoupeError } from "./errors";
import { DATABASE_RETRY_AFTER_S } from "./db/unavailable";

/** Servers that are shutting down: they answer what is in flight and refuse the rest (drainServer). */
const draining = new WeakSet<Server<unknown>>();

/** Bun.serve wiring only: HTTP (or HTTPS when a certificate is configured) and WebSockets. */
export function startServer(app: Hono, config: Config) {
  const server: Server<unknown> = Bun.serve({
    port: config.port,
    hostname: config.host,
    // A request that reaches a draining server on a kept-alive connection is answered, and told to go.
    fetch: (req, srv) => (draining.has(server) ? goingAway() : app.fetch(req, srv)),
    websocket,
    // Ingest bodies are capped by the routes themselves; this is Bun's outer guard.
    maxRequestBodySize: Math.max(config.maxBodyBytes * 4, 16 * 1024 * 1024),
    ...(config.tlsCert && config.tlsKey ? { tls: { cert: Bun.file(config.tlsCert), key: Bun.file(config.tlsKey) } } : {}),
  });
  return server;
}

const goingAway = () =>
  Response.json(
    new LoupeError(503, ERROR_CODES.shuttingDown, "this Loupe is shutting down; retry shortly").toJSON(),
    { status: 503, headers: { "Retry-After": String(DATABASE_RETRY_AFTER_S), Connection: "close" } },
  );

/**
 * Stops accepting connections and waits (at most `graceMs`) for every request in flight to be answered;
 * then closes whatever is left. Resolves true when nothing had to be cut off.
 */
export async function drainServer(server: Server<unknown>, graceMs: number): Promise<boolean> {
  draining.add(server);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const finished = await Promise.race([
    server.stop(false).then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
  ]);
  clearTimeout(timer);
  if (!finished) await server.stop(true);
  return finished;
}
