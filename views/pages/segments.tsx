// The Segments page: every saved segment with its filters; open, rename, delete.
import type { Environment } from "../../src/environments/environments";
import { describeCondition } from "../../src/filters/builder";
import type { Segment } from "../../src/filters/segments";
import { segmentUrl, usersPath } from "../../src/urls";
import { Layout } from "../layout";
import { Csrf, PostButton } from "../partials/csrf";
import { DayTime } from "../partials/time";

export function SegmentsPage(props: { env: Environment; envs: Environment[]; csrfToken?: string; segments: Segment[]; error?: string; done?: string }) {
  const url = (id: number, action: "open" | "rename" | "delete") => segmentUrl(props.env.id, id, action);
  return (
    <Layout title="Segments" env={props.env} envs={props.envs} section="segments" csrfToken={props.csrfToken}>
      <div class="page-head">
        <div>
          <h1>Segments</h1>
          <p class="muted">Saved sets of filters. Open one to see its users on the Users page, with any timeline.</p>
        </div>
      </div>
      {props.error ? <p class="error-box" role="alert">{props.error}</p> : null}
      {props.done ? <p class="notice" role="status">{props.done}</p> : null}
      {props.segments.length === 0 ? (
        <div class="empty panel">
          <h2>No segments yet</h2>
          <p>On the <a href={usersPath(props.env.id)}>Users page</a>, add filters, then choose “Save as segment”.</p>
        </div>
      ) : (
        <div class="panel flush">
          <table class="data segments-table">
            <thead>
              <tr><th>Name</th><th>Filters</th><th>Created</th><th><span class="sr-only">Actions</span></th></tr>
            </thead>
            <tbody>
              {props.segments.map((s) => (
                <tr id={`segment-${s.id}`}>
                  <td class="seg-name"><a href={url(s.id, "open")}>{s.name}</a></td>
                  <td class="seg-filters">
                    {s.groups.map((g, i) => (
                      <span class="filter-group">
                        {i > 0 ? <span class="joiner">and</span> : null}
                        {g.map((c, j) => <>{j > 0 ? <span class="joiner or">or</span> : null}<span class="filter-chip"><span class="filter-text">{describeCondition(c)}</span></span></>)}
                      </span>
                    ))}
                  </td>
                  <td class="nowrap"><DayTime date={s.createdAt} timeZone={props.env.timeZone} /></td>
                  <td class="seg-actions">
                    <a class="btn small" href={url(s.id, "open")}>Open</a>
                    <details class="menu">
                      <summary class="btn small">Rename</summary>
                      <form class="menu-body" method="post" action={url(s.id, "rename")}>
                        <Csrf token={props.csrfToken} />
                        <label for={`rename-${s.id}`}>New name</label>
                        <input id={`rename-${s.id}`} name="name" value={s.name} required maxlength={100} />
                        <button type="submit" class="btn primary small">Rename</button>
                      </form>
                    </details>
                    <PostButton
                      action={url(s.id, "delete")} csrfToken={props.csrfToken} label="Delete" ariaLabel={`Delete segment ${s.name}`} danger formClass="inline-form"
                      confirm={`Delete the segment “${s.name}”? Links to it and wall counters using it stop working.`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
