// Page facts a session takes from its first pageview: landing page, referrer, UTM values.
import { LIMITS } from "../limits";
import { clip } from "./wire-text";

export interface Utm {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  term: string | null;
  content: string | null;
}

const UTM_KEYS = ["source", "medium", "campaign", "term", "content"] as const;

/** UTM values from a URL's query (or a bare `?a=b` query string). */
export function utmFrom(urlOrQuery: string | null | undefined): Utm {
  const utm: Utm = { source: null, medium: null, campaign: null, term: null, content: null };
  if (!urlOrQuery) return utm;
  const q = urlOrQuery.includes("?") ? urlOrQuery.slice(urlOrQuery.indexOf("?") + 1).split("#")[0] : "";
  const params = new URLSearchParams(q);
  for (const k of UTM_KEYS) utm[k] = clip(params.get(`utm_${k}`), LIMITS.propertyValueChars);
  return utm;
}

/** `direct` when the page had no referrer. */
export function referrerOf(referrer: string | null | undefined): string {
  return clip(referrer?.trim(), LIMITS.urlChars) ?? "direct";
}
