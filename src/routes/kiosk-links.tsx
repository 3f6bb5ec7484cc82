// Settings → Kiosk links, /e/:env/settings/kiosk: create and revoke the read-only wall-screen links.
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { createKioskToken, kioskFormSchema, listKioskTokens, revokeKioskToken } from "../auth/kiosk";
import type { AppContext } from "../context";
import { listSegments } from "../filters/segments";
import { kioskLinksUrl, kioskWallPath, publicBaseUrl } from "../urls";
import { KioskPage, KioskTable } from "../../views/pages/kiosk";
import type { EnvApp } from "./environment";
import { formErrors } from "./errors";
import { form, params, pathId } from "./validate";

type Extra = Pick<Parameters<typeof KioskPage>[0], "created" | "error">;

/** Mounted at /e/:env/settings/kiosk. */
export function kioskLinksRoutes(ctx: AppContext) {
  const app = new Hono<EnvApp>();

  const page = async (c: Context<EnvApp>, extra: Extra = {}, status: ContentfulStatusCode = 200) => {
    const { env, envs, auth } = c.var;
    const [tokens, segments] = await Promise.all([listKioskTokens(ctx.db, env.id), listSegments(ctx.db, env.id)]);
    return c.html(<KioskPage env={env} envs={envs} csrfToken={auth.csrfToken} tokens={tokens} segments={segments} {...extra} />, status);
  };
  app.onError(formErrors((c: Context<EnvApp>, err) => page(c, { error: { field: err.field ?? "name", message: err.message } }, err.status)));

  app.get("/", (c) => page(c));

  // The list inside the Settings page's "Kiosk links" section (loaded by htmx).
  app.get("/list", async (c) => {
    const { env, auth } = c.var;
    const [tokens, segments] = await Promise.all([listKioskTokens(ctx.db, env.id), listSegments(ctx.db, env.id)]);
    return c.html(<KioskTable envId={env.id} csrfToken={auth.csrfToken} tokens={tokens} segments={segments} />);
  });

  app.post("/", form(kioskFormSchema), async (c) => {
    const input = c.req.valid("form");
    const { token } = await createKioskToken(ctx.db, c.var.env.id, input);
    c.header("Cache-Control", "no-store");
    return page(c, { created: { name: input.name, url: `${publicBaseUrl(ctx.config, c.req.url)}${kioskWallPath(token)}` } }, 201);
  });

  app.post("/:id/revoke", params(z.object({ id: pathId })), async (c) => {
    await revokeKioskToken(ctx.db, ctx.bus, c.var.env.id, c.req.valid("param").id);
    return c.redirect(kioskLinksUrl(c.var.env.id), 303);
  });

  return app;
}
