// Keyset cursors over (timestamp, id): the timestamp travels as microseconds since the epoch, so
// PostgreSQL's microsecond precision survives the round trip and paging never skips or repeats a row.
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { z } from "zod";
import { invalid } from "../errors";

export interface TimeCursor<Id extends string | number> {
  us: bigint;
  id: Id;
}

/** `time` as integer microseconds since the epoch, selected beside a row to build its cursor. */
export const epochMicros = (column: SQLWrapper): SQL<string> => sql<string>`(extract(epoch from ${column}) * 1000000)::bigint::text`;

/** The timestamp a cursor points at, rebuilt exactly in SQL. */
export const cursorTime = (us: bigint): SQL => sql`(timestamptz 'epoch' + ${us.toString()}::bigint * interval '1 microsecond')`;

export const encodeCursor = (us: string | bigint, id: string | number) => `${us}_${id}`;

const numericId = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const uuidId = z.string().uuid();

/** Parses `<micros>_<id>`; a malformed cursor is a 400 naming the field. */
export function decodeCursor(field: string, raw: string, idKind: "number"): TimeCursor<number>;
export function decodeCursor(field: string, raw: string, idKind: "uuid"): TimeCursor<string>;
export function decodeCursor(field: string, raw: string, idKind: "number" | "uuid"): TimeCursor<string | number> {
  const m = /^(-?\d{1,19})_(.{1,64})$/.exec(raw);
  const id = m ? (idKind === "number" ? numericId : uuidId).safeParse(m[2]) : undefined;
  if (!m || !id?.success) throw invalid(field, "is not a valid page cursor");
  return { us: BigInt(m[1]), id: id.data };
}
