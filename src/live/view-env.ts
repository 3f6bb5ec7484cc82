// The environment a live view shows (its time zone), re-read at most once a minute per view.
import { getEnvironment, type Environment } from "../environments/environments";
import type { ViewContext } from "./views";

const ENV_CACHE_MS = 60_000;
const cache = new WeakMap<object, { env: Environment; at: number }>();

export async function viewEnvironment(ctx: ViewContext, view: { envId: string }): Promise<Environment | undefined> {
  const hit = cache.get(view);
  if (hit && Date.now() - hit.at < ENV_CACHE_MS) return hit.env;
  ctx.countQuery();
  const env = await getEnvironment(ctx.db, view.envId);
  if (env) cache.set(view, { env, at: Date.now() });
  return env;
}
