// The Settings page of an environment and its three forms. Login, Origin check and CSRF token are
// enforced by the dashboard group this is mounted in.
import { Hono, type Context } from "hono";
import type { z } from "zod";
import type { DashboardEnv } from "../auth/middleware";
import { untrustedProxySeen } from "../auth/untrusted-proxy";
import type { AppContext } from "../context";
import { createEnvironment } from "../environments/environments";
import { generalSettingsSchema, privacyFormSchema, privacySettings, timeZones, updateGeneralSettings, updatePrivacySettings } from "../environments/settings";
import { invalid } from "../errors";
import { SettingsPage, type SettingsForm, type SettingsPageProps } from "../../views/pages/settings";
import { NotFoundPage } from "../../views/pages/not-found";
import { publicBaseUrl } from "./dashboard";
import { pageEnvironment } from "./page-env";

const FORMS = new Set<SettingsForm>(["general", "privacy", "environment"]);

/** Form fields as strings only (a file upload where text is expected is simply ignored). */
async function formFields(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** A form browsers post: answer a refusal with the page again (400) so the user can correct it; others get JSON. */
const wantsHtml = (c: Context) => (c.req.header("accept") ?? "").includes("text/html") && !c.req.header("hx-request");

export function settingsRoutes(ctx: AppContext) {
  const app = new Hono<DashboardEnv>();

  async function render(c: Context<DashboardEnv>, extra: Pick<SettingsPageProps, "saved" | "error"> = {}, status: 200 | 400 = 200) {
    const page = await pageEnvironment(ctx.db, c.req.param("env") ?? "");
    const csrfToken = c.get("auth").csrfToken;
    if (!page) return c.html(<NotFoundPage message="No such environment" csrfToken={csrfToken} />, 404);
    return c.html(
      <SettingsPage
        env={page.env}
        envs={page.envs}
        csrfToken={csrfToken}
        baseUrl={publicBaseUrl(ctx, c.req.url)}
        privacy={privacySettings(page.env, ctx.config)}
        timeZones={timeZones()}
        untrustedProxy={untrustedProxySeen(ctx.config)}
        {...extra}
      />,
      status,
    );
  }

  /** Validates a form; on failure renders the page with the message, or throws the 400 JSON error. */
  async function parseForm<S extends z.ZodType>(c: Context<DashboardEnv>, form: SettingsForm, schema: S) {
    const values = await formFields(c);
    const parsed = schema.safeParse(values);
    if (parsed.success) return { data: parsed.data as z.output<S> };
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? "form");
    const message = `${field === "timeZone" ? "Time zone" : field === "name" ? "Name" : field}: ${issue?.message ?? "invalid value"}`;
    if (!wantsHtml(c)) throw invalid(field, issue?.message ?? "invalid value");
    return { response: await render(c, { error: { form, field, message, values } }, 400) };
  }

  const envExists = async (c: Context<DashboardEnv>) => (await pageEnvironment(ctx.db, c.req.param("env") ?? ""))?.env;

  app.get("/e/:env/settings", async (c) => {
    const saved = c.req.query("saved") as SettingsForm | undefined;
    return render(c, { saved: saved && FORMS.has(saved) ? saved : undefined });
  });

  app.post("/e/:env/settings", async (c) => {
    const env = await envExists(c);
    if (!env) return render(c);
    const r = await parseForm(c, "general", generalSettingsSchema);
    if (r.response) return r.response;
    await updateGeneralSettings(ctx.db, env.id, r.data!);
    return c.redirect(`/e/${encodeURIComponent(env.id)}/settings?saved=general`, 303);
  });

  app.post("/e/:env/settings/privacy", async (c) => {
    const env = await envExists(c);
    if (!env) return render(c);
    const r = await parseForm(c, "privacy", privacyFormSchema);
    if (r.response) return r.response;
    await updatePrivacySettings(ctx.db, env.id, r.data!);
    return c.redirect(`/e/${encodeURIComponent(env.id)}/settings?saved=privacy`, 303);
  });

  app.post("/e/:env/settings/environments", async (c) => {
    const env = await envExists(c);
    if (!env) return render(c);
    const r = await parseForm(c, "environment", generalSettingsSchema);
    if (r.response) return r.response;
    const created = await createEnvironment(ctx.db, r.data!.name, r.data!.timeZone);
    return c.redirect(`/e/${encodeURIComponent(created.id)}/settings?saved=environment`, 303);
  });

  return app;
}
