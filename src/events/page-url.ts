// The page address of an event: the URL the client sent, else one rebuilt from its parts. Ingest stores
// it (props.url); the event panel shows it for events stored before clients sent a full URL.

export interface PageParts {
  url?: unknown;
  domain?: string | null;
  path?: string | null;
  query?: unknown;
  hash?: unknown;
}

const text = (v: unknown) => (typeof v === "string" ? v : "");

/** `https://shop.example/cart?x=1#top`, or `shop.example/cart?x=1#top` from parts; null when nothing is known. */
export function pageUrl(p: PageParts): string | null {
  if (typeof p.url === "string" && p.url) return p.url;
  if (!p.domain && !p.path) return null;
  return `${p.domain ?? ""}${p.path ?? ""}${text(p.query)}${text(p.hash)}`;
}
