import type { Db } from "../db/client";
import { getEnvironment, listEnvironments, type Environment } from "../environments/environments";

/** What every page under /e/:env needs for its shell: the environment and all of them (for the switcher). */
export async function pageEnvironment(db: Db, envId: string): Promise<{ env: Environment; envs: Environment[] } | undefined> {
  const env = await getEnvironment(db, envId);
  if (!env) return undefined;
  return { env, envs: await listEnvironments(db) };
}
