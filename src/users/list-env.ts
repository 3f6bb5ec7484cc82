import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../db/client";

/** Whether an environment has ever received a user (decides which empty state to show). */
export async function hasAnyUsers(db: Db, envId: string): Promise<boolean> {
  const [row] = await queryRows<{ ok: boolean }>(db, sql`select exists (select 1 from users where env_id = ${envId}) as ok`);
  return row?.ok === true;
}
