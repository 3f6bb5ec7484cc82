// "Add filter": one form that builds every kind of condition. Changing the kind re-renders the form
// (htmx); value boxes get the top values as you type from a <datalist> fed by an htmx fragment.
import { BUILDER_KIND_LABELS, BUILDER_KINDS, describeCondition, eventKeyLabel, type BuilderKind } from "../../src/filters/builder";
import { COUNT_LABELS, COUNT_OPS, EVENT_COLUMN_KEYS, OP_LABELS, PROPERTY_OPS } from "../../src/filters/model";
import type { BuilderState } from "../../src/filters/request";
import type { EventKinds, UserKeys, ValueCount } from "../../src/filters/suggestions";
import { viewParams, type UsersView } from "../../src/filters/view";
import { usersListUrl, usersPath } from "../../src/urls";

export interface BuilderProps {
  envId: string;
  view: UsersView;
  state: BuilderState;
  userKeys: UserKeys;
  eventKinds: EventKinds;
  eventKeys: string[];
}

export function FilterBuilder(props: BuilderProps) {
  const { envId, view, state } = props;
  const hidden = [...viewParams(view).entries()].filter(([k]) => k !== "segment");
  const rerender = { "hx-get": usersListUrl(envId, "builder"), "hx-include": "closest form", "hx-target": "#filter-builder", "hx-swap": "innerHTML" };
  const needsKey = state.kind === "user" || state.kind === "eprop";
  const needsEvent = state.kind !== "user";
  return (
    <form class="builder panel" method="get" action={usersPath(envId)} aria-label="Add filter">
      {hidden.map(([k, v]) => <input type="hidden" name={k} value={v} />)}
      <input type="hidden" name="add" value="1" />
      {state.error ? <p class="error-box" role="alert">{state.error}</p> : null}
      <div class="builder-fields">
        <label class="field-inline">
          <span>Filter on</span>
          <select name="bk" {...rerender} hx-trigger="change">
            {BUILDER_KINDS.map((k) => <option value={k} selected={k === state.kind}>{BUILDER_KIND_LABELS[k]}</option>)}
          </select>
        </label>
        {needsEvent ? (
          <label class="field-inline">
            <span>{state.kind === "eprop" ? "Has done" : "Event"}</span>
            <select name="bevent" required {...rerender} hx-trigger="change">
              <option value="">Choose an event…</option>
              <optgroup label="Events">
                {props.eventKinds.raw.map((t) => <option value={`raw:${t}`} selected={state.event === `raw:${t}`}>{t}</option>)}
              </optgroup>
              {props.eventKinds.custom.length ? (
                <optgroup label="Custom events">
                  {props.eventKinds.custom.map((n) => <option value={`custom:${n}`} selected={state.event === `custom:${n}`}>{n}</option>)}
                </optgroup>
              ) : null}
            </select>
          </label>
        ) : null}
        {state.kind === "did" || state.kind === "didnot" ? (
          <>
            <label class="field-inline">
              <span>How often</span>
              <select name="bcnt">
                <option value="">any number of times</option>
                {COUNT_OPS.map((o) => <option value={o} selected={state.cnt === o}>{COUNT_LABELS[o]}</option>)}
              </select>
            </label>
            <label class="field-inline count-n">
              <span>Times</span>
              <input type="number" name="bn" min="1" max="1000000" value={state.n ?? "1"} inputmode="numeric" />
            </label>
          </>
        ) : null}
        {needsKey ? (
          <label class="field-inline">
            <span>{state.kind === "eprop" ? "where property" : "Property"}</span>
            {state.kind === "user" ? <UserKeySelect keys={props.userKeys} selected={state.key} /> : <EventKeySelect keys={props.eventKeys} selected={state.key} />}
          </label>
        ) : null}
        {needsKey ? (
          <>
            <label class="field-inline">
              <span>Operator</span>
              <select name="bop">
                {PROPERTY_OPS.map((o) => <option value={o} selected={(state.op ?? "eq") === o}>{OP_LABELS[o]}</option>)}
              </select>
            </label>
            <label class="field-inline value-field">
              <span>Value</span>
              <input
                type="text" name="bv" value={state.value ?? ""} list="bv-options" autocomplete="off" maxlength={1024}
                placeholder="Type to see common values"
                hx-get={usersListUrl(envId, "suggest")} hx-include="closest form" hx-trigger="input changed delay:150ms, focus"
                hx-target="#bv-options" hx-swap="outerHTML"
              />
              <datalist id="bv-options"></datalist>
            </label>
          </>
        ) : null}
        <label class="field-inline">
          <span>Combine</span>
          <select name="bg">
            <option value="new" selected={state.group === "new"}>{view.groups.length ? "AND (new group)" : "as a new filter"}</option>
            {view.groups.map((g, i) => (
              <option value={String(i)} selected={state.group === i}>OR with: {g.map(describeCondition).join(" or ").slice(0, 80)}</option>
            ))}
          </select>
        </label>
      </div>
      <div class="builder-actions">
        <button type="submit" class="btn primary small">Apply filter</button>
        <button type="button" class="btn small" data-close-builder="">Cancel</button>
      </div>
    </form>
  );
}

function UserKeySelect(props: { keys: UserKeys; selected?: string }) {
  const opt = (value: string, label: string) => <option value={value} selected={props.selected === value}>{label}</option>;
  return (
    <select name="bkey" required>
      <optgroup label="User">
        {opt("identity:", "Identity")}
        {opt("id:", "User id")}
        {props.keys.custom.includes("email") ? null : opt("custom:email", "email")}
      </optgroup>
      {props.keys.custom.length ? <optgroup label="Properties">{props.keys.custom.map((k) => opt(`custom:${k}`, k))}</optgroup> : null}
      {props.keys.initial.length ? <optgroup label="Initial properties">{props.keys.initial.map((k) => opt(`initial:${k}`, `Initial ${k}`))}</optgroup> : null}
    </select>
  );
}

function EventKeySelect(props: { keys: string[]; selected?: string }) {
  const custom = props.keys.filter((k) => !(EVENT_COLUMN_KEYS as readonly string[]).includes(k));
  return (
    <select name="bkey" required>
      <optgroup label="Event">
        {EVENT_COLUMN_KEYS.map((k) => <option value={k} selected={props.selected === k}>{eventKeyLabel(k)}</option>)}
      </optgroup>
      {custom.length ? <optgroup label="Properties">{custom.map((k) => <option value={k} selected={props.selected === k}>{k}</option>)}</optgroup> : null}
    </select>
  );
}

/** The suggestions fragment: replaces the builder's <datalist>. */
export function ValueOptions(props: { values: ValueCount[]; unit: "users" | "events" }) {
  return (
    <datalist id="bv-options">
      {props.values.map((v) => <option value={v.value}>{`${v.count.toLocaleString("en-US")} ${props.unit}`}</option>)}
    </datalist>
  );
}
