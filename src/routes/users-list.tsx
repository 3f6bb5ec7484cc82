// The Users list (SPEC §4/§6): the page, its htmx fragments (results, load more, one row, the filter
// builder, value suggestions) and the CSV export. Thin handlers: parse → query → render.
import { Hono, type Context } from "hono";
import type { DashboardEnv } from "../auth/middleware";
import type { AppContext } from "../context";
import type { Environment } from "../environments/environments";
import { invalid } from "../errors";
import { addCondition, conditionFromBuilder, parseEventChoice, type BuilderKind, BUILDER_KINDS } from "../filters/builder";
import { USER_SCOPES, type UserScope } from "../filters/model";
import { getSegment, listSegments } from "../filters/segments";
import { eventKinds, eventPropertyKeys, eventPropertyValues, userPropertyKeys, userPropertyValues } from "../filters/suggestions";
import { parseView, usersUrl, viewParams, type UsersView } from "../filters/view";
import { usersCsvStream } from "../users/csv";
import { countUsers, listUsers, userListRow, userMatchesView } from "../users/list";
import { userRowDetails } from "../users/row-details";
import { hasAnyUsers } from "../users/list-env";
import { FilterBuilder, ValueOptions, type BuilderState } from "../../views/partials/filter-builder";
import { UserRow } from "../../views/partials/user-row";
import { MoreRows, Results, UsersPage } from "../../views/pages/users";
import { pageEnvironment } from "./page-env";

/** Toolbar/builder submissions carry helper fields; fold them into the view's own parameters. */
export function normalizeParams(input: URLSearchParams): URLSearchParams {
  const p = new URLSearchParams(input);
  if (p.get("t") === "custom") p.set("t", `${(p.get("days") ?? "").trim()}d`);
  if (p.get("t") !== "range") {
    p.delete("from");
    p.delete("to");
  }
  for (const k of ["days", "toolbar", "cursor", "expanded"]) p.delete(k);
  if (p.get("q") === "") p.delete("q");
  return p;
}

/** Builder fields are free text typed by the user; PostgreSQL text cannot hold NUL, so drop it. */
const withoutNul = (p: URLSearchParams) => new URLSearchParams([...p].map(([k, v]) => [k, v.replaceAll("\u0000", "")] as [string, string]));

const stripBuilder = (p: URLSearchParams) => {
  const out = new URLSearchParams(p);
  for (const k of ["add", "bk", "bkey", "bop", "bv", "bevent", "bcnt", "bn", "bg"]) out.delete(k);
  return out;
};

export function usersListRoutes(ctx: AppContext) {
  const app = new Hono<DashboardEnv>();
  const db = ctx.db;

  const envOr404 = async (c: Context<DashboardEnv>) => pageEnvironment(db, c.req.param("env") ?? "");
  const params = (c: Context) => normalizeParams(new URL(c.req.url).searchParams);

  /** The view of a fragment/CSV request: a bad one is a 400 naming the problem. */
  const fragmentView = (c: Context): UsersView => {
    const { view, error } = parseView(stripBuilder(params(c)));
    if (error) throw invalid(error.field, error.message);
    return view;
  };
  const fragmentError = (c: Context, message: string) =>
    c.html(<section id="users-results"><div class="error-box" role="alert">{message}</div></section>, 400);

  const results = async (env: Environment, view: UsersView) => {
    const q = { env, view };
    const page = await listUsers(db, q);
    const [count, any] = await Promise.all([countUsers(db, { ...q, asOf: page.asOf }), page.rows.length ? true : hasAnyUsers(db, env.id)]);
    return { env, view, page, count, hasAnyUsers: any };
  };

  app.get("/e/:env", (c) => c.redirect(`/e/${encodeURIComponent(c.req.param("env"))}/users`, 302));

  app.get("/e/:env/users", async (c) => {
    const loaded = await envOr404(c);
    if (!loaded) return c.notFound();
    const { env, envs } = loaded;
    const raw = new URL(c.req.url).searchParams;
    const p = params(c);
    let notice: string | undefined;
    if (raw.has("add")) {
      const { view, error } = parseView(stripBuilder(p));
      const built = conditionFromBuilder(p);
      if (!error && "condition" in built) {
        const g = p.get("bg");
        return c.redirect(usersUrl(env.id, addCondition(view, built.condition, g === null || g === "new" ? "new" : Number(g))), 303);
      }
      notice = "error" in built ? `Filter not added: ${built.error}` : undefined;
    } else if (raw.has("toolbar")) {
      const { view, error } = parseView(p);
      if (!error) return c.redirect(usersUrl(env.id, view), 303);
    }
    notice ??= raw.get("segment_error")?.slice(0, 300);
    const { view, error } = parseView(stripBuilder(p));
    const segments = await listSegments(db, env.id);
    const segmentLinks = segments.map((s) => ({ id: s.id, name: s.name, url: usersUrl(env.id, { ...view, groups: s.groups, segment: s.id }) }));
    const segmentName = view.segment ? segments.find((s) => s.id === view.segment)?.name : undefined;
    const props = { env, envs, csrfToken: c.get("auth").csrfToken, view, segments: segmentLinks, segmentName };
    if (error) return c.html(<UsersPage {...props} error={error} />);
    return c.html(<UsersPage {...props} notice={notice} results={await results(env, view)} />);
  });

  app.get("/e/:env/users-list/results", async (c) => {
    const loaded = await envOr404(c);
    if (!loaded) return c.notFound();
    const { view, error } = parseView(stripBuilder(params(c)));
    if (error) return fragmentError(c, error.message);
    c.header("HX-Replace-Url", usersUrl(loaded.env.id, view));
    return c.html(<Results {...await results(loaded.env, view)} />);
  });

  app.get("/e/:env/users-list/more", async (c) => {
    const loaded = await envOr404(c);
    if (!loaded) return c.notFound();
    const view = fragmentView(c);
    const cursor = c.req.query("cursor");
    if (!cursor) throw invalid("cursor", "is required");
    const page = await listUsers(db, { env: loaded.env, view, cursor });
    return c.html(<MoreRows env={loaded.env} view={view} page={page} />);
  });

  app.get("/e/:env/users-list/row/:user", async (c) => {
    const loaded = await envOr404(c);
    if (!loaded) return c.notFound();
    const userId = Number(c.req.param("user"));
    if (!/^\d{1,16}$/.test(c.req.param("user")) || !Number.isSafeInteger(userId)) throw invalid("user", "must be a user id");
    const view = fragmentView(c);
    const q = { env: loaded.env, view, userId };
    const row = await userListRow(db, q);
    if (!row) return c.html(<tbody id={`user-${userId}`} class="user gone"></tbody>, 404);
    const expanded = c.req.query("expanded") === "1" ? await userRowDetails(db, loaded.env.id, userId) : undefined;
    const rowCtx = { envId: loaded.env.id, timeZone: loaded.env.timeZone, viewQuery: viewParams(view).toString() };
    c.header("X-Loupe-Matches", String(await userMatchesView(db, q)));
    return c.html(<UserRow row={row} ctx={rowCtx} expanded={expanded} />);
  });

  app.get("/e/:env/users-list/builder", async (c) => {
    const loaded = await envOr404(c);
    if (!loaded) return c.notFound();
    const p = withoutNul(new URL(c.req.url).searchParams);
    const view = fragmentView(c);
    const kind = (BUILDER_KINDS as readonly string[]).includes(p.get("bk") ?? "") ? (p.get("bk") as BuilderKind) : "user";
    const bg = p.get("bg");
    const group = bg && /^\d{1,2}$/.test(bg) && Number(bg) < view.groups.length ? Number(bg) : "new";
    const event = p.get("bevent") ?? undefined;
    const ref = parseEventChoice(event ?? null);
    const [userKeys, kinds, eventKeys] = await Promise.all([
      userPropertyKeys(db, loaded.env.id),
      eventKinds(db, loaded.env.id),
      kind === "eprop" ? eventPropertyKeys(db, loaded.env.id, ref) : Promise.resolve([]),
    ]);
    const state: BuilderState = {
      kind, group, event, key: p.get("bkey") ?? undefined, op: p.get("bop") ?? undefined, value: p.get("bv") ?? undefined,
      cnt: p.get("bcnt") ?? undefined, n: p.get("bn") ?? undefined,
    };
    return c.html(<FilterBuilder envId={loaded.env.id} view={view} state={state} userKeys={userKeys} eventKinds={kinds} eventKeys={eventKeys} />);
  });

  app.get("/e/:env/users-list/suggest", async (c) => {
    const loaded = await envOr404(c);
    if (!loaded) return c.notFound();
    const p = withoutNul(new URL(c.req.url).searchParams);
    const typed = (p.get("bv") ?? "").slice(0, 200);
    const key = p.get("bkey") ?? "";
    if (key.length > 512) throw invalid("bkey", "is too long");
    if (p.get("bk") === "eprop") {
      const values = key ? await eventPropertyValues(db, loaded.env.id, key, typed, parseEventChoice(p.get("bevent"))) : [];
      return c.html(<ValueOptions values={values} unit="events" />);
    }
    const i = key.indexOf(":");
    const scope = key.slice(0, i) as UserScope;
    if (i < 1 || !(USER_SCOPES as readonly string[]).includes(scope)) return c.html(<ValueOptions values={[]} unit="users" />);
    const values = await userPropertyValues(db, loaded.env.id, scope, key.slice(i + 1), typed);
    return c.html(<ValueOptions values={values} unit="users" />);
  });

  app.get("/e/:env/users.csv", async (c) => {
    const loaded = await envOr404(c);
    if (!loaded) return c.notFound();
    const view = fragmentView(c);
    const stream = await usersCsvStream(db, { env: loaded.env, view });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(stream, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="users-${loaded.env.id}-${day}.csv"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  });

  app.get("/e/:env/segments/:id/open", async (c) => {
    const loaded = await envOr404(c);
    if (!loaded) return c.notFound();
    const id = Number(c.req.param("id"));
    const segment = Number.isSafeInteger(id) ? await getSegment(db, loaded.env.id, id) : undefined;
    if (!segment) return c.notFound();
    const { view } = parseView(new URLSearchParams());
    return c.redirect(usersUrl(loaded.env.id, { ...view, groups: segment.groups, segment: segment.id }), 302);
  });

  return app;
}

