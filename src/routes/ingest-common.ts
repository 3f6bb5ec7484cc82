// What every ingest route shares: the size-capped body reader, zod issues → field errors, client facts,
// rate limiting, CORS and per-route request counting.
import type { Context, MiddlewareHandler } from "hono";
import { getConnInfo } from "hono/bun";
import { cors } from "hono/cors";
import type { z } from "zod";
import { ERROR_CODES } from "../constants";
import type { AppContext } from "../context";
import { LoupeError } from "../errors";
import { clientFacts, type ClientFacts } from "../ingest/client";
import { parseWireJson } from "../ingest/wire-text";

/**
 * Reads a JSON body (any content type: sendBeacon posts text/plain). Over `max` bytes → 413, judged
 * from Content-Length before reading, and by counting while streaming when there is none. Parsed by
 * parseWireJson: nothing PostgreSQL cannot store gets past it.
 */
export async function readJsonBody(c: Context, max: number): Promise<unknown> {
  const tooLarge = () => new LoupeError(413, ERROR_CODES.bodyTooLarge, `body: larger than the ${max}-byte limit`, "body");
  const declared = Number(c.req.header("content-length") ?? NaN);
  if (declared > max) throw tooLarge();
  const stream = c.req.raw.body;
  if (!stream) throw new LoupeError(400, ERROR_CODES.invalidJson, "body: empty; expected a JSON object", "body");
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
  return parseWireJson(new TextDecoder().decode(Buffer.concat(parts)));
}

/** The first zod issue as a 400 naming its field (`events.3.properties.plan`). */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.map(String).join(".") || "body";
  throw new LoupeError(400, ERROR_CODES.invalidInput, `${field}: ${issue.message}`, field);
}

export function clientOf(c: Context, ctx: AppContext): ClientFacts {
  let socketIp: string | null = null;
  try {
    socketIp = getConnInfo(c).remote.address ?? null;
  } catch {
    socketIp = null; // not served by Bun.serve (app.request in tests)
  }
  return clientFacts(c.req.raw.headers, socketIp, ctx.config.trustProxy);
}

/** 429 with Retry-After when the environment is over its request rate. */
export function checkRate(c: Context, ctx: AppContext, envId: string): Response | null {
  const wait = ctx.ingest.rateLimitWait(envId);
  if (wait === 0) return null;
  c.header("Retry-After", String(wait));
  return c.json(new LoupeError(429, ERROR_CODES.rateLimited, `too many requests for this environment; retry in ${wait} s`).toJSON(), 429);
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
