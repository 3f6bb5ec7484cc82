// POST /api/add_user_properties — Heap-compatible user properties, one or bulk (`users: [...]`, ≤1000).
import { Hono } from "hono";
import type { AppContext } from "../context";
import { normaliseUserProperties } from "../ingest/normalise-heap";
import { propertiesSchema } from "../ingest/properties";
import { readHeapItems, singleOrBulk } from "./heap-single-or-bulk";
import { clientOf, countRequests, openCors } from "./ingest-common";

const body = singleOrBulk({ properties: propertiesSchema }, "users", "user");

/** Mounted at /api/add_user_properties. */
export function userPropertiesRoutes(ctx: AppContext) {
  const app = new Hono();
  app.use("*", openCors(), countRequests(ctx, "/api/add_user_properties"));
  app.post("/", async (c) => {
    const read = await readHeapItems(c, ctx, body);
    const result = await ctx.ingest.submit(normaliseUserProperties(read.appId, read.items), clientOf(c, ctx));
    return c.json({ ok: true, accepted: result.accepted });
  });
  return app;
}
