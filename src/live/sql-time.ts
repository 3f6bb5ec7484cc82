import { sql, type SQL } from "drizzle-orm";

/** A Date as a bound timestamptz parameter that both drivers accept (postgres.js rejects raw Dates in sql``). */
export const ts = (d: Date): SQL => sql`${d.toISOString()}::timestamptz`;
