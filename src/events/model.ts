// What a stored event is made of, as every part of Loupe names it: where it came from, its type, and
// the property keys ingest writes into events.props beside the client's own properties. Ingest writes
// these keys (src/ingest/normalise-*.ts); the event panel, descriptions and definitions read them.

export const SOURCES = ["web", "ios", "android", "server"] as const;
export type Source = (typeof SOURCES)[number];

export const WEB_EVENT_TYPES = ["pageview", "click", "change", "submit", "session_start"] as const;
export const MOBILE_EVENT_TYPES = ["screen_view", "touch", "app_install", "app_open"] as const;
export const EVENT_TYPES = [...WEB_EVENT_TYPES, ...MOBILE_EVENT_TYPES, "custom"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Built-in keys of events.props (docs/collect-protocol.md lists what clients send for each). */
export const EVENT_PROPS = {
  url: "url",
  query: "query",
  hash: "hash",
  referrer: "referrer",
  screenWidth: "screen_width",
  screenHeight: "screen_height",
  viewportWidth: "viewport_width",
  viewportHeight: "viewport_height",
  targetId: "target_id",
  targetClass: "target_class",
} as const;
export type BuiltInProp = keyof typeof EVENT_PROPS;

const BUILT_IN_KEYS: ReadonlySet<string> = new Set(Object.values(EVENT_PROPS));

/** Is this key one Loupe writes itself (shown in its own place), not a property the client sent? */
export const isBuiltInProp = (key: string) => BUILT_IN_KEYS.has(key);

/** The props entries for built-in values, by their stored keys; absent and null values are left out. */
export function builtInProps(values: Partial<Record<BuiltInProp, string | number | null | undefined>>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values)) if (value != null) out[EVENT_PROPS[name as BuiltInProp]] = value;
  return out;
}
