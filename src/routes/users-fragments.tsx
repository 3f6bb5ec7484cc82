// The Users page's htmx fragments, /e/:env/users-list/*: results (search as you type), load more, one
// row (expand, live refresh), the filter builder and its value suggestions.
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppContext } from "../context";
import { builderChoices, readBuilder, requireView, suggestValues } from "../filters/request";
import { viewParams } from "../filters/view";
import { usersUrl } from "../urls";
import { listUsers } from "../users/list";
import { usersResults, usersRow } from "../users/results";
import { MoreRows, Results, ResultsError } from "../../views/pages/users";
import { FilterBuilder, ValueOptions } from "../../views/partials/filter-builder";
import { UserRow, UserRowGone } from "../../views/partials/user-row";
import type { EnvApp } from "./environment";
import { showErrors } from "./errors";
import { params, pathId, query } from "./validate";

const searchParams = (c: Context) => new URL(c.req.url).searchParams;

/** Mounted at /e/:env/users-list. */
export function usersFragmentRoutes(ctx: AppContext) {
  const app = new Hono<EnvApp>();
  // Search as you type swaps the results section: a view it cannot read shows as a message there.
  app.onError(showErrors<Context<EnvApp>>({ when: (c) => c.req.path.endsWith("/results"), show: (c, error) => c.html(<ResultsError message={error.reason} />, error.status) }));

  app.get("/results", async (c) => {
    const view = requireView(searchParams(c));
    const results = await usersResults(ctx.db, c.var.env, view);
    c.header("HX-Replace-Url", usersUrl(c.var.env.id, view));
    return c.html(<Results {...results} />);
  });

  app.get("/more", query(z.object({ cursor: z.string({ message: "is required" }).min(1, "is required") })), async (c) => {
    const view = requireView(searchParams(c));
    const page = await listUsers(ctx.db, { env: c.var.env, view, cursor: c.req.valid("query").cursor });
    return c.html(<MoreRows env={c.var.env} view={view} page={page} />);
  });

  app.get("/row/:user", params(z.object({ user: pathId })), query(z.object({ expanded: z.string().optional() })), async (c) => {
    const userId = c.req.valid("param").user;
    const view = requireView(searchParams(c));
    const env = c.var.env;
    const { row, details, matches } = await usersRow(ctx.db, env, view, userId, c.req.valid("query").expanded === "1");
    if (!row) return c.html(<UserRowGone userId={userId} />, 404);
    c.header("X-Loupe-Matches", String(matches));
    return c.html(<UserRow row={row} ctx={{ envId: env.id, timeZone: env.timeZone, viewQuery: viewParams(view).toString() }} expanded={details} />);
  });

  app.get("/builder", async (c) => {
    const { view, state } = readBuilder(searchParams(c));
    const choices = await builderChoices(ctx.db, c.var.env.id, state);
    return c.html(<FilterBuilder envId={c.var.env.id} view={view} state={state} {...choices} />);
  });

  app.get("/suggest", async (c) => {
    const { values, unit } = await suggestValues(ctx.db, c.var.env.id, searchParams(c));
    return c.html(<ValueOptions values={values} unit={unit} />);
  });

  return app;
}
