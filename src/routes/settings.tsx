// The Settings page of an environment and its three forms. A refused form from a browser comes back
// as the page with the message beside the form; scripts get the JSON error (src/routes/errors.tsx).
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { untrustedProxySeen } from "../auth/untrusted-proxy";
import type { AppContext } from "../context";
import { createEnvironment } from "../environments/environments";
import { generalSettingsSchema, privacyFormSchema, privacySettings, replayFormSchema, replaySettings, timeZones, updateGeneralSettings, updatePrivacySettings, updateReplaySettings } from "../environments/settings";
import type { LoupeError } from "../errors";
import { publicBaseUrl, settingsUrl } from "../urls";
import { SettingsPage, type SettingsForm, type SettingsPageProps } from "../../views/pages/settings";
import type { EnvApp } from "./environment";
import { formErrors } from "./errors";
import { form, query } from "./validate";

const FORMS = ["general", "privacy", "replay", "environment"] as const satisfies readonly SettingsForm[];
const LABELS: Record<string, string> = { timeZone: "Time zone", name: "Name", samplePercent: "Sessions recorded" };

/** Which form a refused post came from, and what was typed into it (shown again). */
async function refusedForm(c: Context<EnvApp>, error: LoupeError): Promise<NonNullable<SettingsPageProps["error"]>> {
  const path = c.req.path;
  const which: SettingsForm = path.endsWith("/privacy") ? "privacy" : path.endsWith("/replay") ? "replay" : path.endsWith("/environments") ? "environment" : "general";
  const body = await c.req.parseBody();
  const values = Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"));
  const field = error.field ?? "form";
  return { form: which, field, message: `${LABELS[field] ?? field}: ${error.reason}`, values };
}

/** Mounted at /e/:env/settings. */
export function settingsRoutes(ctx: AppContext) {
  const app = new Hono<EnvApp>();

  const page = (c: Context<EnvApp>, extra: Pick<SettingsPageProps, "saved" | "error">, status: ContentfulStatusCode = 200) => {
    const { env, envs, auth } = c.var;
    const props = { env, envs, csrfToken: auth.csrfToken, baseUrl: publicBaseUrl(ctx.config, c.req.url), privacy: privacySettings(env, ctx.config), replay: replaySettings(env), timeZones: timeZones(), untrustedProxy: untrustedProxySeen(ctx.config) };
    return c.html(<SettingsPage {...props} {...extra} />, status);
  };
  app.onError(formErrors(async (c: Context<EnvApp>, error) => page(c, { error: await refusedForm(c, error) }, error.status)));

  app.get("/", query(z.object({ saved: z.enum(FORMS).optional().catch(undefined) })), (c) => page(c, { saved: c.req.valid("query").saved }));

  app.post("/", form(generalSettingsSchema), async (c) => {
    await updateGeneralSettings(ctx.db, c.var.env.id, c.req.valid("form"));
    return c.redirect(settingsUrl(c.var.env.id, "general"), 303);
  });

  app.post("/privacy", form(privacyFormSchema), async (c) => {
    await updatePrivacySettings(ctx.db, c.var.env.id, c.req.valid("form"));
    return c.redirect(settingsUrl(c.var.env.id, "privacy"), 303);
  });

  app.post("/replay", form(replayFormSchema), async (c) => {
    await updateReplaySettings(ctx.db, c.var.env.id, c.req.valid("form"));
    return c.redirect(settingsUrl(c.var.env.id, "replay"), 303);
  });

  app.post("/environments", form(generalSettingsSchema), async (c) => {
    const { name, timeZone } = c.req.valid("form");
    const created = await createEnvironment(ctx.db, name, timeZone);
    return c.redirect(settingsUrl(created.id, "environment"), 303);
  });

  return app;
}
