// One user in the Users list: a <tbody id="user-<id>"> holding the row and, when expanded, its details.
// Live updates replace or move this one element; "load more" appends more of them.
import type { UserListRow } from "../../src/users/list";
import { userIdentifier } from "../../src/users/identifier";
import { formatLocation } from "../../src/users/location";
import type { SessionRow } from "../../src/users/user-sessions";
import { sessionPreviewUrl, userRowUrl, userUrl } from "../../src/urls";
import { RageBadge, SourceBadge, SourceBadges, sourceLabel } from "./badges";
import { PlayLink } from "./replay";
import { DayTime, RelativeTime, formatExact } from "./time";

export interface RowContext {
  envId: string;
  timeZone: string;
  /** The list's query string (timeline, filters…), so a re-rendered row keeps the same window. */
  viewQuery: string;
  now?: Date;
}

export const USERS_COLUMNS = 9;
export const userRowId = (id: number) => `user-${id}`;

/** A row whose user is gone (merged away): htmx swaps the row for this empty, hidden group. */
export function UserRowGone(props: { userId: number }) {
  return <tbody id={userRowId(props.userId)} class="user gone"></tbody>;
}
const place = (s: { city: string | null; region: string | null; country: string | null }) => formatLocation(s) || "Unknown location";

export interface ExpandedDetails {
  properties: { label: string; value: string }[];
  sessions: SessionRow[];
}

export function UserRow(props: { row: UserListRow; ctx: RowContext; expanded?: ExpandedDetails; live?: boolean }) {
  const { row, ctx } = props;
  const who = userIdentifier(row);
  const first = row.firstSession;
  const expanded = !!props.expanded;
  const detailId = `user-${row.id}-details`;
  return (
    <tbody id={userRowId(row.id)} class={`user${expanded ? " expanded" : ""}${props.live ? " live" : ""}`} data-user-id={String(row.id)}>
      <tr class="user-main">
        <td class="cell-expand" data-live-keep>
          <button
            type="button"
            class="expand"
            id={`expand-${row.id}`}
            aria-expanded={expanded ? "true" : "false"}
            aria-controls={expanded ? detailId : undefined}
            aria-label={`${expanded ? "Hide" : "Show"} details of ${who.text}`}
            hx-get={userRowUrl(ctx.envId, row.id, ctx.viewQuery, !expanded)}
            hx-target={`#${userRowId(row.id)}`}
            hx-swap="outerHTML"
          >
            <span aria-hidden="true">{expanded ? "▾" : "▸"}</span>
          </button>
        </td>
        <td class="cell-who">
          <a class={`who ${who.kind}`} href={userUrl(ctx.envId, row.id)}>{who.text}</a>
          {who.kind === "identity" && typeof row.properties.email === "string" && row.properties.email !== who.text ? (
            <span class="who-sub">{row.properties.email}</span>
          ) : who.kind !== "anonymous" ? <span class="who-sub">{who.kind === "email" ? "Anonymous · email property" : "Identified"}</span> : <span class="who-sub">Anonymous</span>}
        </td>
        <td class="cell-first">
          {first ? (
            <DayTime date={first.startedAt} timeZone={ctx.timeZone} detail={`First session: ${place(first)} · ${sourceLabel(first.source)}`} />
          ) : (
            <DayTime date={row.firstSeen} timeZone={ctx.timeZone} />
          )}
        </td>
        <td class="cell-last">
          <RelativeTime date={row.lastActivity} timeZone={ctx.timeZone} now={ctx.now} />
          {props.live ? <span class="badge live">live</span> : null}
        </td>
        <td class="num">{row.sessions.toLocaleString("en-US")}</td>
        <td class="num">{row.events.toLocaleString("en-US")}</td>
        <td class="num cell-rage">{row.rage > 0 ? <RageBadge count={row.rage} /> : <span class="muted">–</span>}</td>
        <td class="cell-sources"><SourceBadges sources={row.sources} /></td>
        <td class="cell-action"><a class="btn small" href={userUrl(ctx.envId, row.id)}>View sessions</a></td>
      </tr>
      {props.expanded ? <DetailsRow id={detailId} row={row} ctx={ctx} details={props.expanded} /> : null}
    </tbody>
  );
}

function DetailsRow(props: { id: string; row: UserListRow; ctx: RowContext; details: ExpandedDetails }) {
  const { ctx, details } = props;
  return (
    <tr class="user-details" id={props.id}>
      <td></td>
      <td colspan={USERS_COLUMNS - 1}>
        <div class="details-grid">
          <section aria-label="Key properties">
            <h3>Key properties</h3>
            {details.properties.length ? (
              <dl class="kv-grid">
                {details.properties.map((p) => (
                  <div>
                    <dt>{p.label}</dt>
                    <dd>{p.value}</dd>
                  </div>
                ))}
              </dl>
            ) : <p class="muted">No properties yet.</p>}
          </section>
          <section aria-label="Latest sessions">
            <h3>Latest sessions</h3>
            {details.sessions.length ? (
              <ul class="mini-sessions">
                {details.sessions.map((s) => (
                  <li id={`mini-session-${s.id}`}>
                    {/* Opens to the session's events in place, loaded once when first opened. */}
                    <details hx-get={sessionPreviewUrl(ctx.envId, props.row.id, s.id)} hx-trigger="toggle once" hx-target="find .mini-session-events" hx-swap="innerHTML">
                      <summary title={`${formatExact(s.startedAt, ctx.timeZone)}: show this session's events`}>
                        <span class="mini-caret" aria-hidden="true">▸</span>
                        <RelativeTime date={s.startedAt} timeZone={ctx.timeZone} now={ctx.now} />
                        <SourceBadge source={s.source} />
                        <span class="muted">{s.eventCount.toLocaleString("en-US")} events</span>
                        <span class="muted truncate">{[s.browser ?? s.deviceModel, s.os].filter(Boolean).join(" · ")}</span>
                        <span class="muted truncate">{place(s)}</span>
                        <span class="mono truncate">{s.landingPage ?? ""}</span>
                      </summary>
                      <div class="mini-session-events"><p class="muted small">Loading events…</p></div>
                    </details>
                    {s.hasReplay ? <PlayLink envId={ctx.envId} userId={props.row.id} sessionId={s.id} label={`the session started ${formatExact(s.startedAt, ctx.timeZone)}`} /> : null}
                  </li>
                ))}
              </ul>
            ) : <p class="muted">No sessions.</p>}
            <a href={userUrl(ctx.envId, props.row.id)}>All sessions and properties →</a>
          </section>
        </div>
      </td>
    </tr>
  );
}
