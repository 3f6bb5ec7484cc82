// Multi-row writes as ONE bound parameter: rows travel as a JSON array and jsonb_to_recordset turns
// them into a relation. Same SQL on PGlite and postgres.js, no 65,535-parameter ceiling, one round trip.
import { sql, type SQL } from "drizzle-orm";

/** Rows per INSERT statement (jsonb_to_recordset: one bound parameter whatever the row count). */
export const ROWS_PER_STATEMENT = 5000;

/** Splits rows into statement-sized chunks. */
export function chunks<T>(rows: T[], size: number = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** `jsonb_to_recordset($1::jsonb) as x(<columns>)` for the given rows. */
export function recordset(rows: object[], columns: string): SQL {
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(${sql.raw(columns)})`;
}

export const iso = (ms: number) => new Date(ms).toISOString();
