// Text and times from the wire, as pure functions: clipping at code-point boundaries, lone surrogates
// repaired, NUL escapes removed, depth bounded, skew correction bounded.
import { describe, expect, test } from "bun:test";
import { LoupeError } from "../../src/errors";
import { hierarchyString } from "../../src/ingest/hierarchy";
import { EARLIEST_EVENT_TIME, skewCorrection } from "../../src/ingest/times";
import { clip, MAX_JSON_DEPTH, parseWireJson, storable } from "../../src/ingest/wire-text";

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err as LoupeError;
  }
  throw new Error("expected a refusal");
};

describe("clip", () => {
  test("never cuts an emoji in half: one at the limit is left out whole", () => {
    expect(clip(`${"a".repeat(254)}😀`, 255)).toBe("a".repeat(254));
    expect(clip(`${"a".repeat(253)}😀`, 255)).toBe(`${"a".repeat(253)}😀`);
    expect(clip("😀😀", 3)).toBe("😀");
    expect(clip("😀", 1)).toBeNull();
    for (let n = 1; n < 12; n++) expect(clip("x😀y😀😀z".repeat(3), n)!.isWellFormed()).toBe(true);
  });

  test("repairs and strips what PostgreSQL cannot store", () => {
    expect(clip("a\ud800b", 10)).toBe("a\ufffdb");
    expect(clip("\udc00", 10)).toBe("\ufffd");
    expect(clip("a\u0000b", 10)).toBe("ab");
    expect(clip("\u0000", 10)).toBeNull();
    expect(clip("", 10)).toBeNull();
    expect(storable("ok 😀")).toBe("ok 😀");
  });
});

describe("parseWireJson", () => {
  test("lone surrogates in values and keys become U+FFFD; pairs written as escapes stay emoji", () => {
    const v = parseWireJson(String.raw`{"a":"x\ud800","k\udfff":["\udc00y"],"pair":"\ud83d\ude00","__proto__":"\ud800"}`) as Record<string, unknown>;
    expect(v.a).toBe("x\ufffd");
    expect(v["k\ufffd"]).toEqual(["\ufffdy"]);
    expect(v.pair).toBe("😀");
    expect(Object.prototype.hasOwnProperty.call(v, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    const withKey = parseWireJson(String.raw`{"__proto__\ud800":{"polluted":1}}`) as Record<string, unknown>;
    expect(Object.keys(withKey)).toEqual(["__proto__\ufffd"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("NUL escapes are removed; an escaped backslash before u0000 is text", () => {
    expect(parseWireJson(String.raw`{"a\u0000":"b\u0000c"}`)).toEqual({ a: "bc" });
    expect(parseWireJson(String.raw`"\\u0000"`)).toBe("\\u0000");
  });

  test("deeper than MAX_JSON_DEPTH is a 400 naming where; at the limit it parses", () => {
    const nest = (n: number) => `${'{"a":'.repeat(n - 1)}[1]${"}".repeat(n - 1)}`;
    expect(parseWireJson(nest(MAX_JSON_DEPTH))).toBeTruthy();
    const err = refusal(() => parseWireJson(nest(MAX_JSON_DEPTH + 1)));
    expect(err.status).toBe(400);
    expect(err.field).toBe(Array(MAX_JSON_DEPTH).fill("a").join("."));
    expect(refusal(() => parseWireJson("[".repeat(200_000) + "]".repeat(200_000))).status).toBe(400);
    expect(refusal(() => parseWireJson("{nope")).code).toBe("invalid_json");
  });
});

describe("hierarchies", () => {
  test("emoji in ids and classes are escaped whole and the string is never cut inside a pair", () => {
    expect(hierarchyString([{ tag: "div", id: "a😀", classes: ["😀"] }])).toBe("div#a\\😀.\\😀");
    const long = hierarchyString([{ tag: "div", id: "😀".repeat(3000) }])!;
    expect(long.length).toBeLessThanOrEqual(4096);
    expect(long.isWellFormed()).toBe(true);
  });
});

describe("clock-skew correction", () => {
  const now = Date.parse("2026-06-01T12:00:00Z");
  test("moves times by the client's clock error, at any size", () => {
    const fix = skewCorrection(1000, now); // a device whose clock reads 1970
    expect(fix(500)).toBe(now - 500);
  });
  test("is bounded: never after now + tolerance, and null before 2000-01-01", () => {
    expect(skewCorrection(1e14, now)(now)).toBeNull(); // sentAt in year 5138: corrected to before year 0
    expect(skewCorrection(null, now)(EARLIEST_EVENT_TIME - 1)).toBeNull();
    expect(skewCorrection(null, now)(EARLIEST_EVENT_TIME)).toBe(EARLIEST_EVENT_TIME);
    expect(skewCorrection(null, now)(now + 86_400_000)).toBe(now + 60_000);
    expect(skewCorrection(now - 10, now)(now + 86_400_000)).toBe(now + 60_000);
  });
});
