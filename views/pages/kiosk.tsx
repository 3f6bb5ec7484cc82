// Settings → Kiosk links: read-only wall-screen URLs for office TVs, created and revoked here.
import { kioskOptions, type KioskToken } from "../../src/auth/kiosk";
import { kioskLinksUrl, kioskRevokeUrl, wallUrl } from "../../src/urls";
import { Layout, type NavEnv } from "../layout";
import { Csrf, PostButton } from "../partials/csrf";

export interface KioskPageProps {
  env: NavEnv;
  envs: NavEnv[];
  csrfToken: string;
  tokens: KioskToken[];
  segments: { id: number; name: string }[];
  /** Shown once, right after creation: the only time the secret is visible. */
  created?: { name: string; url: string };
  error?: { field: string; message: string };
}

export function KioskPage(p: KioskPageProps) {
  return (
    <Layout title="Kiosk links" env={p.env} envs={p.envs} section="settings" csrfToken={p.csrfToken}>
      <div class="page-head">
        <div>
          <h1>Kiosk links</h1>
          <p class="muted">A kiosk link opens this environment's wall screen without a login, and nothing else. Use it on an office TV.</p>
        </div>
        <a class="btn" href={wallUrl(p.env.id)}>Open the wall</a>
      </div>
      {p.created ? (
        <section class="panel" aria-live="polite" data-kiosk-created>
          <h2>Link for “{p.created.name}” created</h2>
          <p>Copy it now: it is shown only once (Loupe keeps only a hash).</p>
          <pre id="kiosk-new-url" data-kiosk-url>{p.created.url}</pre>
          <button type="button" class="btn small" data-copy-target="kiosk-new-url">Copy</button>
        </section>
      ) : null}
      <section class="panel">
        <h2>New kiosk link</h2>
        <KioskCreateForm envId={p.env.id} csrfToken={p.csrfToken} segments={p.segments} error={p.error} />
      </section>
      <section class="panel">
        <h2>Links</h2>
        <KioskTable envId={p.env.id} csrfToken={p.csrfToken} tokens={p.tokens} segments={p.segments} />
      </section>
    </Layout>
  );
}

export interface KioskPartsProps {
  envId: string;
  csrfToken: string;
  segments: { id: number; name: string }[];
}

export function KioskCreateForm(p: KioskPartsProps & { error?: { field: string; message: string } }) {
  return (
    <form method="post" action={kioskLinksUrl(p.envId)}>
      <Csrf token={p.csrfToken} />
      <div class="field">
        <label for="kiosk-name">Name</label>
        <input id="kiosk-name" name="name" required maxlength={100} placeholder="Office TV" aria-invalid={p.error?.field === "name" ? "true" : undefined} />
        {p.error ? <div class="field-error">{p.error.message}</div> : null}
      </div>
      <div class="field">
        <label for="kiosk-segment">Counter: users of a segment (optional)</label>
        <select id="kiosk-segment" name="segment">
          <option value="">No segment</option>
          {p.segments.map((s) => <option value={String(s.id)}>{s.name}</option>)}
        </select>
      </div>
      <div class="field">
        <label for="kiosk-event">…or count an event today (optional)</label>
        <input id="kiosk-event" name="event" maxlength={1024} placeholder="pageview, signup…" />
      </div>
      <label class="check">
        <input type="checkbox" name="mask" value="1" checked />
        <span>
          <strong>Mask identities</strong>
          <span class="muted small">Shows “User 1234…” instead of names and emails: for screens the public can see.</span>
        </span>
      </label>
      <button type="submit" class="btn primary">Create link</button>
    </form>
  );
}

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export function KioskTable(p: KioskPartsProps & { tokens: KioskToken[] }) {
  if (p.tokens.length === 0) return <p class="muted">No kiosk links yet.</p>;
  const segName = new Map(p.segments.map((s) => [s.id, s.name]));
  return (
    <div class="table-wrap">
      <table class="data">
        <thead><tr><th>Name</th><th>Counter</th><th>Identities</th><th>Created</th><th>Status</th><th><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {p.tokens.map((t) => {
            const o = kioskOptions(t);
            return (
              <tr id={`kiosk-${t.id}`}>
                <td>{t.name}</td>
                <td>{o.segmentId !== null ? (segName.get(o.segmentId) ?? `Segment ${o.segmentId}`) : (o.event ?? "—")}</td>
                <td>{o.maskIdentities ? "Masked" : "Shown"}</td>
                <td>{utc(t.createdAt)}</td>
                <td>{t.revokedAt ? `Revoked ${utc(t.revokedAt)}` : "Active"}</td>
                <td>
                  {t.revokedAt ? null : (
                    <PostButton
                      action={kioskRevokeUrl(p.envId, t.id)} csrfToken={p.csrfToken} label="Revoke" ariaLabel={`Revoke kiosk link ${t.name}`} danger
                      confirm={`Revoke the kiosk link “${t.name}”? Its screen stops showing numbers at once, and the link cannot be used again.`}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
