// One hub per running app (per AppContext), made on first use by whichever route needs it.
import type { AppContext } from "../context";
import { LiveHub } from "./hub";
import { liveViewKinds } from "./kinds";

const hubs = new WeakMap<AppContext, LiveHub>();

export function liveHub(ctx: AppContext): LiveHub {
  let hub = hubs.get(ctx);
  if (!hub) {
    hub = new LiveHub(ctx.db, ctx.bus, ctx.version, liveViewKinds, ctx.metrics);
    hubs.set(ctx, hub);
  }
  return hub;
}
