// The Users page's segment controls: choose a saved segment, save the current filters as one.
import { viewParams, type UsersView } from "../../src/filters/view";
import { segmentsUrl } from "../../src/urls";
import { Csrf } from "./csrf";

export interface SegmentLink {
  id: number;
  name: string;
  url: string;
}

export function SegmentsMenu(props: { envId: string; segments: SegmentLink[] }) {
  return (
    <details class="menu">
      <summary class="btn small">Segments</summary>
      <div class="menu-body" role="menu">
        {props.segments.length ? props.segments.map((s) => <a role="menuitem" href={s.url}>{s.name}</a>) : <p class="muted">No saved segments yet. Add filters, then “Save as segment”.</p>}
        <a role="menuitem" class="menu-foot" href={segmentsUrl(props.envId)}>Manage segments</a>
      </div>
    </details>
  );
}

export function SaveSegment(props: { envId: string; view: UsersView; csrfToken?: string }) {
  return (
    <details class="menu">
      <summary class="btn small">Save as segment</summary>
      <form class="menu-body save-segment" method="post" action={segmentsUrl(props.envId)}>
        <Csrf token={props.csrfToken} />
        {props.view.groups.map((g) => <input type="hidden" name="f" value={JSON.stringify(g)} />)}
        <input type="hidden" name="return" value={viewParams({ ...props.view, segment: undefined }).toString()} />
        <label for="segment-name">Segment name</label>
        <input id="segment-name" name="name" required maxlength={100} placeholder="e.g. Pro users who rage-clicked" />
        <button type="submit" class="btn primary small">Save segment</button>
      </form>
    </details>
  );
}
