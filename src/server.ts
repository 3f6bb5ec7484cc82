import type { Hono } from "hono";
import { websocket } from "hono/bun";
import type { Config } from "./config";

/** Bun.serve wiring only: HTTP (or HTTPS when a certificate is configured) and WebSockets. */
export function startServer(app: Hono, config: Config) {
  return Bun.serve({
    port: config.port,
    hostname: config.host,
    fetch: app.fetch,
    websocket,
    // Ingest bodies are capped by the routes themselves; this is Bun's outer guard.
    maxRequestBodySize: Math.max(config.maxBodyBytes * 4, 16 * 1024 * 1024),
    ...(config.tlsCert && config.tlsKey ? { tls: { cert: Bun.file(config.tlsCert), key: Bun.file(config.tlsKey) } } : {}),
  });
}
