// The user page: who they are, every property (searchable), merge history and all sessions.
import type { Child } from "hono/jsx";
import type { Environment } from "../../src/environments/environments";
import { userIdentifier } from "../../src/users/identifier";
import { initialValue, propertyList, type IdentityMerge, type User, type UserTotals } from "../../src/users/user";
import type { SessionPage } from "../../src/users/user-sessions";
import { usersPath } from "../../src/urls";
import { Layout } from "../layout";
import { SourceBadges } from "../partials/badges";
import { formatLocation } from "../../src/users/location";
import { formatCount } from "../partials/format";
import { PropertyList } from "../partials/property-list";
import { SessionsTable } from "../partials/session-row";
import { LiveRegion } from "../partials/live";
import { DayTime, RelativeTime } from "../partials/time";

export interface UserPageProps {
  env: Environment;
  envs: Environment[];
  csrfToken: string;
  user: User;
  totals: UserTotals;
  merges: IdentityMerge[];
  sessions: SessionPage;
}

function Fact(props: { label: string; children: Child }) {
  return (
    <div class="fact">
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

const dash = <span class="muted">—</span>;

export function UserPage(props: UserPageProps) {
  const { env, user, totals } = props;
  const tz = env.timeZone;
  const who = userIdentifier(user);
  const utm = ["utm_source", "utm_medium", "utm_campaign"].map((k) => initialValue(user, k)).filter(Boolean).join(" / ");
  const location = formatLocation(totals.lastLocation) || formatLocation({ city: initialValue(user, "city"), region: initialValue(user, "region"), country: initialValue(user, "country") });
  return (
    <Layout title={who.text} env={env} envs={props.envs} section="users" csrfToken={props.csrfToken} scripts={["user-page.js"]}>
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={usersPath(env.id)}>Users</a> <span aria-hidden="true">›</span> <span aria-current="page">{who.text}</span>
      </nav>
      <div class="page-head">
        <div class="user-head">
          <span class={`avatar ${who.kind}`} aria-hidden="true">{who.text.slice(0, 1).toUpperCase()}</span>
          <div>
            <h1 class="identifier">{who.text}</h1>
            <div class="muted head-meta">
              <span class={`tag ${who.kind === "identity" ? "ok" : ""}`}>{who.kind === "identity" ? "Identified" : "Anonymous"}</span>
              <span>User id <code>{String(user.id)}</code></span>
              <SourceBadges sources={totals.sources} />
            </div>
          </div>
        </div>
        <LiveRegion view={{ kind: "user", envId: env.id, userId: user.id }} cursor={Date.now()} />
      </div>

      <section class="panel" aria-label="Key facts">
        <dl class="facts user-facts">
          <Fact label="First seen"><DayTime date={user.firstSeen} timeZone={tz} /></Fact>
          <Fact label="Last seen"><RelativeTime date={user.lastSeen} timeZone={tz} /></Fact>
          <Fact label="Sessions">{formatCount(totals.sessions)}</Fact>
          <Fact label="Events">{formatCount(totals.events)}</Fact>
          <Fact label="Identity">{user.identity ?? dash}</Fact>
          <Fact label="Location">{location || dash}</Fact>
          <Fact label="Initial referrer"><span class="clip" title={initialValue(user, "referrer") ?? ""}>{initialValue(user, "referrer") ?? dash}</span></Fact>
          <Fact label="Landing page"><span class="clip mono" title={initialValue(user, "landing_page") ?? ""}>{initialValue(user, "landing_page") ?? dash}</span></Fact>
          <Fact label="Campaign (UTM)"><span class="clip" title={utm}>{utm || dash}</span></Fact>
        </dl>
      </section>

      <div class="user-layout">
        <section class="panel sessions-panel" aria-labelledby="sessions-title">
          <div class="panel-head">
            <h2 id="sessions-title">Sessions</h2>
            <span class="muted">{formatCount(totals.sessions)} in total, newest first · web and mobile together · times in {tz}</span>
          </div>
          {props.sessions.rows.length === 0 ? (
            <div class="empty small-empty">
              <h3>No sessions yet</h3>
              <p>Sessions appear here as soon as this user's events arrive.</p>
            </div>
          ) : (
            <SessionsTable sessions={props.sessions.rows} next={props.sessions.next} envId={env.id} timeZone={tz} userId={user.id} />
          )}
        </section>

        <aside class="side-col">
          <section class="panel" aria-labelledby="props-title">
            <h2 id="props-title">Properties</h2>
            <PropertyList id="user-properties" entries={propertyList(user)} label="Properties" />
          </section>
          <section class="panel" aria-labelledby="merges-title">
            <h2 id="merges-title">Merge history</h2>
            {props.merges.length === 0 ? (
              <p class="muted small">No merges. When this person identifies on another device, the anonymous user there is merged in and listed here.</p>
            ) : (
              <ol class="merges">
                {props.merges.map((m) => (
                  <li>
                    <div>
                      <code title="The merged-away user id; links to it lead here">{`User ${m.fromUserId}`}</code>
                      <span class="muted"> merged in as </span>
                      <strong>{m.identity}</strong>
                    </div>
                    <div class="muted small">
                      <RelativeTime date={m.at} timeZone={tz} /> · {m.reason}
                    </div>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </aside>
      </div>
    </Layout>
  );
}
