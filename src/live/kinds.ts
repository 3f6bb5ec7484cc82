// Every view a live page can subscribe to.
import { sessionViewKind, userViewKind, usersViewKind } from "./page-views";
import type { AnyViewKind } from "./views";
import { wallViewKind } from "./wall-view";

export const liveViewKinds: AnyViewKind[] = [usersViewKind, userViewKind, sessionViewKind, wallViewKind];
