// Every view a live page can subscribe to.
import type { AnyViewKind } from "./views";
import { wallViewKind } from "./wall-view";

export const liveViewKinds: AnyViewKind[] = [wallViewKind];
