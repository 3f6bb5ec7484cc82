// POST /api/add_user_properties — Heap-compatible user properties, one or bulk (`users: [...]`, ≤1000).
import { Hono } from "hono";
import { z } from "zod";
import { LIMITS } from "../constants";
import type { AppContext } from "../context";
import { normaliseUserProperties } from "../ingest/normalise-heap";
import { propertiesSchema } from "../ingest/properties";
import { appId, isBulk, oneSubject, oneSubjectMessage, refuseJunkIdentities, subjectFields } from "./ingest-heap-fields";
import { checkRate, clientOf, countRequests, openCors, parseOr400, readJsonBody } from "./ingest-common";

const userProperties = z.object({ ...subjectFields, properties: propertiesSchema }).refine(oneSubject, oneSubjectMessage);

const singleSchema = z.object({ app_id: appId, ...subjectFields, properties: propertiesSchema }).refine(oneSubject, oneSubjectMessage);
const bulkSchema = z.object({
  app_id: appId,
  users: z.array(userProperties).min(1, "must hold at least one user").max(LIMITS.bulkItems, `at most ${LIMITS.bulkItems} users per request`),
});

export function userPropertiesRoutes(ctx: AppContext) {
  const app = new Hono();
  app.use("/api/add_user_properties", openCors(), countRequests(ctx, "/api/add_user_properties"));
  app.post("/api/add_user_properties", async (c) => {
    const body = await readJsonBody(c, ctx.config.maxBodyBytes);
    const bulk = isBulk(body, "users");
    const input = bulk ? parseOr400(bulkSchema, body) : parseOr400(singleSchema, body);
    const items = "users" in input ? input.users : [input];
    refuseJunkIdentities(items, bulk ? "users" : "");
    await ctx.ingest.checkEnvironment(input.app_id, "app_id");
    const limited = checkRate(c, ctx, input.app_id);
    if (limited) return limited;
    const result = await ctx.ingest.submit(normaliseUserProperties(input.app_id, items), clientOf(c, ctx));
    return c.json({ ok: true, accepted: result.accepted });
  });
  return app;
}
