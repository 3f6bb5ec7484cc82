// Relative times ("4 min ago"): the one formatter. The server renders with it (views/partials/time.tsx),
// and the browser gets the same function as /assets/relative-time.js, which keeps every
// <time data-relative> true while a page stays open.

/**
 * "just now", "4 min ago", "3 h ago", "yesterday", "5 days ago"; null in the future or past 31 days (show
 * the day). Self-contained on purpose: its own source text is the browser's copy.
 */
export function relativeTime(seconds: number): string | null {
  if (!isFinite(seconds) || seconds < -60) return null;
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return minutes + " min ago";
  const hours = Math.round(minutes / 60);
  if (hours < 24) return hours + " h ago";
  const days = Math.round(hours / 24);
  if (days === 1) return "yesterday";
  if (days < 31) return days + " days ago";
  return null;
}

/** Every 30 s, each <time data-relative datetime=…> gets its text again. */
function refreshAll(format: (seconds: number) => string | null) {
  setInterval(() => {
    document.querySelectorAll("time[data-relative]").forEach((time) => {
      const text = format(Math.round((Date.now() - Date.parse(time.getAttribute("datetime") ?? "")) / 1000));
      if (text && time.textContent !== text) time.textContent = text;
    });
  }, 30_000);
}

/** The browser script served as /assets/relative-time.js (CSP-clean: a file of Loupe's own). */
export const RELATIVE_TIME_SCRIPT = `"use strict";(${refreshAll.toString()})(${relativeTime.toString()});\n`;
