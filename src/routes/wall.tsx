// The wall screen: /e/:env/wall for logged-in users, /wall/<token> for kiosk links; and the
// Settings section where kiosk links are created and revoked.
import { Hono } from "hono";
import { asc, eq } from "drizzle-orm";
import type { DashboardEnv } from "../auth/middleware";
import type { AppContext } from "../context";
import { segments } from "../db/schema";
import { getEnvironment, listEnvironments, type Environment } from "../environments/environments";
import { LoupeError } from "../errors";
import { createKioskToken, findKioskToken, kioskFormSchema, kioskOptions, listKioskTokens, revokeKioskToken } from "../live/kiosk";
import { MinuteCache, wallFigures } from "../live/wall-figures";
import { wallCounter, wallViewSchema, type WallView } from "../live/wall-view";
import { KioskPage, KioskTable } from "../../views/pages/kiosk";
import { WallPage } from "../../views/pages/wall";
import { publicBaseUrl } from "./dashboard";

async function renderWall(ctx: AppContext, env: Environment, view: WallView, socketPath: string, dashboard?: Parameters<typeof WallPage>[0]["dashboard"]) {
  const counter = await wallCounter(ctx.db, env.id, view);
  const figures = await wallFigures({ db: ctx.db, countQuery: () => {} }, env, { mask: view.mask, minutes: new MinuteCache(), counter });
  return <WallPage envName={env.name} timeZone={env.timeZone} figures={figures} socketPath={socketPath} view={view} version={ctx.version} dashboard={dashboard} />;
}

/** Public: a kiosk token opens its wall and nothing else. Unknown and revoked tokens are a plain 404. */
export function kioskWallRoutes(ctx: AppContext) {
  const app = new Hono();
  app.get("/wall/:token", async (c) => {
    const token = c.req.param("token");
    const row = await findKioskToken(ctx.db, token);
    const env = row ? await getEnvironment(ctx.db, row.envId) : undefined;
    if (!row || !env) return c.notFound();
    const o = kioskOptions(row);
    const view = wallViewSchema.parse({ kind: "wall", envId: env.id, segmentId: o.segmentId, event: o.event, mask: o.maskIdentities });
    // The token is in the URL: never leak it through caches or robots (the page's meta tag stops Referer).
    c.header("Cache-Control", "no-store");
    c.header("X-Robots-Tag", "noindex");
    return c.html(await renderWall(ctx, env, view, `/wall/${token}/live`));
  });
  // Nothing else lives under a kiosk URL (its socket is answered by routes/live.ts before this).
  app.all("/wall/:token/*", (c) => c.notFound());
  return app;
}

/** Mounted inside the dashboard group (login, Origin and CSRF checks already applied). */
export function wallDashboardRoutes(ctx: AppContext) {
  const app = new Hono<DashboardEnv>();
  const envSegments = (envId: string) =>
    ctx.db.select({ id: segments.id, name: segments.name }).from(segments).where(eq(segments.envId, envId)).orderBy(asc(segments.name));

  app.get("/e/:env/wall", async (c) => {
    const env = await getEnvironment(ctx.db, c.req.param("env"));
    if (!env) return c.notFound();
    const segmentRaw = c.req.query("segment");
    const parsed = wallViewSchema.safeParse({
      kind: "wall", envId: env.id, segmentId: segmentRaw ? Number(segmentRaw) : null, event: c.req.query("event") || null, mask: c.req.query("mask") === "1",
    });
    if (!parsed.success) throw new LoupeError(400, "invalid_input", `${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`, String(parsed.error.issues[0]?.path[0] ?? "query"));
    const view = parsed.data;
    const dashboard = { backHref: `/e/${encodeURIComponent(env.id)}/users`, segments: await envSegments(env.id), selectedSegment: view.segmentId, event: view.event, mask: view.mask };
    return c.html(await renderWall(ctx, env, view, "/live", dashboard));
  });

  const kioskPage = async (c: { req: { url: string } }, env: Environment, csrfToken: string, extra: { created?: { name: string; url: string }; error?: { field: string; message: string } } = {}) => (
    <KioskPage env={env} envs={await listEnvironments(ctx.db)} csrfToken={csrfToken} tokens={await listKioskTokens(ctx.db, env.id)} segments={await envSegments(env.id)} {...extra} />
  );

  app.get("/e/:env/settings/kiosk", async (c) => {
    const env = await getEnvironment(ctx.db, c.req.param("env"));
    if (!env) return c.notFound();
    return c.html(await kioskPage(c, env, c.get("auth").csrfToken));
  });

  // The list inside the Settings page's "Kiosk links" section (loaded by htmx).
  app.get("/e/:env/settings/kiosk/list", async (c) => {
    const env = await getEnvironment(ctx.db, c.req.param("env"));
    if (!env) return c.notFound();
    const base = `/e/${encodeURIComponent(env.id)}/settings/kiosk`;
    return c.html(<KioskTable base={base} csrfToken={c.get("auth").csrfToken} tokens={await listKioskTokens(ctx.db, env.id)} segments={await envSegments(env.id)} />);
  });

  app.post("/e/:env/settings/kiosk", async (c) => {
    const env = await getEnvironment(ctx.db, c.req.param("env"));
    if (!env) return c.notFound();
    const body = await c.req.parseBody();
    const form = kioskFormSchema.safeParse({ name: body.name, segment: body.segment || undefined, event: body.event || undefined, mask: body.mask || undefined });
    if (!form.success) {
      const issue = form.error.issues[0];
      return c.html(await kioskPage(c, env, c.get("auth").csrfToken, { error: { field: String(issue?.path[0] ?? "name"), message: `${String(issue?.path[0] ?? "name")}: ${issue?.message}` } }), 400);
    }
    const { token } = await createKioskToken(ctx.db, env.id, form.data.name, { segmentId: form.data.segment, event: form.data.segment ? null : form.data.event, maskIdentities: form.data.mask });
    const url = `${publicBaseUrl(ctx, c.req.url)}/wall/${token}`;
    c.header("Cache-Control", "no-store");
    return c.html(await kioskPage(c, env, c.get("auth").csrfToken, { created: { name: form.data.name, url } }), 201);
  });

  app.post("/e/:env/settings/kiosk/:id/revoke", async (c) => {
    const env = await getEnvironment(ctx.db, c.req.param("env"));
    const id = Number(c.req.param("id"));
    if (!env || !Number.isSafeInteger(id)) return c.notFound();
    const row = await revokeKioskToken(ctx.db, env.id, id);
    // Every process (through the live bus) closes this link's open walls at once.
    if (row) ctx.bus.publish({ envId: env.id, userIds: [], newUserIds: [], sessionIds: [], newSessionIds: [], eventIds: [], rageEventIds: [], at: Date.now(), revokedKioskIds: [id] });
    return c.redirect(`/e/${encodeURIComponent(env.id)}/settings/kiosk`, 303);
  });

  return app;
}
