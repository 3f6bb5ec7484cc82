import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { DEFAULTS } from "../config";
import type { Db } from "../db/client";
import { environments } from "../db/schema";

export type Environment = typeof environments.$inferSelect;

export const environmentNameSchema = z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters");
export const timeZoneSchema = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "must be an IANA time zone such as Europe/Paris");

/** Public environment ids are 10-digit numbers, like Heap app ids, so Heap clients accept them. */
function newEnvironmentId(): string {
  const n = crypto.getRandomValues(new Uint32Array(2));
  return String(1_000_000_000 + ((n[0] * 4096 + (n[1] & 4095)) % 9_000_000_000));
}

export async function createEnvironment(db: Db, name: string, timeZone: string = DEFAULTS.timeZone): Promise<Environment> {
  const [env] = await db
    .insert(environments)
    .values({ id: newEnvironmentId(), name: environmentNameSchema.parse(name), timeZone: timeZoneSchema.parse(timeZone) })
    .returning();
  return env;
}

export function listEnvironments(db: Db): Promise<Environment[]> {
  return db.select().from(environments).orderBy(asc(environments.createdAt), asc(environments.id));
}

export async function getEnvironment(db: Db, id: string): Promise<Environment | undefined> {
  const [env] = await db.select().from(environments).where(eq(environments.id, id));
  return env;
}

/** First run: an install always has at least one environment to send data to. */
export async function ensureDefaultEnvironment(db: Db): Promise<{ env: Environment; created: boolean }> {
  const [first] = await listEnvironments(db);
  if (first) return { env: first, created: false };
  return { env: await createEnvironment(db, DEFAULTS.environmentName), created: true };
}

/** Where `/` lands: the environment the session used last, else the first (made on first run). */
export async function homeEnvironment(db: Db, lastEnvId: string | null | undefined): Promise<Environment> {
  const envs = await listEnvironments(db);
  return envs.find((e) => e.id === lastEnvId) ?? envs[0] ?? (await ensureDefaultEnvironment(db)).env;
}
