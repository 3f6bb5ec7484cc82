// The side panel of one event: every property, readable, and the Define button.
import type { Child } from "hono/jsx";
import type { Label } from "../../src/definitions/label";
import type { StoredEvent } from "../../src/users/session-events";
import { splitHierarchy } from "../../src/events/hierarchy";
import { EVENT_PROPS, isBuiltInProp } from "../../src/events/model";
import { pageUrl } from "../../src/events/page-url";
import { describeEvent } from "../../src/users/describe-event";
import { sourceLabel } from "./badges";
import { DefinitionDot } from "./event-row";
import { RelativeTime, formatExact } from "./time";

function Row(props: { label: string; value: unknown; mono?: boolean }) {
  if (props.value === null || props.value === undefined || props.value === "") return null;
  const text = typeof props.value === "string" ? props.value : JSON.stringify(props.value);
  return (
    <tr>
      <th scope="row">{props.label}</th>
      <td class={props.mono ? "mono" : undefined}>{text}</td>
    </tr>
  );
}

function Group(props: { title: string; children: Child }) {
  return (
    <section class="panel-group">
      <h3>{props.title}</h3>
      <table class="kv">
        <tbody>{props.children}</tbody>
      </table>
    </section>
  );
}

/** "1920 × 1080" from a width and a height property; undefined unless both are there. */
const size = (width: unknown, height: unknown) => (width != null && height != null ? `${width} × ${height}` : undefined);

export interface DefineAction {
  /** The Define form's URL when that route exists; otherwise the button is shown disabled. */
  href?: string;
}

export function EventPanel(props: { event: StoredEvent; label?: Label; timeZone: string; define: DefineAction }) {
  const e = props.event;
  const p = e.props ?? {};
  const P = EVENT_PROPS;
  const url = pageUrl({ url: p[P.url], domain: e.domain, path: e.path, query: p[P.query], hash: p[P.hash] }) ?? "";
  const screen = size(p[P.screenWidth], p[P.screenHeight]);
  const viewport = size(p[P.viewportWidth], p[P.viewportHeight]);
  const hasPage = [url, e.title, p[P.referrer], screen, viewport].some((v) => v !== undefined && v !== null && v !== "");
  const steps = splitHierarchy(e.hierarchy);
  const custom = Object.entries(p).filter(([k]) => !isBuiltInProp(k)).sort(([a], [b]) => a.localeCompare(b));
  const targetClass = p[P.targetClass];
  return (
    <div class="event-panel" aria-labelledby="event-panel-title">
      <div class="event-panel-head">
        <h2 id="event-panel-title" class={e.rage ? "rage" : undefined}>
          {props.label ? <DefinitionDot color={props.label.color} /> : null}
          {props.label?.name ?? describeEvent(e)}
        </h2>
        {props.label ? <div class="muted small">{describeEvent(e)}</div> : null}
        <div class="muted small">
          <time datetime={e.time.toISOString()}>{formatExact(e.time, props.timeZone)}</time> · <RelativeTime date={e.time} timeZone={props.timeZone} />
        </div>
        {e.rage ? <div><span class="badge rage">Rage click</span></div> : null}
        <div class="define-row">
          {props.define.href ? (
            <a class="btn small primary" href={props.define.href}>Define</a>
          ) : (
            <span class="define-disabled" title="Defined events arrive in a later release" tabindex={0} aria-describedby="define-hint">
              <button type="button" class="btn small" disabled>Define</button>
              <span id="define-hint" class="sr-only">Defined events arrive in a later release</span>
            </span>
          )}
        </div>
      </div>
      <Group title="Event">
        <Row label="Type" value={e.type} mono />
        <Row label="Name" value={e.name} />
        <Row label="Source" value={sourceLabel(e.source)} />
        <Row label="Time" value={formatExact(e.time, props.timeZone)} />
        <Row label="Received" value={formatExact(e.receivedAt, props.timeZone)} />
        <Row label="Event id" value={e.id} mono />
      </Group>
      {hasPage ? (
        <Group title="Page">
          <Row label="URL" value={url} mono />
          <Row label="Domain" value={e.domain} mono />
          <Row label="Path" value={e.path} mono />
          <Row label="Query" value={p[P.query]} mono />
          <Row label="Hash" value={p[P.hash]} mono />
          <Row label="Title" value={e.title} />
          <Row label="Referrer" value={p[P.referrer]} mono />
          <Row label="Screen" value={screen} />
          <Row label="Viewport" value={viewport} />
        </Group>
      ) : null}
      {e.targetText || e.targetTag || e.hierarchy || e.href || p[P.targetId] || targetClass ? (
        <Group title="Target">
          <Row label="Text" value={e.targetText} />
          <Row label="Tag" value={e.targetTag} mono />
          <Row label="Id" value={p[P.targetId]} mono />
          <Row label="Classes" value={Array.isArray(targetClass) ? targetClass.join(" ") : targetClass} mono />
          <Row label="Link" value={e.href} mono />
        </Group>
      ) : null}
      {steps.length ? (
        <section class="panel-group">
          <h3>Hierarchy</h3>
          <ol class="hierarchy mono">
            {steps.map((s) => (
              <li>{s}</li>
            ))}
          </ol>
        </section>
      ) : null}
      <Group title="Properties">
        {custom.length ? custom.map(([k, v]) => <Row label={k} value={v} mono={typeof v !== "string"} />) : (
          <tr><td class="muted">No custom properties.</td></tr>
        )}
      </Group>
    </div>
  );
}

export function EventPanelEmpty() {
  return (
    <div class="event-panel empty-panel">
      <p class="muted">Select an event to see all of its properties.</p>
    </div>
  );
}
