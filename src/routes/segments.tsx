// Saved segments, /e/:env/segments: the Segments page, save from the Users page, open, rename and
// delete (CSRF-protected forms). A refused save goes back to the Users page with the reason.
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppContext } from "../context";
import { notFound } from "../errors";
import { deleteSegment, getSegment, listSegments, renameSegment, saveSegmentFromFilters } from "../filters/segments";
import { DEFAULT_VIEW, parseView } from "../filters/view";
import { usersPath, usersUrl, withQuery } from "../urls";
import { SegmentsPage } from "../../views/pages/segments";
import type { EnvApp } from "./environment";
import { isBrowserForm, showErrors } from "./errors";
import { form, params, pathId, query } from "./validate";

const text = z.string().catch("");
const saveForm = z.object({ name: text, f: z.union([z.string(), z.array(z.string())]).optional(), return: text });
const segmentParams = z.object({ id: pathId });
const GONE = "That segment no longer exists.";

/** Mounted at /e/:env/segments. */
export function segmentsRoutes(ctx: AppContext) {
  const app = new Hono<EnvApp>();

  const page = async (c: Context<EnvApp>, message?: { error?: string; done?: string }, status: ContentfulStatusCode = 200) => {
    const { env, envs, auth } = c.var;
    return c.html(<SegmentsPage env={env} envs={envs} csrfToken={auth.csrfToken} segments={await listSegments(ctx.db, env.id)} {...message} />, status);
  };
  app.onError(showErrors<Context<EnvApp>>(
    // The save form lives on the Users page: its refusals are shown there, whoever posted it.
    {
      when: (c) => c.req.method === "POST" && c.req.path.endsWith("/segments"),
      show: async (c, error) => {
        const back = new URLSearchParams(String((await c.req.parseBody()).return ?? ""));
        back.set("segment_error", error.message);
        return c.redirect(withQuery(usersPath(c.var.env.id), back), 303);
      },
    },
    { when: isBrowserForm, show: (c, error) => page(c, { error: error.reason }, error.status) },
  ));

  app.get("/", query(z.object({ saved: z.string().optional() })), (c) => page(c, c.req.valid("query").saved ? { done: "Segment saved." } : undefined));

  app.post("/", form(saveForm), async (c) => {
    const input = c.req.valid("form");
    const segment = await saveSegmentFromFilters(ctx.db, c.var.env.id, input.name, [input.f ?? []].flat());
    const back = parseView(new URLSearchParams(input.return)).view;
    return c.redirect(usersUrl(c.var.env.id, { ...back, groups: segment.groups, segment: segment.id }), 303);
  });

  app.get("/:id/open", params(segmentParams), async (c) => {
    const segment = await getSegment(ctx.db, c.var.env.id, c.req.valid("param").id);
    if (!segment) throw notFound(GONE);
    return c.redirect(usersUrl(c.var.env.id, { ...DEFAULT_VIEW, groups: segment.groups, segment: segment.id }), 302);
  });

  app.post("/:id/rename", params(segmentParams), form(z.object({ name: text })), async (c) => {
    const renamed = await renameSegment(ctx.db, c.var.env.id, c.req.valid("param").id, c.req.valid("form").name);
    if (!renamed) throw notFound(GONE);
    return page(c, { done: `Renamed to “${renamed.name}”.` });
  });

  app.post("/:id/delete", params(segmentParams), async (c) => {
    if (!(await deleteSegment(ctx.db, c.var.env.id, c.req.valid("param").id))) throw notFound(GONE);
    return page(c, { done: "Segment deleted." });
  });

  return app;
}
