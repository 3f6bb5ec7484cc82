// Settings of one environment: name and time zone, ids, how to install, privacy, more environments.
import type { Environment } from "../../src/environments/environments";
import type { PrivacySettings, ReplaySettings } from "../../src/environments/settings";
import { settingsUrl } from "../../src/urls";
import { Layout } from "../layout";
import { Csrf } from "../partials/csrf";
import { InstallSnippet } from "../partials/install-snippet";
import { KioskLinks } from "../partials/kiosk-links";

export type SettingsForm = "general" | "privacy" | "replay" | "environment";

export interface SettingsPageProps {
  env: Environment;
  envs: Environment[];
  csrfToken: string;
  baseUrl: string;
  privacy: PrivacySettings;
  replay: ReplaySettings;
  timeZones: string[];
  /** What was just saved (from ?saved=). */
  saved?: SettingsForm;
  /** A refused form: which one, the message, and what was typed (shown again). */
  error?: { form: SettingsForm; field: string; message: string; values: Record<string, string> };
  /** X-Forwarded-For arrived from this peer while LOUPE_TRUST_PROXY is off (src/auth/untrusted-proxy.ts). */
  untrustedProxy?: { peer: string; at: Date };
}

const SAVED: Record<SettingsForm, string> = {
  general: "Name and time zone saved.",
  privacy: "Privacy settings saved. The snippet tag below reflects them.",
  replay: "Session replay settings saved. Pages with the snippet pick them up with their next events.",
  environment: "Environment created. Install its snippet below.",
};

function ZoneSelect(props: { id: string; zones: string[]; value: string }) {
  return (
    <select id={props.id} name="timeZone" required>
      {props.zones.map((z) => (
        <option value={z} selected={z === props.value}>{z}</option>
      ))}
    </select>
  );
}

function FieldError(props: { error: SettingsPageProps["error"]; form: SettingsForm }) {
  if (!props.error || props.error.form !== props.form) return null;
  return <div class="error-box" role="alert">{props.error.message}</div>;
}

export function SettingsPage(props: SettingsPageProps) {
  const { env, error } = props;
  const base = settingsUrl(env.id);
  const general = error?.form === "general" ? error.values : { name: env.name, timeZone: env.timeZone };
  const created = error?.form === "environment" ? error.values : { name: "", timeZone: env.timeZone };
  return (
    <Layout title={`Settings · ${env.name}`} env={env} envs={props.envs} section="settings" csrfToken={props.csrfToken}>
      <div class="page-head">
        <div>
          <h1>Settings</h1>
          <div class="muted">{env.name}</div>
        </div>
      </div>
      {props.saved ? <div class="notice" role="status">{SAVED[props.saved]}</div> : null}
      {props.untrustedProxy ? (
        <div class="error-box" role="alert" id="untrusted-proxy">
          Requests from {props.untrustedProxy.peer} carry X-Forwarded-For, but LOUPE_TRUST_PROXY is off: every visitor
          behind that proxy looks like {props.untrustedProxy.peer} (locations, login throttling). If it is your reverse
          proxy, set LOUPE_TRUST_PROXY=true and restart Loupe.
        </div>
      ) : null}

      <div class="settings-layout">
        <section class="panel" aria-labelledby="general-title">
          <h2 id="general-title">Environment</h2>
          <FieldError error={error} form="general" />
          <form method="post" action={base}>
            <Csrf token={props.csrfToken} />
            <div class="field">
              <label for="env-name">Name</label>
              <input id="env-name" name="name" value={general.name} required maxlength={100} aria-invalid={error?.form === "general" && error.field === "name" ? "true" : undefined} />
            </div>
            <div class="field">
              <label for="env-tz">Time zone</label>
              <ZoneSelect id="env-tz" zones={props.timeZones} value={general.timeZone ?? env.timeZone} />
              <div class="hint">Used for "today", day boundaries, date filters, CSV exports and every exact time shown.</div>
            </div>
            <div class="form-actions">
              <button type="submit" class="btn primary">Save</button>
            </div>
          </form>
        </section>

        <section class="panel" aria-labelledby="ids-title">
          <h2 id="ids-title">Environment id</h2>
          <p class="muted">The public write key: the snippet, mobile apps and the server API send it with every event. It only adds data to this environment.</p>
          <div class="copy-row">
            <code id="env-id" class="env-id">{env.id}</code>
            <button type="button" class="btn small" data-copy-target="env-id">Copy id</button>
          </div>
          <p class="muted small">Heap server integrations: use it as <code>app_id</code>.</p>
        </section>

        <InstallSnippet env={env} baseUrl={props.baseUrl} options={{ respectDnt: props.privacy.respectDnt }} />

        <KioskLinks env={env} csrfToken={props.csrfToken} baseUrl={props.baseUrl} />

        <section class="panel" aria-labelledby="privacy-title">
          <h2 id="privacy-title">Privacy</h2>
          <FieldError error={error} form="privacy" />
          <form method="post" action={`${base}/privacy`}>
            <Csrf token={props.csrfToken} />
            <label class="check">
              <input type="checkbox" name="respectDnt" checked={props.privacy.respectDnt} />
              <span>
                <strong>Respect Do-Not-Track and Global Privacy Control</strong>
                <span class="muted small">Browsers that send DNT or GPC are not tracked: the server drops what they send, and the updated snippet below stops them sending at all.</span>
              </span>
            </label>
            <label class="check">
              <input type="checkbox" name="storeIp" checked={props.privacy.storeIp} />
              <span>
                <strong>Store raw IP addresses</strong>
                <span class="muted small">Off: only the derived country, region and city are kept.</span>
              </span>
            </label>
            <div class="form-actions">
              <button type="submit" class="btn primary">Save privacy settings</button>
            </div>
          </form>
        </section>

        <ReplaySection env={env} replay={props.replay} error={error} csrfToken={props.csrfToken} />

        <section class="panel" aria-labelledby="new-env-title" id="new-environment">
          <h2 id="new-env-title">Create another environment</h2>
          <p class="muted">One per site or app (or staging vs production). Each has its own users, id and snippet.</p>
          <FieldError error={error} form="environment" />
          <form method="post" action={`${base}/environments`}>
            <Csrf token={props.csrfToken} />
            <div class="field">
              <label for="new-env-name">Name</label>
              <input id="new-env-name" name="name" value={created.name} required maxlength={100} placeholder="e.g. Marketing site" />
            </div>
            <div class="field">
              <label for="new-env-tz">Time zone</label>
              <ZoneSelect id="new-env-tz" zones={props.timeZones} value={created.timeZone ?? env.timeZone} />
            </div>
            <div class="form-actions">
              <button type="submit" class="btn">Create environment</button>
            </div>
          </form>
        </section>
      </div>
    </Layout>
  );
}

function ReplaySection(props: { env: Environment; replay: ReplaySettings; error: SettingsPageProps["error"]; csrfToken: string }) {
  const { replay, error } = props;
  const typed = error?.form === "replay" ? error.values.samplePercent : undefined;
  const percent = typed ?? String(Math.round(replay.sampleRate * 1000) / 10);
  return (
    <section class="panel" aria-labelledby="replay-title" id="replay-settings">
      <h2 id="replay-title">Session replay</h2>
      <p class="muted">Records what visitors see on pages with the snippet, to play on each session's page. Every input is masked, elements with the <code>loupe-block</code> class or a <code>data-loupe-block</code> attribute are not recorded, and text inside <code>data-loupe-redact</code> is masked.</p>
      <FieldError error={error} form="replay" />
      <form method="post" action={`/e/${encodeURIComponent(props.env.id)}/settings/replay`}>
        <Csrf token={props.csrfToken} />
        <label class="check">
          <input type="checkbox" name="replayEnabled" checked={replay.enabled} />
          <span>
            <strong>Record sessions</strong>
            <span class="muted small">Sites can also turn it on (or off) themselves with <code>loupe.load(id, {"{ replay: true }"})</code>.</span>
          </span>
        </label>
        <div class="field">
          <label for="replay-sample">Sessions recorded (%)</label>
          <input id="replay-sample" name="samplePercent" type="number" min="0" max="100" step="0.1" value={percent} required aria-invalid={error?.form === "replay" && error.field === "samplePercent" ? "true" : undefined} />
        </div>
        <label class="check">
          <input type="checkbox" name="maskAllText" checked={replay.maskAllText} />
          <span>
            <strong>Mask all text</strong>
            <span class="muted small">Every text on the page is replaced by asterisks, not only redacted elements.</span>
          </span>
        </label>
        <div class="form-actions">
          <button type="submit" class="btn primary">Save replay settings</button>
        </div>
      </form>
    </section>
  );
}
