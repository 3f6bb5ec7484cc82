// CSV export of the filtered Users list: keyset batches over one snapshot, written to a ReadableStream as
// they arrive, so the whole list is never held in memory. Cells are escaped against formula injection.
// Times are ISO 8601 with the environment's offset; every custom property seen gets a column.
import { sql } from "drizzle-orm";
import { USERS_LIST } from "./limits";
import { queryRows, type Db } from "../db/client";
import { userIdentifier } from "./identifier";
import { listUsers, type ListQuery, type UserListRow } from "./list";

const HEADER = ["user_id", "identifier", "identity", "email", "first_seen", "last_activity", "sessions", "events", "rage_clicks", "sources", "first_country", "first_city"];
/** Custom user properties exported as columns, at most (a spreadsheet of thousands of columns helps nobody). */
export const CSV_MAX_PROPERTY_COLUMNS = 500;

/** One CSV cell: formula-looking text gets a leading apostrophe; quotes, commas and newlines are quoted. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(",")}\r\n`;

const OFFSET_STEP_MS = 15 * 60_000;
const OFFSET_CACHE_MAX = 10_000;
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/**
 * "2026-11-28T14:05:09+09:00": ISO 8601 in a time zone, with its offset. One Intl formatter per export
 * finds the zone's offset, once per quarter hour seen (offsets only change on quarter hours); each time is
 * then plain arithmetic, so a large export spends its time on rows, not on formatting.
 */
export function isoInZone(timeZone: string): (date: Date) => string {
  const zone = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
  const offsets = new Map<number, number>();
  const offsetMs = (t: number) => {
    const step = Math.floor(t / OFFSET_STEP_MS);
    let off = offsets.get(step);
    if (off === undefined) {
      const name = zone.formatToParts(t).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
      const m = /([+-])(\d{2}):?(\d{2})?/.exec(name);
      off = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000 : 0;
      if (offsets.size >= OFFSET_CACHE_MAX) offsets.clear();
      offsets.set(step, off);
    }
    return off;
  };
  return (date) => {
    const t = date.getTime();
    const off = offsetMs(t);
    const l = new Date(t + off);
    const a = Math.abs(off) / 60_000;
    return `${pad(l.getUTCFullYear(), 4)}-${pad(l.getUTCMonth() + 1)}-${pad(l.getUTCDate())}T${pad(l.getUTCHours())}:${pad(l.getUTCMinutes())}:${pad(l.getUTCSeconds())}${off < 0 ? "-" : "+"}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
  };
}

/** Every custom user-property key of the environment, sorted (email has its own column). */
async function seenPropertyKeys(db: Db, envId: string): Promise<string[]> {
  const rows = await queryRows<{ key: string }>(db, sql`select distinct k as key from users, jsonb_object_keys(properties) as k
    where env_id = ${envId} and k <> 'email' order by 1 limit ${CSV_MAX_PROPERTY_COLUMNS}`);
  return rows.map((r) => r.key);
}

/** A property's column heading: its key, unless that is already a heading. */
const propertyHeading = (key: string) => (HEADER.includes(key) ? `property:${key}` : key);

function rowCells(r: UserListRow, time: (d: Date) => string, propertyKeys: string[]): unknown[] {
  const email = r.properties.email;
  return [
    r.id, userIdentifier(r).text, r.identity ?? "", typeof email === "string" || typeof email === "number" ? email : "",
    time(r.firstSession?.startedAt ?? r.firstSeen), time(r.lastActivity),
    r.sessions, r.events, r.rage, r.sources.join(" "), r.firstSession?.country ?? "", r.firstSession?.city ?? "",
    ...propertyKeys.map((k) => r.properties[k]),
  ];
}

/**
 * The export as a byte stream. The first batch is read before the stream is returned, so a bad query
 * fails as a normal 4xx instead of a truncated download; later batches are pulled as the client reads.
 */
export async function usersCsvStream(db: Db, q: ListQuery, opts: { batch?: number; propertyKeys?: string[] } = {}): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const batch = opts.batch ?? USERS_LIST.csvBatch;
  const propertyKeys = opts.propertyKeys ?? (await seenPropertyKeys(db, q.env.id));
  const time = isoInZone(q.env.timeZone);
  let page = await listUsers(db, { ...q, limit: batch });
  let headerSent = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return controller.close();
      let text = headerSent ? "" : csvLine([...HEADER, ...propertyKeys.map(propertyHeading)]);
      headerSent = true;
      for (const r of page.rows) text += csvLine(rowCells(r, time, propertyKeys));
      controller.enqueue(encoder.encode(text));
      if (!page.next) {
        done = true;
        return;
      }
      page = await listUsers(db, { ...q, cursor: page.next, limit: batch });
    },
  }, { highWaterMark: 1 });
}
