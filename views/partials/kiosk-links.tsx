// The "Kiosk links" section of the Settings page: read-only wall-screen links. The Settings page
// renders it between the install and privacy sections and passes what every settings section gets.
import type { Environment } from "../../src/environments/environments";
import { kioskLinksUrl, wallUrl } from "../../src/urls";

export interface KioskLinksProps {
  env: Environment;
  csrfToken: string;
  baseUrl: string;
}

/** The section; its list of links loads from /e/:env/settings/kiosk/list (the slot itself cannot query). */
export function KioskLinks(props: KioskLinksProps) {
  return (
    <section class="panel" id="kiosk-links" aria-labelledby="kiosk-links-title">
      <h2 id="kiosk-links-title">Kiosk links</h2>
      <p class="muted">
        A kiosk link opens this environment's <a href={wallUrl(props.env.id)}>wall screen</a> on an office TV
        without a login, and nothing else. Revoking one closes its screen at once.
      </p>
      <div hx-get={kioskLinksUrl(props.env.id, "/list")} hx-trigger="load" hx-swap="innerHTML">
        <p class="muted">Loading kiosk links…</p>
      </div>
      <p><a class="btn" href={kioskLinksUrl(props.env.id)}>Create or revoke kiosk links</a></p>
    </section>
  );
}
