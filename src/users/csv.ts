// CSV export of the filtered Users list: keyset batches over one snapshot, written to a ReadableStream as
// they arrive, so the whole list is never held in memory. Cells are escaped against formula injection.
import { USERS_LIST } from "./limits";
import type { Db } from "../db/client";
import { userIdentifier } from "./identifier";
import { listUsers, type ListQuery, type UserListRow } from "./list";

const HEADER = ["user_id", "identifier", "identity", "email", "first_seen", "last_activity", "sessions", "events", "rage_clicks", "sources", "first_country", "first_city"];

/** One CSV cell: formula-looking text gets a leading apostrophe; quotes, commas and newlines are quoted. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(",")}\r\n`;

/** "2026-11-28 14:05:09" in the environment's time zone. */
export function localTimestamp(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(date);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")}`;
}

function rowCells(r: UserListRow, timeZone: string): unknown[] {
  const email = r.properties.email;
  return [
    r.id, userIdentifier(r).text, r.identity ?? "", typeof email === "string" || typeof email === "number" ? email : "",
    localTimestamp(r.firstSession?.startedAt ?? r.firstSeen, timeZone), localTimestamp(r.lastActivity, timeZone),
    r.sessions, r.events, r.rage, r.sources.join(" "), r.firstSession?.country ?? "", r.firstSession?.city ?? "",
  ];
}

/**
 * The export as a byte stream. The first batch is read before the stream is returned, so a bad query
 * fails as a normal 4xx instead of a truncated download; later batches are pulled as the client reads.
 */
export async function usersCsvStream(db: Db, q: ListQuery, batch: number = USERS_LIST.csvBatch): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  let page = await listUsers(db, { ...q, limit: batch });
  let headerSent = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return controller.close();
      let text = headerSent ? "" : csvLine(HEADER);
      headerSent = true;
      for (const r of page.rows) text += csvLine(rowCells(r, q.env.timeZone));
      controller.enqueue(encoder.encode(text));
      if (!page.next) {
        done = true;
        return;
      }
      page = await listUsers(db, { ...q, cursor: page.next, limit: batch });
    },
  }, { highWaterMark: 1 });
}
