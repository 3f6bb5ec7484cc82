// The "Kiosk links" section of the Settings page: read-only wall-screen links (SPEC §7). The live
// wall feature owns this partial; the Settings page renders it between the install and privacy
// sections and passes what every settings section gets.
import type { Environment } from "../../src/environments/environments";

export interface KioskLinksProps {
  env: Environment;
  csrfToken: string;
  baseUrl: string;
}

export function KioskLinks(_props: KioskLinksProps) {
  return null;
}
