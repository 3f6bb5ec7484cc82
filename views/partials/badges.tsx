import { SOURCES, type Source } from "../../src/events/model";

export const SOURCE_LABELS: Record<Source, string> = { web: "Web", ios: "iOS", android: "Android", server: "Server" };

/** "Web", "iOS", … — unknown strings are shown as sent (escaped by JSX), never trusted as a class name. */
export function sourceLabel(source: string): string {
  return (SOURCE_LABELS as Record<string, string>)[source] ?? source;
}

export function SourceBadge(props: { source: string }) {
  const known = (SOURCES as readonly string[]).includes(props.source);
  return <span class={known ? `badge ${props.source}` : "badge"}>{sourceLabel(props.source)}</span>;
}

/** One badge per distinct source, in the fixed order Web, iOS, Android, Server, then any others. */
export function SourceBadges(props: { sources: readonly string[] }) {
  const unique = [...new Set(props.sources)];
  const order = (s: string) => {
    const i = (SOURCES as readonly string[]).indexOf(s);
    return i === -1 ? SOURCES.length : i;
  };
  unique.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  return (
    <span class="badges">
      {unique.map((s) => (
        <SourceBadge source={s} />
      ))}
    </span>
  );
}

/** Rage clicks in red; nothing when there were none. */
export function RageBadge(props: { count: number }) {
  if (props.count <= 0) return null;
  const label = `${props.count} rage click${props.count === 1 ? "" : "s"}`;
  return (
    <span class="badge rage" title={label} aria-label={label}>
      {props.count} rage
    </span>
  );
}
