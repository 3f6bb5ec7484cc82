// The Users list as CSV, /e/:env/users.csv: the same view as the page, streamed in keyset batches. Every
// custom property seen is a column, or only those named by `prop` (repeated: ?prop=plan&prop=company).
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext } from "../context";
import { requireView } from "../filters/request";
import { LIMITS } from "../limits";
import { CSV_MAX_PROPERTY_COLUMNS, usersCsvStream } from "../users/csv";
import { parse } from "../validate";
import type { EnvApp } from "./environment";

const chosenProperties = z
  .array(z.string().min(1, "must not be empty").max(LIMITS.propertyKeyChars, `must be at most ${LIMITS.propertyKeyChars} characters`))
  .max(CSV_MAX_PROPERTY_COLUMNS, `at most ${CSV_MAX_PROPERTY_COLUMNS} property columns`);

/** Mounted at /e/:env/users.csv. */
export function usersCsvRoutes(ctx: AppContext) {
  const app = new Hono<EnvApp>();
  app.get("/", async (c) => {
    const env = c.var.env;
    const params = new URL(c.req.url).searchParams;
    const chosen = params.has("prop") ? parse(chosenProperties, params.getAll("prop"), { prefix: "prop", whole: "prop" }) : undefined;
    const stream = await usersCsvStream(ctx.db, { env, view: requireView(params) }, { propertyKeys: chosen && [...new Set(chosen)] });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(stream, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="users-${env.id}-${day}.csv"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  });
  return app;
}
