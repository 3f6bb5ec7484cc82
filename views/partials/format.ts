// Small text formatters shared by the user, session and event views.

/** "3 s", "12 min 5 s", "1 h 04 min". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, "0")} min`;
}

/** "14:05:09" in the environment's time zone; "14:05:09.300" with milliseconds (rage clicks land within a second). */
export function formatClock(date: Date, timeZone: string, millis = false): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, ...(millis ? { fractionalSecondDigits: 3 as const } : {}),
  }).format(date);
}

/** "Chrome · macOS 14", "Acme 3.2.0 · iOS 18.1". */
export function formatSoftware(s: { browser?: string | null; os?: string | null; osVersion?: string | null; appName?: string | null; appVersion?: string | null }): string {
  const app = s.appName ? [s.appName, s.appVersion].filter(Boolean).join(" ") : s.browser;
  const os = [s.os, s.osVersion].filter(Boolean).join(" ");
  return [app, os].filter(Boolean).join(" · ");
}

/** "Mobile · iPhone 16". */
export function formatDevice(s: { deviceType?: string | null; deviceModel?: string | null }): string {
  return [s.deviceType, s.deviceModel].filter(Boolean).join(" · ");
}

export const formatCount = (n: number) => n.toLocaleString("en-US");
