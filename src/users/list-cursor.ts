// The Users-list cursor: snapshot instant, sort, the last row's sort key (microseconds or a count) and id.
import { invalid } from "../errors";
import type { Sort } from "../filters/view";

export interface ListCursor {
  asOf: Date;
  sort: Sort;
  k: bigint;
  id: number;
}

export function encodeListCursor(c: ListCursor): string {
  return `${c.asOf.getTime()}.${c.sort}.${c.k}.${c.id}`;
}

/** Parses a cursor; a malformed one, or one made for another sort, is a 400 naming the field. */
export function decodeListCursor(raw: string, sort: Sort): ListCursor {
  const m = /^(\d{1,15})\.(last|first|events)\.(-?\d{1,19})\.(\d{1,16})$/.exec(raw);
  if (!m) throw invalid("cursor", "is not a valid page cursor");
  const id = Number(m[4]);
  if (m[2] !== sort) throw invalid("cursor", "was made for another sort order");
  if (!Number.isSafeInteger(id)) throw invalid("cursor", "is not a valid page cursor");
  return { asOf: new Date(Number(m[1])), sort: m[2] as Sort, k: BigInt(m[3]), id };
}
