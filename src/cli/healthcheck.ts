import type { Config } from "../config";

/** `loupe healthcheck` gives up after this long (container HEALTHCHECK intervals are longer). */
export const HEALTHCHECK_TIMEOUT_MS = 3000;

/** Where a process on this machine reaches the server the config describes. */
export function localUrl(config: Config, path: string): string {
  const scheme = config.tlsCert ? "https" : "http";
  const host = config.host === "0.0.0.0" ? "127.0.0.1" : config.host === "::" ? "[::1]" : config.host.includes(":") ? `[${config.host}]` : config.host;
  return `${scheme}://${host}:${config.port}${path}`;
}

/**
 * `loupe healthcheck`: exits 0 when the Loupe configured by the same settings answers /healthz.
 * Made for container HEALTHCHECKs, since the image has no curl or shell.
 */
export async function healthcheckCommand(config: Config, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const url = localUrl(config, "/healthz");
  try {
    // The certificate names the public host, not 127.0.0.1; this only asks whether the process is up.
    const res = await fetch(url, { signal: AbortSignal.timeout(HEALTHCHECK_TIMEOUT_MS), tls: { rejectUnauthorized: false } });
    if (res.ok) {
      out(`ok ${url}`);
      return 0;
    }
    err(`loupe: ${url} answered ${res.status}`);
  } catch (e) {
    err(`loupe: ${url} did not answer: ${(e as Error).message}`);
  }
  return 1;
}
