// What ingestion stored for an environment, read straight from the database (either driver).
import { asc, eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "../../src/db/client";
import { events, sessions, users } from "../../src/db/schema";

export const storedEvents = (db: Db, envId: string) =>
  db.select().from(events).where(eq(events.envId, envId)).orderBy(asc(events.time), asc(events.receivedAt));
export const storedSessions = (db: Db, envId: string) =>
  db.select().from(sessions).where(eq(sessions.envId, envId)).orderBy(asc(sessions.startedAt));
export const storedUsers = (db: Db, envId: string) =>
  db.select().from(users).where(eq(users.envId, envId)).orderBy(asc(users.firstSeen));

/** Every environment-owned table, for "is this string stored anywhere?" checks. */
const ENV_TABLES = ["users", "user_aliases", "identity_merges", "sessions", "events", "definitions", "segments", "replay_chunks", "recordings", "kiosk_tokens"];

/** Each stored row of the environment, as JSON text (every column, every property). */
export async function everythingStored(db: Db, envId: string): Promise<string[]> {
  const out: string[] = [];
  for (const table of ENV_TABLES) {
    const rows = await queryRows<{ j: string }>(db, sql`SELECT row_to_json(t)::text AS j FROM ${sql.identifier(table)} t WHERE t.env_id = ${envId}`);
    out.push(...rows.map((r) => `${table}: ${r.j}`));
  }
  return out;
}
