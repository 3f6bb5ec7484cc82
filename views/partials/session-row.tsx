// A user's sessions table: one exported row component (live updates render single rows with it)
// and the rows-plus-"load more" fragment that htmx appends for users with thousands of sessions.
import type { SessionRow as Session } from "../../src/users/user-sessions";
import { sessionDurationMs } from "../../src/users/user-sessions";
import { SourceBadge } from "./badges";
import { formatLocation } from "../../src/users/location";
import { formatCount, formatDevice, formatDuration, formatSoftware } from "./format";
import { RelativeTime, formatExact } from "./time";
import { PlayLink } from "./replay";
import { sessionUrl, userSessionsUrl } from "../../src/urls";

export const SESSION_COLUMNS = 9;

export function SessionRow(props: { session: Session; envId: string; timeZone: string; userId: number }) {
  const s = props.session;
  const href = sessionUrl(props.envId, props.userId, s.id);
  const location = formatLocation(s);
  const software = formatSoftware(s);
  const device = formatDevice(s);
  return (
    <tr id={`session-${s.id}`}>
      <td class="nowrap">
        <a href={href} aria-label={`Session started ${formatExact(s.startedAt, props.timeZone)}`}>
          <RelativeTime date={s.startedAt} timeZone={props.timeZone} />
        </a>
      </td>
      <td class="num nowrap">{formatDuration(sessionDurationMs(s))}</td>
      <td class="num">{formatCount(s.eventCount)}</td>
      <td><SourceBadge source={s.source} /></td>
      <td title={[device, software].filter(Boolean).join("\n")}>
        <div class="clip cell-device">{device || software || <span class="muted">Unknown</span>}</div>
        {device && software ? <div class="clip cell-device muted small">{software}</div> : null}
      </td>
      <td title={location}><div class="clip cell-location">{location || <span class="muted">Unknown</span>}</div></td>
      <td title={s.landingPage ?? ""}><div class="clip cell-landing mono">{s.landingPage || <span class="muted">—</span>}</div></td>
      <td class="cell-icon">
        {s.hasReplay ? <PlayLink envId={props.envId} userId={props.userId} sessionId={s.id} label={`the session started ${formatExact(s.startedAt, props.timeZone)}`} /> : null}
      </td>
      <td class="nowrap"><a class="btn small" href={href}>View events</a></td>
    </tr>
  );
}

/** More sessions, then the next "load more" row (or nothing at the end). */
export function SessionRows(props: { sessions: Session[]; next: string | null; envId: string; timeZone: string; userId: number }) {
  return (
    <>
      {props.sessions.map((s) => (
        <SessionRow session={s} envId={props.envId} timeZone={props.timeZone} userId={props.userId} />
      ))}
      {props.next ? (
        <tr class="load-more" id="sessions-more">
          <td colspan={SESSION_COLUMNS}>
            <button type="button" class="btn small" hx-get={userSessionsUrl(props.envId, props.userId, props.next)} hx-target="#sessions-more" hx-swap="outerHTML">
              Load older sessions
            </button>
          </td>
        </tr>
      ) : null}
    </>
  );
}

export function SessionsTable(props: { sessions: Session[]; next: string | null; envId: string; timeZone: string; userId: number }) {
  return (
    <div class="table-wrap">
      <table class="data sessions-table">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col" class="num">Duration</th>
            <th scope="col" class="num">Events</th>
            <th scope="col">Source</th>
            <th scope="col">Device</th>
            <th scope="col">Location</th>
            <th scope="col">Landing page</th>
            <th scope="col" class="cell-icon"><span class="sr-only">Recording</span></th>
            <th scope="col"><span class="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody id="user-sessions">
          <SessionRows {...props} />
        </tbody>
      </table>
    </div>
  );
}
