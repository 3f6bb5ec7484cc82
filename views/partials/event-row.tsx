// A session's event list: one exported row component (live updates append single rows with it),
// the rows-plus-"load more" fragment, and the Most frequent strip.
import type { FrequentEntry, ShownEvent } from "../../src/users/session-events";
import { entryKey } from "../../src/users/session-events";
import { formatClock, formatCount } from "./format";
import { formatExact } from "./time";
import { eventPanelUrl, sessionEventUrl, sessionEventsUrl, sessionUrl } from "../../src/urls";

export interface EventScope {
  envId: string;
  timeZone: string;
  userId: number;
  sessionId: number;
}

/** The colour dot of a definition; the colour comes from a validated `#rrggbb` class, never inline style. */
export function DefinitionDot(props: { color: string }) {
  return <span class={`dot ${colorClass(props.color)}`} aria-hidden="true" />;
}

/** Definition colours map onto a fixed palette of CSS classes (strict CSP forbids inline styles). */
export const PALETTE = ["indigo", "sky", "teal", "green", "lime", "amber", "orange", "red", "pink", "purple", "slate"] as const;
const PALETTE_HEX: Record<(typeof PALETTE)[number], [number, number, number]> = {
  indigo: [99, 102, 241], sky: [14, 165, 233], teal: [20, 184, 166], green: [22, 163, 74], lime: [132, 204, 22],
  amber: [245, 158, 11], orange: [249, 115, 22], red: [239, 68, 68], pink: [236, 72, 153], purple: [168, 85, 247], slate: [100, 116, 139],
};

export function colorClass(hex: string): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex) ?? /^#([0-9a-f]{3})$/i.exec(hex);
  if (!m) return "c-indigo";
  const h = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
  const rgb = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
  let best: (typeof PALETTE)[number] = "indigo";
  let bestD = Infinity;
  for (const name of PALETTE) {
    const d = PALETTE_HEX[name].reduce((sum, c, i) => sum + (c - rgb[i]) ** 2, 0);
    if (d < bestD) { bestD = d; best = name; }
  }
  return `c-${best}`;
}

/** Events that happen on a page: the list shows which page beside them. */
const INTERACTIONS = new Set(["click", "change", "submit", "touch"]);

export function EventRow(props: { event: ShownEvent; scope: EventScope; selected?: boolean }) {
  const e = props.event;
  const { envId, userId, sessionId, timeZone } = props.scope;
  const classes = ["event", e.rage ? "rage-event" : "", e.label ? "defined" : "raw", props.selected ? "selected" : ""].filter(Boolean).join(" ");
  return (
    <li id={`event-${e.id}`} class={classes} data-entry={entryKey(e)}>
      <a
        class="event-link"
        href={sessionEventUrl(envId, userId, sessionId, e.id)}
        hx-get={eventPanelUrl(envId, userId, sessionId, e.id)}
        hx-target="#event-panel"
        hx-swap="innerHTML"
        aria-current={props.selected ? "true" : undefined}
      >
        <time class="event-time" datetime={e.time.toISOString()} title={formatExact(e.time, timeZone)}>{formatClock(e.time, timeZone, e.rage)}</time>
        <span class="event-text">
          {e.label ? (
            <>
              <span class="event-name"><DefinitionDot color={e.label.color} />{e.label.name}</span>
              <span class="event-raw">{e.description}</span>
            </>
          ) : (
            <span class="event-name">{e.description}</span>
          )}
        </span>
        {e.rage ? <span class="badge rage">Rage click</span> : null}
        {e.path && INTERACTIONS.has(e.type) ? <span class="event-where mono" title={e.path}>{e.path}</span> : null}
      </a>
    </li>
  );
}

/** More events, then the next "load more" item (or nothing at the end). */
export function EventRows(props: { events: ShownEvent[]; next: string | null; scope: EventScope; selectedId?: string }) {
  const { envId, userId, sessionId } = props.scope;
  return (
    <>
      {props.events.map((e) => (
        <EventRow event={e} scope={props.scope} selected={e.id === props.selectedId} />
      ))}
      {props.next ? (
        <li class="load-more" id="events-more">
          <button type="button" class="btn small" hx-get={sessionEventsUrl(envId, userId, sessionId, props.next)} hx-target="#events-more" hx-swap="outerHTML">
            Load more events
          </button>
        </li>
      ) : null}
    </>
  );
}

/** The Most frequent strip's id: live pushes replace it as the session grows (views/live/pushes.tsx). */
export const MOST_FREQUENT_ID = "most-frequent";

export function MostFrequent(props: { entries: FrequentEntry[] }) {
  return (
    <section class="frequent" id={MOST_FREQUENT_ID} aria-labelledby="frequent-title" hidden={props.entries.length === 0}>
      <h2 id="frequent-title" class="frequent-title">Most frequent</h2>
      <ol class="frequent-list">
        {props.entries.map((f) => (
          <li>
            <button type="button" class={`chip ${f.label ? "defined" : "raw"}`} data-highlight-entry={f.key} aria-label={`${f.text}: ${f.count} times. Hover or focus to highlight each one.`}>
              {f.label ? <DefinitionDot color={f.label.color} /> : null}
              <span class="chip-text">{f.text}</span>
              <span class="chip-count">{formatCount(f.count)}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A session opened in place in a Users-list row: its first events, each a link to its panel, then the whole session. */
export function SessionPreview(props: { events: ShownEvent[]; total: number; scope: EventScope }) {
  const { envId, userId, sessionId, timeZone } = props.scope;
  return (
    <>
      {props.events.length ? (
        <ol class="mini-events">
          {props.events.map((e) => (
            <li class={`mini-event${e.rage ? " rage-event" : ""}${e.label ? " defined" : ""}`}>
              <a class="mini-event-link" href={sessionEventUrl(envId, userId, sessionId, e.id)}>
                <time class="event-time" datetime={e.time.toISOString()} title={formatExact(e.time, timeZone)}>{formatClock(e.time, timeZone, e.rage)}</time>
                <span class="event-name">{e.label ? <><DefinitionDot color={e.label.color} />{e.label.name}</> : e.description}</span>
                {e.rage ? <span class="badge rage">Rage click</span> : null}
              </a>
            </li>
          ))}
        </ol>
      ) : <p class="muted small">No events in this session.</p>}
      <p class="small mini-events-foot">
        <a href={sessionUrl(envId, userId, sessionId)}>
          {props.total > props.events.length ? `All ${formatCount(props.total)} events of this session →` : "Open this session →"}
        </a>
      </p>
    </>
  );
}
