import { describe, expect, test } from "bun:test";
import { localDay, parseTimeline, resolveTimeline, zonedMidnight } from "../../src/filters/timeline";

describe("timeline", () => {
  test("local midnight in a time zone, across a DST change", () => {
    expect(zonedMidnight("2026-01-15", "Europe/Paris").toISOString()).toBe("2026-01-14T23:00:00.000Z");
    expect(zonedMidnight("2026-07-15", "Europe/Paris").toISOString()).toBe("2026-07-14T22:00:00.000Z");
    expect(zonedMidnight("2026-03-29", "Europe/Paris").toISOString()).toBe("2026-03-28T23:00:00.000Z"); // DST starts at 02:00 that day
    expect(zonedMidnight("2026-03-08", "America/New_York").toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(zonedMidnight("2026-06-01", "Asia/Kolkata").toISOString()).toBe("2026-05-31T18:30:00.000Z");
  });

  test("past N days: today plus the N-1 days before it, in the environment's zone", () => {
    const asOf = new Date("2026-11-28T01:30:00Z"); // 28 Nov in Tokyo, 27 Nov in Los Angeles
    expect(localDay(asOf, "Asia/Tokyo")).toBe("2026-11-28");
    expect(localDay(asOf, "America/Los_Angeles")).toBe("2026-11-27");
    const tokyo = resolveTimeline({ kind: "days", days: 7 }, "Asia/Tokyo", asOf);
    expect(tokyo.from!.toISOString()).toBe("2026-11-21T15:00:00.000Z");
    expect(tokyo.end).toEqual(asOf);
    const la = resolveTimeline({ kind: "days", days: 1 }, "America/Los_Angeles", asOf);
    expect(la.from!.toISOString()).toBe("2026-11-27T08:00:00.000Z");
  });

  test("24 hours, all time, and a closed date range ending at the end of its last day (never past the snapshot)", () => {
    const asOf = new Date("2026-11-28T12:00:00Z");
    expect(resolveTimeline({ kind: "hours", hours: 24 }, "UTC", asOf).from!.toISOString()).toBe("2026-11-27T12:00:00.000Z");
    expect(resolveTimeline({ kind: "all" }, "UTC", asOf).from).toBeNull();
    const r = resolveTimeline({ kind: "range", from: "2026-11-01", to: "2026-11-03" }, "Europe/Paris", asOf);
    expect(r.from!.toISOString()).toBe("2026-10-31T23:00:00.000Z");
    expect(r.end.toISOString()).toBe("2026-11-03T22:59:59.999Z");
    const current = resolveTimeline({ kind: "range", from: "2026-11-27", to: "2026-11-30" }, "UTC", asOf);
    expect(current.end).toEqual(asOf);
  });

  test("parsing", () => {
    expect(parseTimeline(undefined, undefined, undefined)).toEqual({ kind: "days", days: 7 });
    expect(parseTimeline("24h", undefined, undefined)).toEqual({ kind: "hours", hours: 24 });
    expect(parseTimeline("45d", undefined, undefined)).toEqual({ kind: "days", days: 45 });
    expect(parseTimeline("range", "2026-01-01", "2026-01-31")).toEqual({ kind: "range", from: "2026-01-01", to: "2026-01-31" });
    expect(parseTimeline("9999d", undefined, undefined)).toHaveProperty("error");
    expect(parseTimeline("range", "2026-01-01", undefined)).toHaveProperty("field", "to");
    expect(parseTimeline("<script>", undefined, undefined)).toHaveProperty("field", "t");
  });
});
