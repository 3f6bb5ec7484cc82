// The side panel of one event: every property, readable, and the Define button.
import type { Child } from "hono/jsx";
import type { Label } from "../../src/definitions/label";
import type { StoredEvent } from "../../src/users/session-events";
import { describeEvent } from "../../src/users/describe-event";
import { sourceLabel } from "./badges";
import { DefinitionDot } from "./event-row";
import { RelativeTime, formatExact } from "./time";

const BUILT_IN_PROPS = new Set(["query", "hash", "target_id", "target_class", "screen", "viewport", "referrer", "url"]);

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

const size = (v: unknown) => {
  const o = v as { width?: unknown; height?: unknown } | null;
  return o && typeof o === "object" && o.width != null ? `${o.width} × ${o.height}` : v;
};

export interface DefineAction {
  /** The Define form's URL when that route exists; otherwise the button is shown disabled. */
  href?: string;
}

export function EventPanel(props: { event: StoredEvent; label?: Label; timeZone: string; define: DefineAction }) {
  const e = props.event;
  const p = e.props ?? {};
  const url = typeof p.url === "string" && p.url
    ? p.url
    : e.domain || e.path ? `${e.domain ?? ""}${e.path ?? ""}${typeof p.query === "string" ? p.query : ""}${typeof p.hash === "string" ? p.hash : ""}` : "";
  const hasPage = [url, e.title, p.referrer, p.screen, p.viewport].some((v) => v !== undefined && v !== null && v !== "");
  const steps = (e.hierarchy ?? "").split(/\s*>\s*|\|/).filter(Boolean);
  const custom = Object.entries(p).filter(([k]) => !BUILT_IN_PROPS.has(k)).sort(([a], [b]) => a.localeCompare(b));
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
          <Row label="Query" value={p.query} mono />
          <Row label="Hash" value={p.hash} mono />
          <Row label="Title" value={e.title} />
          <Row label="Referrer" value={p.referrer} mono />
          <Row label="Screen" value={size(p.screen)} />
          <Row label="Viewport" value={size(p.viewport)} />
        </Group>
      ) : null}
      {e.targetText || e.targetTag || e.hierarchy || e.href || p.target_id || p.target_class ? (
        <Group title="Target">
          <Row label="Text" value={e.targetText} />
          <Row label="Tag" value={e.targetTag} mono />
          <Row label="Id" value={p.target_id} mono />
          <Row label="Classes" value={Array.isArray(p.target_class) ? p.target_class.join(" ") : p.target_class} mono />
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
