// One uploaded chunk of a recording: the body (gzip or plain JSON), validated into what storage needs.
// The body is parsed with JSON.parse, not the ingest routes' parseWireJson: rrweb nests a node per DOM
// level (deeper than parseWireJson's MAX_JSON_DEPTH on ordinary pages), and the events are stored as
// compressed bytes (bytea), where neither NUL nor a lone surrogate is a problem for PostgreSQL.
import { gunzipSync, gzipSync } from "node:zlib";
import { z } from "zod";
import { LoupeError } from "../errors";
import { parse } from "../validate";
import { id53Schema } from "../ingest/ids";
import { EARLIEST_EVENT_TIME, MAX_WIRE_TIME, wireTimeSchema } from "../ingest/times";
import { REPLAY_LIMITS } from "./limits";

/** rrweb's event types: DomContentLoaded 0 … Plugin 6 (FullSnapshot is 2). */
export const RRWEB_FULL_SNAPSHOT = 2;
const RRWEB_MAX_TYPE = 6;

const rrwebEvent = z.looseObject({
  type: z.number().int().min(0).max(RRWEB_MAX_TYPE, `must be an rrweb event type 0..${RRWEB_MAX_TYPE}`),
  timestamp: z.number().finite().min(EARLIEST_EVENT_TIME, "must be a time in ms since 1970, after 2000").max(MAX_WIRE_TIME),
});

export const uploadSchema = z.object({
  envId: z.string({ message: "is required" }).min(1).max(64),
  userId: id53Schema,
  sessionId: id53Schema,
  /** The recorder's tab: each tab of a session is its own recording. */
  windowId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, - or _"),
  /** The recorder's id for this chunk: a retried upload is stored once. */
  chunkId: z.guid("must be a UUID").transform((v) => v.toLowerCase()),
  sentAt: wireTimeSchema,
  events: z.array(rrwebEvent).min(1, "must hold at least one event").max(REPLAY_LIMITS.maxEventsPerChunk, `at most ${REPLAY_LIMITS.maxEventsPerChunk} events per chunk`),
});

export type RrwebEvent = z.output<typeof rrwebEvent>;
export type ChunkUpload = z.output<typeof uploadSchema>;

const GZIP_MAGIC = [0x1f, 0x8b];
/**
 * zlib's default. On a recording of Loupe's own dashboard (bench/replay) level 9 stored ~4% less for
 * 1.4× the time, and zstd took half the time but stored ~4% more, and browsers cannot inflate it
 * (DecompressionStream has gzip): the player reads the stored bytes as they are.
 */
const GZIP_LEVEL = 6;

/** Inflates a gzip body (the recorder compresses with CompressionStream), bounded against gzip bombs. */
export function bodyText(body: Uint8Array): string {
  if (body[0] !== GZIP_MAGIC[0] || body[1] !== GZIP_MAGIC[1]) return new TextDecoder().decode(body);
  let raw: Buffer;
  try {
    raw = gunzipSync(body, { maxOutputLength: REPLAY_LIMITS.maxChunkRawBytes });
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new LoupeError("body_too_large", `body: inflates past the ${REPLAY_LIMITS.maxChunkRawBytes}-byte limit`, { field: "body" });
    }
    throw new LoupeError("invalid_json", "body: not valid gzip", { field: "body" });
  }
  return new TextDecoder().decode(raw);
}

/** Validates one upload: the envelope, and every event's type and time. */
export function parseUpload(text: string): ChunkUpload {
  if (text.length > REPLAY_LIMITS.maxChunkRawBytes) {
    throw new LoupeError("body_too_large", `body: larger than the ${REPLAY_LIMITS.maxChunkRawBytes}-byte limit`, { field: "body" });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new LoupeError("invalid_json", `body: not valid JSON (${(err as Error).message})`, { field: "body" });
  }
  return parse(uploadSchema, value);
}

export interface EncodedChunk {
  data: Uint8Array;
  rawBytes: number;
  startedAt: number;
  endedAt: number;
  fullSnapshot: boolean;
}

/**
 * The chunk as stored: event times moved by the recording's clock skew (one shift for the whole
 * recording, so its events keep their order and line up with the session's skew-corrected events),
 * serialised and gzipped as one member (the player inflates it with DecompressionStream).
 */
export function encodeChunk(events: RrwebEvent[], skewMs: number): EncodedChunk {
  let startedAt = Infinity;
  let endedAt = -Infinity;
  let fullSnapshot = false;
  const shifted = events.map((e) => {
    const timestamp = e.timestamp + skewMs;
    if (timestamp < startedAt) startedAt = timestamp;
    if (timestamp > endedAt) endedAt = timestamp;
    if (e.type === RRWEB_FULL_SNAPSHOT) fullSnapshot = true;
    return { ...e, timestamp };
  });
  let json: string;
  try {
    json = JSON.stringify(shifted);
  } catch {
    throw new LoupeError("invalid_input", "events: nested too deeply to store", { field: "events" });
  }
  const raw = Buffer.from(json);
  return { data: gzipSync(raw, { level: GZIP_LEVEL }), rawBytes: raw.byteLength, startedAt, endedAt, fullSnapshot };
}
