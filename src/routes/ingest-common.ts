// What every ingest route shares: the size-capped body reader, client facts,
// rate limiting, CORS and per-route request counting.
import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { socketAddress } from "../auth/client-ip";
import type { AppContext } from "../context";
import { LoupeError } from "../errors";
import { clientFacts, type ClientFacts } from "../ingest/client";
import { parseWireJson } from "../ingest/wire-text";

/**
 * Reads a JSON body (any content type: sendBeacon posts text/plain). Over `max` bytes → 413 (see
 * readBodyBytes). Parsed by parseWireJson: nothing PostgreSQL cannot store gets past it.
 */
export async function readJsonBody(c: Context, max: number): Promise<unknown> {
  return parseWireJson(new TextDecoder().decode(await readBodyBytes(c, max)));
}

/** A body's bytes. Over `max` → 413, judged from Content-Length before reading, and by counting while streaming when there is none. */
export async function readBodyBytes(c: Context, max: number): Promise<Uint8Array> {
  const tooLarge = () => new LoupeError("body_too_large", `body: larger than the ${max}-byte limit`, { field: "body" });
  const declared = Number(c.req.header("content-length") ?? NaN);
  if (declared > max) throw tooLarge();
  const stream = c.req.raw.body;
  if (!stream) throw new LoupeError("invalid_json", "body: empty; expected a JSON object", { field: "body" });
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

export const clientOf = (c: Context, ctx: AppContext): ClientFacts => clientFacts(c.req.raw.headers, socketAddress(c), ctx.config.trustProxy);

/** The environment exists and is under its request rate (else 400 naming `field`, or 429 with Retry-After). */
export async function admit(ctx: AppContext, envId: string, field: string): Promise<void> {
  await ctx.ingest.checkEnvironment(envId, field);
  const wait = ctx.ingest.rateLimitWait(envId);
  if (wait > 0) throw new LoupeError("rate_limited", `too many requests for this environment; retry in ${wait} s`, { retryAfter: wait });
}

/** Browsers post from any site: open CORS, no credentials. */
export const openCors = () => cors({ origin: "*", allowMethods: ["POST", "OPTIONS"], allowHeaders: ["Content-Type"], maxAge: 86400 });

/** Counts requests by route and status (loupe_http_requests_total). */
export function countRequests(ctx: AppContext, route: string): MiddlewareHandler {
  const counter = ctx.metrics.counter("loupe_http_requests_total", "HTTP requests, by route and status.");
  return async (c, next) => {
    await next();
    counter.inc({ route, status: String(c.res.status) });
  };
}
