// A session's events ("View events"): facts, Most frequent, the event list and the event panel.
import type { Child } from "hono/jsx";
import type { Label } from "../../src/definitions/label";
import type { Environment } from "../../src/environments/environments";
import { userIdentifier } from "../../src/users/identifier";
import type { EventPage, FrequentEntry, StoredEvent } from "../../src/users/session-events";
import type { User } from "../../src/users/user";
import { sessionDurationMs, type SessionRow } from "../../src/users/user-sessions";
import { Layout } from "../layout";
import { SourceBadge } from "../partials/badges";
import { EventPanel, EventPanelEmpty, type DefineAction } from "../partials/event-panel";
import { EventRows, MostFrequent, type EventScope } from "../partials/event-row";
import { LiveRegion } from "../partials/live";
import { formatLocation } from "../../src/users/location";
import { formatCount, formatDevice, formatDuration, formatSoftware } from "../partials/format";
import { ReplayPanel } from "../partials/replay";
import { formatExact } from "../partials/time";
import { eventPanelUrl, userUrl, usersPath } from "../../src/urls";

export interface SessionPageProps {
  env: Environment;
  envs: Environment[];
  csrfToken: string;
  user: User;
  session: SessionRow;
  events: EventPage;
  frequent: FrequentEntry[];
  /** The event whose panel is open (from ?event=). */
  selected?: { event: StoredEvent; label?: Label; define: DefineAction };
}

/** Ids of the header's figures a live push updates as events arrive (views/live/pushes.tsx). */
export const SESSION_FIGURES = { duration: "session-duration", eventCount: "session-event-count" } as const;

function Meta(props: { label: string; children: Child; title?: string; valueId?: string }) {
  return (
    <div class="meta-item" title={props.title}>
      <span class="meta-label">{props.label}</span> <span id={props.valueId}>{props.children}</span>
    </div>
  );
}

export function SessionPage(props: SessionPageProps) {
  const { env, user, session: s } = props;
  const tz = env.timeZone;
  const who = userIdentifier(user);
  const scope: EventScope = { envId: env.id, timeZone: tz, userId: user.id, sessionId: s.id };
  const started = formatExact(s.startedAt, tz);
  const utm = [s.utmSource, s.utmMedium, s.utmCampaign].filter(Boolean).join(" / ");
  return (
    <Layout title={`Session · ${who.text}`} env={env} envs={props.envs} section="users" csrfToken={props.csrfToken} scripts={s.hasReplay ? ["user-page.js", "session-replay.js"] : ["user-page.js"]}>
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={usersPath(env.id)}>Users</a> <span aria-hidden="true">›</span>{" "}
        <a href={userUrl(env.id, user.id)}>{who.text}</a> <span aria-hidden="true">›</span> <span aria-current="page">Session</span>
      </nav>
      <div class="page-head">
        <div>
          <h1>
            Session <time datetime={s.startedAt.toISOString()}>{started}</time>
          </h1>
          <div class="session-meta">
            <SourceBadge source={s.source} />
            <Meta label="Duration" valueId={SESSION_FIGURES.duration}>{formatDuration(sessionDurationMs(s))}</Meta>
            <Meta label="Events" valueId={SESSION_FIGURES.eventCount}>{formatCount(s.eventCount)}</Meta>
            {formatDevice(s) ? <Meta label="Device" title={formatDevice(s)}>{formatDevice(s)}</Meta> : null}
            {formatSoftware(s) ? <Meta label="Software" title={formatSoftware(s)}>{formatSoftware(s)}</Meta> : null}
            {formatLocation(s) ? <Meta label="Location" title={formatLocation(s)}>{formatLocation(s)}</Meta> : null}
            {s.landingPage ? <Meta label="Landing" title={s.landingPage}><span class="mono">{s.landingPage}</span></Meta> : null}
            <Meta label="Referrer" title={s.referrer}><span class="mono">{s.referrer}</span></Meta>
            {s.utmSource ? <Meta label="UTM" title={utm}>{utm}</Meta> : null}
            {s.hasReplay ? <Meta label="Recording"><a href="#replay">▶ Play</a></Meta> : null}
          </div>
        </div>
        <LiveRegion view={{ kind: "session", envId: env.id, userId: user.id, sessionId: s.id }} cursor={Date.now()} />
      </div>

      <MostFrequent entries={props.frequent} />

      <div class={s.hasReplay ? "session-layout has-replay" : "session-layout"}>
        <section class="panel events-panel" aria-labelledby="events-title">
          <h2 id="events-title" class="sr-only">Events in time order</h2>
          {props.events.rows.length === 0 ? (
            <div class="empty small-empty">
              <h3>No events in this session</h3>
              <p>Events appear here as they arrive.</p>
            </div>
          ) : (
            <ol class="events" id="session-events" data-highlight-scope>
              <EventRows events={props.events.rows} next={props.events.next} scope={scope} selectedId={props.selected?.event.id} />
            </ol>
          )}
        </section>
        {s.hasReplay ? (
          <div class="session-aside">
            <ReplayPanel envId={env.id} sessionId={s.id} />
            <EventSide {...props} />
          </div>
        ) : (
          <EventSide {...props} />
        )}
        {/* What the panel shows again when Back returns to the session without an event (user-page.js). */}
        <template id="event-panel-empty"><EventPanelEmpty /></template>
      </div>
    </Layout>
  );
}

function EventSide(props: SessionPageProps) {
  return (
    <aside class="panel event-side" id="event-panel" aria-live="polite" aria-label="Event properties" data-event-panel-base={eventPanelUrl(props.env.id, props.user.id, props.session.id, "")}>
      {props.selected ? (
        <EventPanel event={props.selected.event} label={props.selected.label} timeZone={props.env.timeZone} define={props.selected.define} />
      ) : (
        <EventPanelEmpty />
      )}
    </aside>
  );
}
