// POST /api/track — Heap-compatible server-side events, one (`event`) or bulk (`events: [...]`, ≤1000).
import { Hono } from "hono";
import { z } from "zod";
import { LIMITS } from "../constants";
import type { AppContext } from "../context";
import { id53Schema } from "../ingest/ids";
import { normaliseTrack } from "../ingest/normalise-heap";
import { propertiesSchema } from "../ingest/properties";
import { appId, isBulk, oneSubject, oneSubjectMessage, refuseJunkIdentities, subjectFields, timestamp } from "./ingest-heap-fields";
import { checkRate, clientOf, countRequests, openCors, parseOr400, readJsonBody } from "./ingest-common";

const trackFields = {
  ...subjectFields,
  event: z.string({ message: "is required" }).min(1, "must not be empty").max(LIMITS.eventNameChars, `must be at most ${LIMITS.eventNameChars} characters`),
  properties: propertiesSchema,
  timestamp: timestamp.optional(),
  idempotency_key: z.string().min(1).max(LIMITS.propertyValueChars, `must be at most ${LIMITS.propertyValueChars} characters`).optional(),
  session_id: id53Schema.optional(),
};
const trackEvent = z.object(trackFields).refine(oneSubject, oneSubjectMessage);

const singleSchema = z.object({ app_id: appId, ...trackFields }).refine(oneSubject, oneSubjectMessage);
const bulkSchema = z.object({
  app_id: appId,
  events: z.array(trackEvent).min(1, "must hold at least one event").max(LIMITS.bulkItems, `at most ${LIMITS.bulkItems} events per request`),
});

export function trackRoutes(ctx: AppContext) {
  const app = new Hono();
  app.use("/api/track", openCors(), countRequests(ctx, "/api/track"));
  app.post("/api/track", async (c) => {
    const body = await readJsonBody(c, ctx.config.maxBodyBytes);
    const bulk = isBulk(body, "events");
    const input = bulk ? parseOr400(bulkSchema, body) : parseOr400(singleSchema, body);
    const items = "events" in input ? input.events : [input];
    refuseJunkIdentities(items, bulk ? "events" : "");
    await ctx.ingest.checkEnvironment(input.app_id, "app_id");
    const limited = checkRate(c, ctx, input.app_id);
    if (limited) return limited;
    const result = await ctx.ingest.submit(normaliseTrack(input.app_id, items), clientOf(c, ctx));
    return c.json({ ok: true, accepted: result.accepted, dropped: result.dropped });
  });
  return app;
}
