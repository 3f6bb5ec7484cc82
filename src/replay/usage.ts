// What an environment's recordings hold in all, for its caps: summed from `recordings` at most every
// ENV_USAGE_CACHE_MS, plus what this process stored since. Other processes' uploads show up at the next
// re-read, so with several Loupes on one database a cap can be passed by what they store in that window.
import { and, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { recordings } from "../db/schema";
import { ENV_USAGE_CACHE_MS } from "./limits";

export interface EnvironmentUsage {
  bytes: number;
  durationMs: number;
}

interface Cached extends EnvironmentUsage {
  readAt: number;
  reading?: Promise<EnvironmentUsage>;
}

const caches = new WeakMap<Db, Map<string, Cached>>();

export async function sumUsage(db: Db, envId: string): Promise<EnvironmentUsage> {
  const [row] = await db
    .select({
      bytes: sql<string>`coalesce(sum(${recordings.bytes}), 0)`,
      durationMs: sql<string>`coalesce(sum(extract(epoch from ${recordings.endedAt} - ${recordings.startedAt}) * 1000), 0)`,
    })
    .from(recordings)
    .where(and(eq(recordings.envId, envId), gt(recordings.chunks, 0)));
  return { bytes: Number(row.bytes), durationMs: Number(row.durationMs) };
}

/** The environment's usage (cached), and a way to count what was just stored. */
export function environmentUsage(db: Db, envId: string) {
  let perDb = caches.get(db);
  if (!perDb) caches.set(db, (perDb = new Map()));
  const envs = perDb;
  return {
    async read(): Promise<EnvironmentUsage> {
      const hit = envs.get(envId);
      if (hit && Date.now() - hit.readAt < ENV_USAGE_CACHE_MS) return hit;
      if (hit?.reading) return hit.reading;
      const reading = sumUsage(db, envId).then((u) => {
        envs.set(envId, { ...u, readAt: Date.now() });
        return u;
      });
      if (hit) hit.reading = reading;
      return reading;
    },
    add(bytes: number, durationMs: number): void {
      const hit = envs.get(envId);
      if (hit) (hit.bytes += bytes), (hit.durationMs += durationMs);
    },
    /** After deletions: the next read sums again. */
    forget(): void {
      envs.delete(envId);
    },
  };
}
