// Empty states of the Users list: a brand-new environment (how to get data in), and no matches.
import type { Environment } from "../../src/environments/environments";
import { timelinePhrase } from "../../src/filters/timeline";
import type { UsersView } from "../../src/filters/view";
import { settingsUrl, usersUrl } from "../../src/urls";

export function NoUsersYet(props: { env: Environment }) {
  return (
    <div class="empty panel">
      <h2>No users yet</h2>
      <p>Loupe shows people here as soon as your site or app sends its first event.</p>
      <ol class="steps">
        <li>Paste the snippet into your pages — it is on the <a href={settingsUrl(props.env.id)}>Settings page</a> with this environment's id <code>{props.env.id}</code>.</li>
        <li>Or see it come alive with demo traffic: run <code>loupe demo</code> (or <code>npm run demo</code> from a checkout).</li>
      </ol>
    </div>
  );
}

export function NoMatches(props: { env: Environment; view: UsersView; filtered: boolean }) {
  const wider = { ...props.view, timeline: { kind: "all" as const } };
  return (
    <div class="empty panel">
      <h2>No users match</h2>
      <p>
        Nobody {props.filtered ? "matching these filters " : ""}was active {timelinePhrase(props.view.timeline)}.{" "}
        {props.view.timeline.kind !== "all" ? <a href={usersUrl(props.env.id, wider)}>Look at all time</a> : null}
        {props.filtered ? <> · <a href={usersUrl(props.env.id, { ...props.view, groups: [], q: "", segment: undefined })}>Clear filters and search</a></> : null}
      </p>
    </div>
  );
}
