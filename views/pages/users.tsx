// The Users page: timeline, search, filters, the matching-user count and the list itself.
import type { Environment } from "../../src/environments/environments";
import { timelineKey, timelinePhrase, TIMELINE_PRESETS } from "../../src/filters/timeline";
import { SORT_LABELS, viewParams, type Sort, type UsersView, type ViewError } from "../../src/filters/view";
import { usersCsvUrl, usersListUrl, usersPath, usersUrl } from "../../src/urls";
import type { Segment } from "../../src/filters/segments";
import type { UserListPage } from "../../src/users/list";
import type { UsersResults } from "../../src/users/results";
import { Layout } from "../layout";
import { FilterBar } from "../partials/filter-bar";
import { SaveSegment, SegmentsMenu } from "../partials/segment-menus";
import { NoMatches, NoUsersYet } from "../partials/users-empty";
import { UserRow, USERS_COLUMNS, type RowContext } from "../partials/user-row";
import { LiveRegion } from "../partials/live";

export interface UsersPageProps {
  env: Environment;
  envs: Environment[];
  csrfToken?: string;
  view: UsersView;
  error?: ViewError;
  /** A message about the last action (e.g. a filter that could not be added). */
  notice?: string;
  results?: ResultsProps;
  /** The environment's saved segments (the menu opens each with this page's timeline). */
  savedSegments: Segment[];
}

export type ResultsProps = UsersResults<Environment>;

const PRESET_LABELS: Record<(typeof TIMELINE_PRESETS)[number], string> = {
  "24h": "Past 24 hours", "7d": "Past 7 days", "30d": "Past 30 days", "90d": "Past 90 days", all: "All time",
};

export function UsersPage(props: UsersPageProps) {
  const { env, view } = props;
  const segments = props.savedSegments.map((s) => ({ id: s.id, name: s.name, url: usersUrl(env.id, { ...view, groups: s.groups, segment: s.id }) }));
  const segmentName = view.segment ? props.savedSegments.find((s) => s.id === view.segment)?.name : undefined;
  return (
    <Layout title="Users" env={env} envs={props.envs} section="users" csrfToken={props.csrfToken} scripts={["users-list.js"]}>
      <div class="page-head users-head">
        <h1>Users</h1>
        <div class="head-actions">
          <SegmentsMenu segments={segments} envId={env.id} />
          {view.groups.length ? <SaveSegment envId={env.id} view={view} csrfToken={props.csrfToken} /> : null}
          <a class="btn small" href={usersCsvUrl(env.id, view)} download="">Export CSV</a>
        </div>
      </div>
      <Toolbar env={env} view={view} />
      <FilterBar envId={env.id} view={view} segmentName={segmentName} />
      <div id="filter-builder"></div>
      {props.notice ? <p class="error-box" role="alert">{props.notice}</p> : null}
      {props.error ? (
        <div class="error-box" role="alert">
          <strong>This link's filters could not be read.</strong> {props.error.message}{" "}
          <a href={usersPath(env.id)}>Reset the view</a>
        </div>
      ) : props.results ? <Results {...props.results} /> : null}
    </Layout>
  );
}

function Toolbar(props: { env: Environment; view: UsersView }) {
  const { view } = props;
  const tl = view.timeline;
  const current = timelineKey(tl);
  const isPreset = (TIMELINE_PRESETS as readonly string[]).includes(current);
  const hidden = [...viewParams(view, { search: false }).entries()].filter(([k]) => !["t", "from", "to"].includes(k));
  return (
    <form class="toolbar" method="get" action={usersPath(props.env.id)} role="search" aria-label="Timeline and search">
      {hidden.map(([k, v]) => <input type="hidden" name={k} value={v} />)}
      <input type="hidden" name="toolbar" value="1" />
      <label class="sr-only" for="timeline">Timeline</label>
      <select id="timeline" name="t" data-autosubmit="">
        {TIMELINE_PRESETS.map((p) => <option value={p} selected={current === p}>{PRESET_LABELS[p]}</option>)}
        <option value="custom" selected={!isPreset && tl.kind === "days"}>Past N days…</option>
        <option value="range" selected={tl.kind === "range"}>Between dates…</option>
      </select>
      <span class="tl-days">
        <label class="sr-only" for="tl-days">Number of days</label>
        <input id="tl-days" type="number" name="days" min="1" max="3650" value={tl.kind === "days" ? String(tl.days) : "14"} />
        <span class="muted">days</span>
      </span>
      <span class="tl-range">
        <label class="sr-only" for="tl-from">From</label>
        <input id="tl-from" type="date" name="from" value={tl.kind === "range" ? tl.from : ""} />
        <span class="muted">to</span>
        <label class="sr-only" for="tl-to">To</label>
        <input id="tl-to" type="date" name="to" value={tl.kind === "range" ? tl.to : ""} />
      </span>
      <button type="submit" class="btn small tl-apply">Apply</button>
      <span class="spacer" />
      <label class="sr-only" for="user-search">Search users</label>
      <input
        id="user-search" type="search" name="q" value={view.q} maxlength={200} autocomplete="off"
        placeholder="Search identity, email or user id"
        hx-get={usersListUrl(props.env.id, "results")} hx-include="closest form"
        hx-trigger="input changed delay:300ms, search" hx-target="#users-results" hx-swap="outerHTML"
      />
    </form>
  );
}

/** What the results section shows when a fragment's view cannot be read. */
export function ResultsError(props: { message: string }) {
  return (
    <section id="users-results">
      <div class="error-box" role="alert">{props.message}</div>
    </section>
  );
}

export function Results(props: ResultsProps) {
  const { env, view, page } = props;
  const viewQuery = viewParams(view).toString();
  const ctx: RowContext = { envId: env.id, timeZone: env.timeZone, viewQuery, now: page.asOf };
  const filtered = view.groups.length > 0 || view.q !== "";
  return (
    <section id="users-results" aria-label="Users" aria-live="polite" aria-busy="false">
      <p class="count" id="users-count">
        <strong>{props.count.toLocaleString("en-US")}</strong>{filtered ? " matching" : ""} {props.count === 1 ? "user" : "users"} active{" "}
        {timelinePhrase(view.timeline)}
        <span class="muted"> · times in {env.timeZone}</span>
      </p>
      <LiveRegion view={{ kind: "users", envId: env.id, query: viewQuery }} cursor={page.asOf.getTime()} />
      {page.rows.length === 0 ? (
        props.hasAnyUsers ? <NoMatches env={env} view={view} filtered={filtered} /> : <NoUsersYet env={env} />
      ) : (
        <div class="table-wrap users-wrap">
          <table class="data users-table">
            <caption class="sr-only">Users, {SORT_LABELS[view.sort]} first</caption>
            <thead>
              <tr>
                <th class="cell-expand"><span class="sr-only">Details</span></th>
                <th>User</th>
                <SortHeader env={env} view={view} sort="first" label="First seen" />
                <SortHeader env={env} view={view} sort="last" label="Last seen" />
                <th class="num">Sessions</th>
                <SortHeader env={env} view={view} sort="events" label="Events" num />
                <th class="num">Rage</th>
                <th>Sources</th>
                <th><span class="sr-only">Actions</span></th>
              </tr>
            </thead>
            {page.rows.map((row) => <UserRow row={row} ctx={ctx} />)}
            <LoadMore env={env} view={view} next={page.next} />
          </table>
        </div>
      )}
    </section>
  );
}

function SortHeader(props: { env: Environment; view: UsersView; sort: Sort; label: string; num?: boolean }) {
  const active = props.view.sort === props.sort;
  return (
    <th class={props.num ? "num" : undefined} aria-sort={active ? "descending" : undefined}>
      <a class={active ? "sort active" : "sort"} href={usersUrl(props.env.id, { ...props.view, sort: props.sort })}>
        {props.label}{active ? <span aria-hidden="true"> ↓</span> : null}
      </a>
    </th>
  );
}

/** "Load more" as its own tbody, replaced by the next page's rows and a new one (or nothing at the end). */
export function LoadMore(props: { env: Environment; view: UsersView; next: string | null }) {
  if (!props.next) return <tbody id="users-more" class="end"></tbody>;
  const p = viewParams(props.view);
  p.set("cursor", props.next);
  return (
    <tbody id="users-more">
      <tr class="load-more">
        <td colspan={USERS_COLUMNS}>
          <button type="button" class="btn" hx-get={usersListUrl(props.env.id, "more", p)} hx-target="#users-more" hx-swap="outerHTML">
            Load more users
          </button>
        </td>
      </tr>
    </tbody>
  );
}

/** The next page of rows: tbodies plus the next "Load more". */
export function MoreRows(props: { env: Environment; view: UsersView; page: UserListPage }) {
  const ctx: RowContext = { envId: props.env.id, timeZone: props.env.timeZone, viewQuery: viewParams(props.view).toString(), now: props.page.asOf };
  return (
    <>
      {props.page.rows.map((row) => <UserRow row={row} ctx={ctx} />)}
      <LoadMore env={props.env} view={props.view} next={props.page.next} />
    </>
  );
}

