// The one request model every protocol adapter (collect, Heap, later Segment/PostHog) normalises into.
import type { EventType, Source } from "../events/model";
import type { JsonObject } from "../db/schema";
import type { LoupeError } from "../errors";
import type { Utm } from "./page";

/** Why the pipeline dropped an event; each is a label of loupe_events_dropped_total. */
export const DROP_REASONS = ["bot", "duplicate", "do_not_track", "time_out_of_range"] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Device facts of a request, filled by normalise (client-reported) and enrich (user agent, IP). */
export interface DeviceInfo {
  library: string | null;
  appName: string | null;
  appVersion: string | null;
  browser: string | null;
  os: string | null;
  osVersion: string | null;
  deviceType: string | null;
  deviceModel: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  ip: string | null;
}

/** A pageview / screen view's facts a new session takes (landing page, referrer, UTM). */
export interface Landing {
  page: string;
  referrer: string;
  utm: Utm;
}

export interface IngestEvent {
  id: string;
  /** The server made this id (random v4): it cannot be a repeat, so no duplicate check is needed. */
  mintedId: boolean;
  type: EventType;
  name: string | null;
  time: number;
  source: Source;
  domain: string | null;
  path: string | null;
  title: string | null;
  targetText: string | null;
  targetTag: string | null;
  hierarchy: string | null;
  href: string | null;
  props: JsonObject;
  landing: Landing | null;
  rage: boolean;
  /** Assigned by the group steps. */
  userId: number;
  sessionId: number;
  dropped: DropReason | null;
}

export type Message =
  | { kind: "event"; event: IngestEvent }
  | { kind: "identify"; identity: string; time: number }
  | { kind: "user_properties"; properties: JsonObject; time: number };

/** Who a unit is about: a client-made user id, or (server APIs) an identity. */
export type Subject = { userId: number } | { identity: string };

/**
 * One subject's messages, processed in order. `client` units come from devices (their session ids
 * are honoured subject to the idle rule); `server` units join the user's open session.
 */
export interface Unit {
  mode: "client" | "server";
  source: Source;
  subject: Subject;
  sessionId: number | null;
  /** Server identify API: a second, different identity is an error, not a warning. */
  strictIdentity: boolean;
  messages: Message[];
}

export interface IngestRequest {
  envId: string;
  device: DeviceInfo;
  units: Unit[];
  /** Found while normalising (events dropped for their time); they lead the response's warnings. */
  warnings?: string[];
}

export interface IngestResult {
  accepted: number;
  dropped: number;
  /** The user the (last) unit landed on, after identity resolution. */
  userId: number | null;
  warnings: string[];
}

/** A request in flight through the group steps. */
export interface Job {
  request: IngestRequest;
  result: IngestResult;
  error: LoupeError | null;
}

export const emptyDevice = (): DeviceInfo => ({
  library: null, appName: null, appVersion: null, browser: null, os: null, osVersion: null,
  deviceType: null, deviceModel: null, country: null, region: null, city: null, ip: null,
});
