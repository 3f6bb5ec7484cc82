// Times from the wire (docs/collect-protocol.md, "Times"). A wire time that is not an instant at all is
// refused with a 400 naming the field; an event whose time, after clock-skew correction, falls outside
// the accepted window is dropped and counted (time_out_of_range); a time in the future is clamped.
import { z } from "zod";

/** The earliest event time Loupe stores: nothing it collects happened before 2000. */
export const EARLIEST_EVENT_TIME = Date.UTC(2000, 0, 1);
/** The largest number accepted as a wire time (the last millisecond of year 9999). */
export const MAX_WIRE_TIME = Date.UTC(10000, 0, 1) - 1;

const NOT_A_TIME = "must be a time in ms since 1970 (0 to year 9999)";

/** `time` and `sentAt` of the collection endpoint: milliseconds since 1970. */
export const wireTimeSchema = z.number({ message: NOT_A_TIME }).finite(NOT_A_TIME).min(0, NOT_A_TIME).max(MAX_WIRE_TIME, NOT_A_TIME);

/** Heap's `timestamp`: ISO 8601 or milliseconds since 1970, on or after EARLIEST_EVENT_TIME. */
export const heapTimestampSchema = z.union([z.number(), z.string().max(64)], { message: "must be an ISO 8601 time or milliseconds since 1970" }).transform((v, ctx) => {
  const ms = typeof v === "number" ? v : Date.parse(v);
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_WIRE_TIME) {
    ctx.addIssue({ code: "custom", message: "must be an ISO 8601 time or milliseconds since 1970 (to year 9999)" });
    return z.NEVER;
  }
  if (ms < EARLIEST_EVENT_TIME) {
    ctx.addIssue({ code: "custom", message: "must be on or after 2000-01-01" });
    return z.NEVER;
  }
  return ms;
});

/** Event times further in the future than this (after clock-skew correction) are clamped to now. */
export const FUTURE_TOLERANCE_MS = 60_000;

/** A time no later than the server's clock allows (now + FUTURE_TOLERANCE_MS). */
export const notInFuture = (t: number, now: number) => Math.min(t, now + FUTURE_TOLERANCE_MS);

/**
 * Clock-skew correction for one batch: each time moves by (server clock − client `sentAt`), so a device
 * whose clock is years off still lands its events at the right moment. The result is bounded: never
 * after now (+ tolerance), and `null` when it falls before EARLIEST_EVENT_TIME (the event is dropped).
 */
export function skewCorrection(sentAt: number | null | undefined, now: number): (t: number) => number | null {
  const skew = sentAt ? now - sentAt : 0;
  return (t) => {
    const at = notInFuture(t + skew, now);
    return at >= EARLIEST_EVENT_TIME ? at : null;
  };
}

/** The response warning for events dropped as time_out_of_range. */
export const timeWarning = (n: number) =>
  `time_out_of_range: ${n} event(s) dropped: their time, corrected by sentAt, is before 2000-01-01`;
