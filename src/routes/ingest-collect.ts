// POST /api/collect — the collection endpoint the snippet and mobile apps post to (docs/collect-protocol.md).
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext } from "../context";
import { EVENT_TYPES } from "../events/model";
import { LIMITS } from "../limits";
import { withDeclaredIp } from "../ingest/client";
import { eventIdSchema, id53Schema } from "../ingest/ids";
import { normaliseCollect } from "../ingest/normalise-collect";
import { propertiesSchema } from "../ingest/properties";
import { wireTimeSchema } from "../ingest/times";
import { parse } from "../validate";
import { admit, clientOf, countRequests, openCors, readJsonBody } from "./ingest-common";

const text = (max: number) => z.string().max(max * 4, `must be at most ${max * 4} characters`).nullish();
const time = wireTimeSchema;
const size = z.object({ width: z.number().int().min(0).max(1e5), height: z.number().int().min(0).max(1e5) }).nullish();
const step = z.object({
  tag: z.string().min(1).max(64),
  id: text(256),
  classes: z.array(z.string().max(256)).max(64).nullish(),
  attrs: z.record(z.string().max(128), z.string().max(1024).nullable()).nullish(),
});
const page = z.object({
  url: text(LIMITS.urlChars), domain: text(256), path: text(LIMITS.urlChars), query: text(LIMITS.urlChars),
  hash: text(LIMITS.urlChars), title: text(1024), referrer: text(LIMITS.urlChars),
}).nullish();

const eventMessage = z.object({
  kind: z.literal("event"),
  id: eventIdSchema,
  type: z.enum(EVENT_TYPES, { message: `must be one of ${EVENT_TYPES.join(", ")}` }),
  name: z.string().min(1).max(LIMITS.eventNameChars, `must be at most ${LIMITS.eventNameChars} characters`).nullish(),
  time,
  page,
  screen: size,
  viewport: size,
  target: z.object({
    text: text(LIMITS.targetTextChars), tag: text(64), id: text(256), classes: z.array(z.string().max(256)).max(64).nullish(),
    href: text(LIMITS.urlChars), hierarchy: z.array(step).max(256).nullish(),
  }).nullish(),
  properties: propertiesSchema,
}).refine((m) => m.type !== "custom" || !!m.name, { message: "custom events need a name", path: ["name"] });

const identifyMessage = z.object({
  kind: z.literal("identify"),
  time,
  identity: z.string().max(LIMITS.identityChars, `must be at most ${LIMITS.identityChars} characters`),
});

const userPropertiesMessage = z.object({ kind: z.literal("user_properties"), time, properties: propertiesSchema });

export const collectSchema = z.object({
  envId: z.string({ message: "is required" }).min(1).max(64),
  source: z.enum(["web", "ios", "android"], { message: "must be web, ios or android" }),
  library: z.object({ name: text(64), version: text(64) }).nullish(),
  device: z.object({ appName: text(256), appVersion: text(64), os: text(64), osVersion: text(64), model: text(128) }).nullish(),
  userId: id53Schema,
  sessionId: id53Schema,
  sentAt: time.nullish(),
  /** The device's public address, when a sender relays its events (src/ingest/client.ts, withDeclaredIp). */
  ip: z.union([z.ipv4(), z.ipv6()], { message: "must be an IPv4 or IPv6 address" }).nullish(),
  messages: z
    .array(z.discriminatedUnion("kind", [eventMessage, identifyMessage, userPropertiesMessage], { message: "kind must be event, identify or user_properties" }))
    .max(LIMITS.bulkItems, `at most ${LIMITS.bulkItems} messages per batch`),
});

/** Mounted at /api/collect. */
export function collectRoutes(ctx: AppContext) {
  const app = new Hono();
  app.use("*", openCors(), countRequests(ctx, "/api/collect"));
  app.post("/", async (c) => {
    const input = parse(collectSchema, await readJsonBody(c, ctx.config.maxBodyBytes));
    await admit(ctx, input.envId, "envId");
    const result = await ctx.ingest.submit(normaliseCollect(input), withDeclaredIp(clientOf(c, ctx), input.ip));
    // The environment's replay setting rides along: the snippet loads its recorder when it is on.
    const replay = input.source === "web" ? ctx.ingest.replayFor(input.envId) : null;
    return c.json({ ok: true, accepted: result.accepted, dropped: result.dropped, userId: String(result.userId ?? input.userId), warnings: result.warnings, ...(replay ? { replay } : {}) });
  });
  return app;
}
