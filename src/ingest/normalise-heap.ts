// Normalise step for the Heap-compatible server API: /api/track, /api/add_user_properties,
// /api/v1/identify. Every item is its own unit (its own user); events are `custom` from source `server`.
import type { JsonObject } from "../db/schema";
import { idempotentEventId } from "./ids";
import { notInFuture } from "./times";
import { emptyDevice, type IngestRequest, type Subject, type Unit } from "./types";

export interface HeapTrackInput {
  identity?: string;
  user_id?: number;
  event: string;
  properties: JsonObject;
  timestamp?: number;
  idempotency_key?: string;
  session_id?: number;
}

export interface HeapUserPropertiesInput {
  identity?: string;
  user_id?: number;
  properties: JsonObject;
}

const subjectOf = (item: { identity?: string; user_id?: number }): Subject =>
  item.identity !== undefined ? { identity: item.identity } : { userId: item.user_id! };

const serverUnit = (subject: Subject, sessionId: number | null, messages: Unit["messages"], strictIdentity = false): Unit => ({
  mode: "server", source: "server", subject, sessionId, strictIdentity, messages,
});

const request = (envId: string, units: Unit[]): IngestRequest => {
  const device = emptyDevice();
  device.library = "server API";
  return { envId, device, units };
};

export function normaliseTrack(envId: string, items: HeapTrackInput[], now = Date.now()): IngestRequest {
  return request(envId, items.map((item) => {
    const id = item.idempotency_key !== undefined ? idempotentEventId(envId, item.idempotency_key) : crypto.randomUUID();
    const props: JsonObject = Object.assign(Object.create(null), item.properties);
    return serverUnit(subjectOf(item), item.session_id ?? null, [{
      kind: "event",
      event: {
        id, mintedId: item.idempotency_key === undefined, type: "custom", name: item.event, time: notInFuture(item.timestamp ?? now, now), source: "server",
        domain: null, path: null, title: null, targetText: null, targetTag: null, hierarchy: null, href: null,
        props, landing: null, rage: false, userId: 0, sessionId: 0, dropped: null,
      },
    }]);
  }));
}

export function normaliseUserProperties(envId: string, items: HeapUserPropertiesInput[], now = Date.now()): IngestRequest {
  return request(envId, items.map((item) => serverUnit(subjectOf(item), null, [{ kind: "user_properties", properties: item.properties, time: now }])));
}

export function normaliseIdentify(envId: string, userId: number, identity: string, time: number, now = Date.now()): IngestRequest {
  return request(envId, [serverUnit({ userId }, null, [{ kind: "identify", identity, time: notInFuture(time, now) }], true)]);
}
