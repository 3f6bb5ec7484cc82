// Relative times with the exact date and time (in the environment's time zone) on hover.
import { relativeTime } from "../assets/relative-time";

/** "Sat 28 Nov 2026, 14:05:09 CET" in the given IANA time zone. */
export function formatExact(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone, weekday: "short", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZoneName: "short",
  }).format(date);
}

/** "28 Nov 2026" in the given time zone. */
export function formatDay(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short", year: "numeric" }).format(date);
}

/** "just now", "4 min ago", "3 h ago", "yesterday", "5 days ago", then the day itself. */
export function formatRelative(date: Date, timeZone: string, now: Date = new Date()): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (seconds < -60) return `in the future (${formatDay(date, timeZone)})`;
  return relativeTime(seconds) ?? formatDay(date, timeZone);
}

/** A `<time>` showing a relative time; hover shows the exact time in the environment's zone. */
export function RelativeTime(props: { date: Date; timeZone: string; now?: Date; class?: string }) {
  return (
    <time class={props.class} datetime={props.date.toISOString()} title={formatExact(props.date, props.timeZone)} data-relative="">
      {formatRelative(props.date, props.timeZone, props.now)}
    </time>
  );
}

/** A `<time>` showing the day; hover shows the exact time, plus any extra detail (location, source). */
export function DayTime(props: { date: Date; timeZone: string; detail?: string; class?: string }) {
  const exact = formatExact(props.date, props.timeZone);
  return (
    <time class={props.class} datetime={props.date.toISOString()} title={props.detail ? `${exact}\n${props.detail}` : exact}>
      {formatDay(props.date, props.timeZone)}
    </time>
  );
}
