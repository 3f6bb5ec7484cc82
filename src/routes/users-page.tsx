// The Users page, /e/:env/users: the view from its URL; a builder or toolbar submission redirects to
// the view's canonical URL (303), so every state of the page is a plain link.
import { Hono } from "hono";
import type { AppContext } from "../context";
import { readUsersPage } from "../filters/request";
import { listSegments } from "../filters/segments";
import { usersUrl } from "../urls";
import { usersResults } from "../users/results";
import { UsersPage } from "../../views/pages/users";
import type { EnvApp } from "./environment";

/** Mounted at /e/:env/users (beside the user pages of src/routes/user-page.tsx). */
export function usersPageRoutes(ctx: AppContext) {
  const app = new Hono<EnvApp>();
  app.get("/", async (c) => {
    const { env, envs, auth } = c.var;
    const request = readUsersPage(new URL(c.req.url).searchParams);
    if ("redirect" in request) return c.redirect(usersUrl(env.id, request.redirect), 303);
    const [segments, results] = await Promise.all([listSegments(ctx.db, env.id), request.error ? undefined : usersResults(ctx.db, env, request.view)]);
    return c.html(<UsersPage env={env} envs={envs} csrfToken={auth.csrfToken} view={request.view} error={request.error} notice={request.notice} savedSegments={segments} results={results} />);
  });
  return app;
}
