// POST /api/v1/identify — Heap-compatible: give a user id an identity. A second, different identity for
// the same user id is refused (409); the same identity again is a no-op; an identity another user holds
// merges this (anonymous) user into that one.
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext } from "../context";
import { id53Schema } from "../ingest/ids";
import { normaliseIdentify } from "../ingest/normalise-heap";
import { appId, identity, refuseJunkIdentities, timestamp } from "./ingest-heap-fields";
import { parse } from "../validate";
import { admit, clientOf, countRequests, openCors, readJsonBody } from "./ingest-common";

const identifySchema = z.object({
  app_id: appId,
  user_id: id53Schema,
  identity: identity,
  timestamp: timestamp.optional(),
});

/** Mounted at /api/v1/identify. */
export function identifyRoutes(ctx: AppContext) {
  const app = new Hono();
  app.use("*", openCors(), countRequests(ctx, "/api/v1/identify"));
  app.post("/", async (c) => {
    const input = parse(identifySchema, await readJsonBody(c, ctx.config.maxBodyBytes));
    refuseJunkIdentities([input], "");
    await admit(ctx, input.app_id, "app_id");
    const result = await ctx.ingest.submit(normaliseIdentify(input.app_id, input.user_id, input.identity, input.timestamp ?? Date.now()), clientOf(c, ctx));
    return c.json({ ok: true, userId: String(result.userId) });
  });
  return app;
}
