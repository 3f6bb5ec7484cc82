// One live hub per running app (per AppContext), made on first use: the view kinds of src/live/ each
// paired with its presenter from views/live/pushes.tsx (only the route layer imports views).
import type { AppContext } from "../context";
import { LiveHub } from "../live/hub";
import { replayViewKind } from "../live/replay-view";
import { sessionViewKind } from "../live/session-view";
import { userViewKind } from "../live/user-view";
import { usersViewKind } from "../live/users-view";
import { presented, type AnyLiveKind } from "../live/views";
import { wallViewKind } from "../live/wall-view";
import { replayChunksPush, sessionEventsPush, userSessionsPush, usersPush, wallPush } from "../../views/live/pushes";

/** Every view a live page can subscribe to, as pushed HTML. */
export const LIVE_KINDS: AnyLiveKind[] = [
  presented(usersViewKind, usersPush),
  presented(userViewKind, userSessionsPush),
  presented(sessionViewKind, sessionEventsPush),
  presented(replayViewKind, replayChunksPush),
  presented(wallViewKind, wallPush),
];

const hubs = new WeakMap<AppContext, LiveHub>();

export function liveHub(ctx: AppContext): LiveHub {
  let hub = hubs.get(ctx);
  if (!hub) {
    hub = new LiveHub(ctx.db, ctx.bus, ctx.version, LIVE_KINDS, ctx.metrics);
    hubs.set(ctx, hub);
  }
  return hub;
}
