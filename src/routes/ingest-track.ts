// POST /api/track — Heap-compatible server-side events, one (`event`) or bulk (`events: [...]`, ≤1000).
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext } from "../context";
import { LIMITS } from "../limits";
import { id53Schema } from "../ingest/ids";
import { normaliseTrack } from "../ingest/normalise-heap";
import { propertiesSchema } from "../ingest/properties";
import { readHeapItems, singleOrBulk } from "./heap-single-or-bulk";
import { timestamp } from "./ingest-heap-fields";
import { clientOf, countRequests, openCors } from "./ingest-common";

const body = singleOrBulk(
  {
    event: z.string({ message: "is required" }).min(1, "must not be empty").max(LIMITS.eventNameChars, `must be at most ${LIMITS.eventNameChars} characters`),
    properties: propertiesSchema,
    timestamp: timestamp.optional(),
    idempotency_key: z.string().min(1).max(LIMITS.propertyValueChars, `must be at most ${LIMITS.propertyValueChars} characters`).optional(),
    session_id: id53Schema.optional(),
  },
  "events",
  "event",
);

/** Mounted at /api/track. */
export function trackRoutes(ctx: AppContext) {
  const app = new Hono();
  app.use("*", openCors(), countRequests(ctx, "/api/track"));
  app.post("/", async (c) => {
    const read = await readHeapItems(c, ctx, body);
    const result = await ctx.ingest.submit(normaliseTrack(read.appId, read.items), clientOf(c, ctx));
    return c.json({ ok: true, accepted: result.accepted, dropped: result.dropped });
  });
  return app;
}
