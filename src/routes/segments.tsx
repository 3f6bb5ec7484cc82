// Saved segments: the Segments page, save from the Users page, rename and delete (CSRF-protected forms).
import { Hono, type Context } from "hono";
import type { DashboardEnv } from "../auth/middleware";
import type { AppContext } from "../context";
import { LoupeError, invalid } from "../errors";
import { createSegment, deleteSegment, listSegments, renameSegment } from "../filters/segments";
import { parseView, usersPath, usersUrl, withQuery } from "../filters/view";
import { SegmentsPage } from "../../views/pages/segments";
import { pageEnvironment } from "./page-env";

const segmentId = (raw: string | undefined) => {
  const id = Number(raw);
  if (!raw || !/^\d{1,15}$/.test(raw) || !Number.isSafeInteger(id)) throw invalid("id", "must be a segment id");
  return id;
};

export function segmentsRoutes(ctx: AppContext) {
  const app = new Hono<DashboardEnv>();
  const db = ctx.db;

  const render = async (c: Context<DashboardEnv>, envId: string, message?: { error?: string; done?: string }, status: 200 | 400 | 404 | 409 = 200) => {
    const loaded = await pageEnvironment(db, envId);
    if (!loaded) return c.notFound();
    const segments = await listSegments(db, loaded.env.id);
    return c.html(<SegmentsPage env={loaded.env} envs={loaded.envs} csrfToken={c.get("auth").csrfToken} segments={segments} {...message} />, status);
  };

  app.get("/e/:env/segments", (c) => render(c, c.req.param("env"), c.req.query("saved") ? { done: "Segment saved." } : undefined));

  app.post("/e/:env/segments", async (c) => {
    const loaded = await pageEnvironment(db, c.req.param("env"));
    if (!loaded) return c.notFound();
    const form = await c.req.formData();
    const groupParams = new URLSearchParams(form.getAll("f").map((f) => ["f", String(f)] as [string, string]));
    const { view, error } = parseView(groupParams);
    const back = new URLSearchParams(String(form.get("return") ?? ""));
    const backView = parseView(back).view;
    try {
      if (error) throw invalid("f", error.message);
      const segment = await createSegment(db, loaded.env.id, String(form.get("name") ?? ""), view.groups);
      return c.redirect(usersUrl(loaded.env.id, { ...backView, groups: segment.groups, segment: segment.id }), 303);
    } catch (e) {
      if (!(e instanceof LoupeError)) throw e;
      back.set("segment_error", e.message);
      return c.redirect(withQuery(usersPath(loaded.env.id), back), 303);
    }
  });

  app.post("/e/:env/segments/:id/rename", async (c) => {
    const id = segmentId(c.req.param("id"));
    const form = await c.req.formData();
    try {
      const renamed = await renameSegment(db, c.req.param("env"), id, String(form.get("name") ?? ""));
      if (!renamed) return render(c, c.req.param("env"), { error: "That segment no longer exists." }, 404);
      return render(c, c.req.param("env"), { done: `Renamed to “${renamed.name}”.` });
    } catch (e) {
      if (!(e instanceof LoupeError)) throw e;
      return render(c, c.req.param("env"), { error: e.message }, e.status === 409 ? 409 : 400);
    }
  });

  app.post("/e/:env/segments/:id/delete", async (c) => {
    const id = segmentId(c.req.param("id"));
    const deleted = await deleteSegment(db, c.req.param("env"), id);
    return render(c, c.req.param("env"), deleted ? { done: "Segment deleted." } : { error: "That segment no longer exists." }, deleted ? 200 : 404);
  });

  return app;
}
